import type pg from 'pg';
import type { LedgerActor, LedgerFilter, LedgerQueries, LedgerRow } from '../../core/ledger-queries.ts';
import type { WebAuthStore, WebLoginTokenRecord, WebSessionRecord, WebView } from '../../bot/web/web.port.ts';

const view = (v: string): WebView => (v === 'owner' ? 'owner' : 'staff');

/** Links and sessions a day past their end are of no use to anyone: pruned as new ones come. */
const PRUNE_AFTER_MS = 86_400_000;

/**
 * Web sign-in links, sessions and the stored signing key on PostgreSQL, as SqliteWebAuth keeps them.
 * Every statement runs on its own (autocommit), so each one sees what other processes committed
 * before it: that is what makes the key and the spent link safe across processes.
 */
export class PgWebAuth implements WebAuthStore {
  constructor(private readonly pool: pg.Pool) {}

  async storedSecret(generate: () => string, now: Date): Promise<string> {
    const found = await this.secret();
    if (found !== undefined) return found;
    // Two processes starting at once: the first insert wins (the second waits for it, then inserts
    // nothing), and both read the winner's key in a statement of their own, which sees it committed.
    await this.pool.query('INSERT INTO "WebSecret" ("id", "secret", "createdAt") VALUES (1, $1, $2) ON CONFLICT ("id") DO NOTHING', [generate(), now]);
    const stored = await this.secret();
    if (stored === undefined) throw new Error('WebSecret: no key after inserting one');
    return stored;
  }

  private async secret(): Promise<string | undefined> {
    return (await this.pool.query<{ secret: string }>('SELECT "secret" FROM "WebSecret" WHERE "id" = 1')).rows[0]?.secret;
  }

  async insertToken(t: Omit<WebLoginTokenRecord, 'id' | 'usedAt'>, now: Date): Promise<number> {
    await this.pool.query('DELETE FROM "WebLoginToken" WHERE "expiresAt" < $1', [new Date(now.getTime() - PRUNE_AFTER_MS)]);
    const { rows } = await this.pool.query<{ id: number }>(
      `INSERT INTO "WebLoginToken" ("shopId", "actorId", "actorName", "view", "nonceHash", "createdAt", "expiresAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "id"`,
      [t.shopId, t.actorId, t.actorName, t.view, t.nonceHash, now, t.expiresAt],
    );
    return rows[0]!.id;
  }

  async token(id: number): Promise<WebLoginTokenRecord | undefined> {
    const { rows } = await this.pool.query<Omit<WebLoginTokenRecord, 'view'> & { view: string }>(
      'SELECT "id", "shopId", "actorId", "actorName", "view", "nonceHash", "expiresAt", "usedAt" FROM "WebLoginToken" WHERE "id" = $1',
      [id],
    );
    const r = rows[0];
    return r ? { ...r, view: view(r.view) } : undefined;
  }

  async spendToken(id: number, now: Date): Promise<boolean> {
    // One conditional UPDATE: a second caller waits on the first one's row lock, then re-checks the
    // condition on the row as the first left it (usedAt set) and updates nothing.
    const result = await this.pool.query('UPDATE "WebLoginToken" SET "usedAt" = $1 WHERE "id" = $2 AND "usedAt" IS NULL AND "expiresAt" > $1', [now, id]);
    return result.rowCount === 1;
  }

