import type Database from 'better-sqlite3';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import type { LedgerActor, LedgerFilter, LedgerQueries, LedgerRow } from '../../core/ledger-queries.ts';
import type { WebAuthStore, WebLoginTokenRecord, WebSessionRecord, WebView } from '../../bot/web/web.port.ts';

const view = (v: string): WebView => (v === 'owner' ? 'owner' : 'staff');

/** Web sign-in links, sessions and the stored signing key on SQLite. */
export class SqliteWebAuth implements WebAuthStore {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly s;

  constructor(db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertSecret: p('INSERT INTO WebSecret (id, secret, createdAt) VALUES (1, ?, ?) ON CONFLICT(id) DO NOTHING'),
      secret: p('SELECT secret FROM WebSecret WHERE id = 1'),
      insertToken: p('INSERT INTO WebLoginToken (shopId, actorId, actorName, view, nonceHash, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id'),
      token: p('SELECT id, shopId, actorId, actorName, view, nonceHash, expiresAt, usedAt FROM WebLoginToken WHERE id = ?'),
      spendToken: p('UPDATE WebLoginToken SET usedAt = ? WHERE id = ? AND usedAt IS NULL AND expiresAt > ?'),
      pruneTokens: p('DELETE FROM WebLoginToken WHERE expiresAt < ?'),
      insertSession: p('INSERT INTO WebSession (idHash, shopId, actorId, actorName, view, csrf, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      session: p('SELECT idHash, shopId, actorId, actorName, view, csrf, expiresAt FROM WebSession WHERE idHash = ? AND endedAt IS NULL AND expiresAt > ?'),
      endSession: p('UPDATE WebSession SET endedAt = ? WHERE idHash = ? AND endedAt IS NULL'),
      pruneSessions: p('DELETE FROM WebSession WHERE expiresAt < ?'),
    };
  }

  storedSecret(generate: () => string, now: Date): Promise<string> {
    return this.gate.run(() => {
      const found = this.s.secret.get() as { secret: string } | undefined;
      if (found) return found.secret;
      // Two processes starting at once: the first insert wins and both read its key.
      this.s.insertSecret.run(generate(), now.getTime());
      return (this.s.secret.get() as { secret: string }).secret;
    });
  }

  insertToken(t: Omit<WebLoginTokenRecord, 'id' | 'usedAt'>, now: Date): Promise<number> {
    return this.gate.run(() => {
      // Links and sessions a day past their end are of no use to anyone: pruned as new ones come.
      this.s.pruneTokens.run(now.getTime() - 86_400_000);
      const row = this.s.insertToken.get(t.shopId, t.actorId, t.actorName, t.view, t.nonceHash, now.getTime(), t.expiresAt.getTime()) as { id: number };
      return row.id;
    });
  }

  token(id: number): Promise<WebLoginTokenRecord | undefined> {
    return this.gate.run(() => {
      const r = this.s.token.get(id) as (Omit<WebLoginTokenRecord, 'expiresAt' | 'usedAt' | 'view'> & { view: string; expiresAt: number; usedAt: number | null }) | undefined;
      if (!r) return undefined;
      return { ...r, view: view(r.view), expiresAt: new Date(r.expiresAt), usedAt: r.usedAt === null ? null : new Date(r.usedAt) };
    });
  }

  spendToken(id: number, now: Date): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.spendToken.run(now.getTime(), id, now.getTime()).changes === 1;
    });
  }

  insertSession(x: WebSessionRecord, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.pruneSessions.run(now.getTime() - 86_400_000);
      this.s.insertSession.run(x.idHash, x.shopId, x.actorId, x.actorName, x.view, x.csrf, now.getTime(), x.expiresAt.getTime());
    });
  }

  session(idHash: string, now: Date): Promise<WebSessionRecord | undefined> {
    return this.gate.run(() => {
      const r = this.s.session.get(idHash, now.getTime()) as (Omit<WebSessionRecord, 'expiresAt' | 'view'> & { view: string; expiresAt: number }) | undefined;
      return r ? { ...r, view: view(r.view), expiresAt: new Date(r.expiresAt) } : undefined;
    });
  }

  endSession(idHash: string, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.endSession.run(now.getTime(), idHash);
    });
  }
}

/** LIKE with the user's own % and _ taken literally. */
const likeEscape = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The web view's ledger pages on SQLite: one query with every filter optional, newest entry first. */
export class SqliteLedger implements LedgerQueries {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly s;

  constructor(db: Database.Database) {
    this.gate = gateOf(db);
    const where = `WHERE e.shopId = @shopId
        AND (@productId IS NULL OR e.productId = @productId)
        AND (@kind IS NULL OR e.kind = @kind)
        AND (@actorId IS NULL OR e.actorId = @actorId)
        AND (@from IS NULL OR e.occurredAt >= @from)
        AND (@to IS NULL OR e.occurredAt < @to)
        AND (@text IS NULL OR pr.name LIKE @text ESCAPE '\\' OR e.note LIKE @text ESCAPE '\\' OR m.text LIKE @text ESCAPE '\\'
             OR e.channel LIKE @text ESCAPE '\\' OR e.counterparty LIKE @text ESCAPE '\\')`;
    const from = `FROM Entry e JOIN Product pr ON pr.id = e.productId LEFT JOIN SourceMessage m ON m.id = e.messageId`;
    this.s = {
      page: db.prepare(`SELECT e.seq, e.kind, pr.name AS product, pr.unit, l.name AS location, e.qtyMilli, e.unitPrice, e.amount, e.cost,
          e.channel, e.counterparty, e.note, e.occurredAt, e.recordedAt, e.actorId, e.actorName,
          o.seq AS reversesSeq, r.seq AS reversedBySeq, m.text AS messageText, b.title AS chatTitle, m.platform
        ${from}
        LEFT JOIN Location l ON l.id = e.locationId
        LEFT JOIN Entry o ON o.id = e.reversesId
        LEFT JOIN Entry r ON r.reversesId = e.id
        LEFT JOIN ChatBinding b ON b.platform = m.platform AND b.chatId = m.chatId
        ${where}
        ORDER BY e.seq DESC LIMIT @limit OFFSET @offset`),
      count: db.prepare(`SELECT COUNT(*) AS n ${from} ${where}`),
      actors: db.prepare(`SELECT actorId, MAX(actorName) AS actorName FROM Entry WHERE shopId = ? GROUP BY actorId ORDER BY MAX(seq) DESC LIMIT 200`),
    };
  }

  ledgerPage(shopId: number, filter: LedgerFilter, page: { offset: number; limit: number }): Promise<{ rows: LedgerRow[]; total: number }> {
    return this.gate.run(() => {
      const text = filter.text?.trim();
      const params = {
        shopId,
        productId: filter.productId ?? null,
        kind: filter.kind ?? null,
        actorId: filter.actorId ?? null,
        from: filter.from?.getTime() ?? null,
        to: filter.to?.getTime() ?? null,
        text: text ? likeEscape(text) : null,
      };
      const rows = this.s.page.all({ ...params, limit: page.limit, offset: page.offset }) as (Omit<LedgerRow, 'occurredAt' | 'recordedAt'> & { occurredAt: number; recordedAt: number })[];
      const total = (this.s.count.get(params) as { n: number }).n;
      return { rows: rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), recordedAt: new Date(r.recordedAt) })), total };
    });
  }

  actors(shopId: number): Promise<LedgerActor[]> {
    return this.gate.run(() => {
      return this.s.actors.all(shopId) as LedgerActor[];
    });
  }
}