  async insertSession(x: WebSessionRecord, now: Date): Promise<void> {
    await this.pool.query('DELETE FROM "WebSession" WHERE "expiresAt" < $1', [new Date(now.getTime() - PRUNE_AFTER_MS)]);
    await this.pool.query(
      `INSERT INTO "WebSession" ("idHash", "shopId", "actorId", "actorName", "view", "csrf", "createdAt", "expiresAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [x.idHash, x.shopId, x.actorId, x.actorName, x.view, x.csrf, now, x.expiresAt],
    );
  }

  async session(idHash: string, now: Date): Promise<WebSessionRecord | undefined> {
    const { rows } = await this.pool.query<Omit<WebSessionRecord, 'view'> & { view: string }>(
      'SELECT "idHash", "shopId", "actorId", "actorName", "view", "csrf", "expiresAt" FROM "WebSession" WHERE "idHash" = $1 AND "endedAt" IS NULL AND "expiresAt" > $2',
      [idHash, now],
    );
    const r = rows[0];
    return r ? { ...r, view: view(r.view) } : undefined;
  }

  async endSession(idHash: string, now: Date): Promise<void> {
    await this.pool.query('UPDATE "WebSession" SET "endedAt" = $1 WHERE "idHash" = $2 AND "endedAt" IS NULL', [now, idHash]);
  }
}

/** LIKE with the user's own % and _ taken literally (as SqliteLedger escapes them). */
const likeEscape = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * SQLite's LIKE ignores the case of ASCII letters only (`Ä` never matches `ä`), whereas ILIKE and
 * lower() fold every letter the database's locale knows. To find exactly what SQLite finds, both the
 * column and the pattern have their ASCII capitals lowered and nothing else.
 */
const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII_LOWER = 'abcdefghijklmnopqrstuvwxyz';
const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
const likeText = (column: string): string => `translate(${column}, '${ASCII_UPPER}', '${ASCII_LOWER}') LIKE $7 ESCAPE '\\'`;

/** Every filter optional: a null parameter lets every entry through. */
const WHERE = `WHERE e."shopId" = $1
    AND ($2::integer IS NULL OR e."productId" = $2)
    AND ($3::text IS NULL OR e."kind" = $3)
    AND ($4::text IS NULL OR e."actorId" = $4)
    AND ($5::timestamptz IS NULL OR e."occurredAt" >= $5)
    AND ($6::timestamptz IS NULL OR e."occurredAt" < $6)
    AND ($7::text IS NULL OR ${['pr."name"', 'e."note"', 'm."text"', 'e."channel"', 'e."counterparty"'].map(likeText).join(' OR ')})`;
const FROM = 'FROM "Entry" e JOIN "Product" pr ON pr."id" = e."productId" LEFT JOIN "SourceMessage" m ON m."id" = e."messageId"';

const PAGE = `SELECT e."seq", e."kind", pr."name" AS "product", pr."unit", l."name" AS "location", e."qtyMilli", e."unitPrice", e."amount", e."cost",
    e."channel", e."counterparty", e."note", e."occurredAt", e."recordedAt", e."actorId", e."actorName",
    o."seq" AS "reversesSeq", r."seq" AS "reversedBySeq", m."text" AS "messageText", b."title" AS "chatTitle", m."platform"
  ${FROM}
  LEFT JOIN "Location" l ON l."id" = e."locationId"
  LEFT JOIN "Entry" o ON o."id" = e."reversesId"
  LEFT JOIN "Entry" r ON r."reversesId" = e."id"
  LEFT JOIN "ChatBinding" b ON b."platform" = m."platform" AND b."chatId" = m."chatId"
  ${WHERE}
  ORDER BY e."seq" DESC LIMIT $8 OFFSET $9`;

const COUNT = `SELECT COUNT(*) AS "n" ${FROM} ${WHERE}`;

// max() of text follows the collation: "C" picks the name SQLite's BINARY max() picks.
const ACTORS = `SELECT "actorId", MAX("actorName" COLLATE "C") AS "actorName" FROM "Entry" WHERE "shopId" = $1
  GROUP BY "actorId" ORDER BY MAX("seq") DESC LIMIT 200`;

/** The web view's ledger pages on PostgreSQL: the page and its total, every filter optional, newest entry first. */
export class PgLedger implements LedgerQueries {
  constructor(private readonly pool: pg.Pool) {}

  async ledgerPage(shopId: number, filter: LedgerFilter, page: { offset: number; limit: number }): Promise<{ rows: LedgerRow[]; total: number }> {
    const text = filter.text?.trim();
    const params = [
      shopId,
      filter.productId ?? null,
      filter.kind ?? null,
      filter.actorId ?? null,
      filter.from ?? null,
      filter.to ?? null,
      text ? foldAscii(likeEscape(text)) : null,
    ];
    const [rows, count] = await Promise.all([
      this.pool.query<LedgerRow>(PAGE, [...params, page.limit, page.offset]),
      this.pool.query<{ n: number }>(COUNT, params),
    ]);
    return { rows: rows.rows, total: count.rows[0]!.n };
  }

  async actors(shopId: number): Promise<LedgerActor[]> {
    return (await this.pool.query<LedgerActor>(ACTORS, [shopId])).rows;
  }
}
