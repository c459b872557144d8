import type Database from 'better-sqlite3';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import { lazyStatements } from './statements.ts';
import type { AccessStore, AuditRow, Audience, BindingRecord, CodeGrant, CodePurpose, IdentityRecord, PersonRecord, PersonRole, ShopRole } from '../../core/access.ts';

/** People, identities, chat bindings and binding codes on SQLite. */
export class SqliteAccessStore implements AccessStore {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    this.s = lazyStatements({
      shopCount: p('SELECT COUNT(*) AS n FROM Shop'),
      bindingOf: p('SELECT shopId, platform, chatId, audience, title FROM ChatBinding WHERE platform = ? AND chatId = ?'),
      bindings: p('SELECT shopId, platform, chatId, audience, title FROM ChatBinding WHERE shopId = ? ORDER BY id'),
      bind: p(
        'INSERT INTO ChatBinding (shopId, platform, chatId, audience, title, boundAt) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(platform, chatId) DO UPDATE SET shopId = excluded.shopId, audience = excluded.audience, title = excluded.title, boundAt = excluded.boundAt',
      ),
      unbind: p('DELETE FROM ChatBinding WHERE platform = ? AND chatId = ?'),
      personByIdentity: p(
        'SELECT p.id, p.shopId, p.displayName, p.role FROM Identity i JOIN Person p ON p.id = i.personId WHERE p.shopId = ? AND i.platform = ? AND i.platformUserId = ?',
      ),
      ownedShops: p(
        "SELECT DISTINCT p.shopId FROM Identity i JOIN Person p ON p.id = i.personId WHERE i.platform = ? AND i.platformUserId = ? AND p.role = 'owner'",
      ),
      insertPerson: p('INSERT INTO Person (shopId, displayName, role, createdAt) VALUES (?, ?, ?, ?) RETURNING id, shopId, displayName, role'),
      sameIdentity: p('SELECT 1 FROM Identity WHERE personId = ? AND platform = ? AND platformUserId = ? AND handle IS ?'),
      insertIdentity: p(
        'INSERT INTO Identity (personId, platform, platformUserId, handle) VALUES (?, ?, ?, ?) ON CONFLICT(personId, platform) DO UPDATE SET platformUserId = excluded.platformUserId, handle = excluded.handle',
      ),
      people: p('SELECT id, shopId, displayName, role FROM Person WHERE shopId = ? ORDER BY id'),
      identities: p('SELECT i.personId, i.platform, i.platformUserId, i.handle FROM Identity i JOIN Person p ON p.id = i.personId WHERE p.shopId = ?'),
      setRole: p('UPDATE Person SET role = ? WHERE id = ?'),
      setRoleKeepingAnOwner: p(
        "UPDATE Person SET role = @role WHERE id = @id AND shopId = @shopId AND (role <> 'owner' OR @role = 'owner' OR (SELECT COUNT(*) FROM Person WHERE shopId = @shopId AND role = 'owner') > 1)",
      ),
      setMemberRole: p('UPDATE Shop SET memberRole = ? WHERE id = ?'),
      memberRole: p('SELECT memberRole FROM Shop WHERE id = ?'),
      createCode: p('INSERT INTO BindingCode (shopId, personId, code, createdAt, expiresAt, purpose) VALUES (?, ?, ?, ?, ?, ?)'),
      findCode: p('SELECT shopId, personId, purpose FROM BindingCode WHERE code = ? AND usedAt IS NULL AND expiresAt > ?'),
      redeemCode: p('UPDATE BindingCode SET usedAt = ? WHERE code = ? AND usedAt IS NULL AND expiresAt > ? RETURNING shopId, personId, purpose'),
      moveIdentity: p(
        "UPDATE Identity SET personId = @to WHERE personId = @from AND platform = @platform AND platformUserId = @platformUserId AND EXISTS (SELECT 1 FROM Person WHERE id = @from AND role = 'member') AND NOT EXISTS (SELECT 1 FROM BindingCode WHERE personId = @from) AND NOT EXISTS (SELECT 1 FROM Identity WHERE personId = @to AND platform = @platform)",
      ),
      dropEmptyMember: p(
        "DELETE FROM Person WHERE id = ? AND role = 'member' AND NOT EXISTS (SELECT 1 FROM Identity WHERE personId = Person.id) AND NOT EXISTS (SELECT 1 FROM BindingCode WHERE personId = Person.id)",
      ),
      audit: p(`SELECT e.seq, e.kind, pr.name AS product, pr.unit, l.name AS location, e.qtyMilli, e.unitPrice, e.channel, e.counterparty,
          e.occurredAt, e.recordedAt, e.actorName, e.actorId, o.seq AS reversesSeq, r.seq AS reversedBySeq,
          m.platform, m.chatId, b.title AS chatTitle, m.text, e.note
        FROM Entry e JOIN Product pr ON pr.id = e.productId
        LEFT JOIN Location l ON l.id = e.locationId
        LEFT JOIN Entry o ON o.id = e.reversesId
        LEFT JOIN Entry r ON r.reversesId = e.id
        LEFT JOIN SourceMessage m ON m.id = e.messageId
        LEFT JOIN ChatBinding b ON b.platform = m.platform AND b.chatId = m.chatId
        WHERE e.shopId = @shopId AND (@productId IS NULL OR e.productId = @productId) AND (@seq IS NULL OR e.seq = @seq)
        ORDER BY e.seq DESC LIMIT @limit`),
    });
  }

  shopCount(): Promise<number> {
    return this.gate.run(() => {
      return (this.s.shopCount.get() as { n: number }).n;
    });
  }

  bindingOf(platform: string, chatId: string): Promise<BindingRecord | undefined> {
    return this.gate.run(() => {
      return this.s.bindingOf.get(platform, chatId) as BindingRecord | undefined;
    });
  }

  bindings(shopId: number): Promise<BindingRecord[]> {
    return this.gate.run(() => {
      return this.s.bindings.all(shopId) as BindingRecord[];
    });
  }

  bind(binding: BindingRecord, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.bind.run(binding.shopId, binding.platform, binding.chatId, binding.audience, binding.title, now.getTime());
    });
  }

  unbind(platform: string, chatId: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.unbind.run(platform, chatId).changes > 0;
    });
  }

  personByIdentity(shopId: number, platform: string, platformUserId: string): Promise<PersonRecord | undefined> {
    return this.gate.run(() => {
      return this.s.personByIdentity.get(shopId, platform, platformUserId) as PersonRecord | undefined;
    });
  }

  ownedShops(platform: string, platformUserId: string): Promise<number[]> {
    return this.gate.run(() => {
      return (this.s.ownedShops.all(platform, platformUserId) as { shopId: number }[]).map((r) => r.shopId);
    });
  }

  createPerson(shopId: number, displayName: string, role: PersonRole, identity: Omit<IdentityRecord, 'personId'>, now: Date): Promise<PersonRecord> {
    return this.gate.run(() => {
      return this.db.transaction(() => {
        const person = this.s.insertPerson.get(shopId, displayName, role, now.getTime()) as PersonRecord;
        this.s.insertIdentity.run(person.id, identity.platform, identity.platformUserId, identity.handle);
        return person;
      })();
    });
  }

  linkIdentity(personId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<void> {
    return this.gate.run(() => {
      // Called for every message; writing only when something changed keeps chat reads off the write lock.
      if (this.s.sameIdentity.get(personId, identity.platform, identity.platformUserId, identity.handle)) return;
      this.s.insertIdentity.run(personId, identity.platform, identity.platformUserId, identity.handle);
    });
  }

  people(shopId: number): Promise<(PersonRecord & { identities: IdentityRecord[] })[]> {
    return this.gate.run(() => {
      const identities = this.s.identities.all(shopId) as IdentityRecord[];
      return (this.s.people.all(shopId) as PersonRecord[]).map((p) => ({ ...p, identities: identities.filter((i) => i.personId === p.id) }));
    });
  }

  setRole(personId: number, role: PersonRole): Promise<void> {
    return this.gate.run(() => {
      this.s.setRole.run(role, personId);
    });
  }

  setRoleKeepingAnOwner(shopId: number, personId: number, role: ShopRole | 'removed'): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.setRoleKeepingAnOwner.run({ shopId, id: personId, role }).changes > 0;
    });
  }

  setMemberRole(shopId: number, role: 'staff' | 'viewer'): Promise<void> {
    return this.gate.run(() => {
      this.s.setMemberRole.run(role, shopId);
    });
  }

  memberRole(shopId: number): Promise<'staff' | 'viewer'> {
    return this.gate.run(() => {
      return ((this.s.memberRole.get(shopId) as { memberRole: string } | undefined)?.memberRole === 'staff' ? 'staff' : 'viewer');
    });
  }

  createCode(shopId: number, personId: number, code: string, now: Date, expiresAt: Date, purpose: CodePurpose): Promise<void> {
    return this.gate.run(() => {
      this.s.createCode.run(shopId, personId, code, now.getTime(), expiresAt.getTime(), purpose);
    });
  }

  findCode(code: string, now: Date): Promise<CodeGrant | undefined> {
    return this.gate.run(() => {
      return grantOf(this.s.findCode.get(code, now.getTime()));
    });
  }

  redeemCode(code: string, now: Date): Promise<CodeGrant | undefined> {
    return this.gate.run(() => {
      return grantOf(this.s.redeemCode.get(now.getTime(), code, now.getTime()));
    });
  }

  moveMemberIdentity(fromPersonId: number, toPersonId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<boolean> {
    return this.gate.run(() => {
      return this.db.transaction(() => {
        const moved = this.s.moveIdentity.run({ from: fromPersonId, to: toPersonId, platform: identity.platform, platformUserId: identity.platformUserId }).changes > 0;
        if (moved) this.s.dropEmptyMember.run(fromPersonId);
        return moved;
      })();
    });
  }

  audit(shopId: number, filter: { productId?: number; seq?: number; limit: number }): Promise<AuditRow[]> {
    return this.gate.run(() => {
      const rows = this.s.audit.all({ shopId, productId: filter.productId ?? null, seq: filter.seq ?? null, limit: filter.limit }) as (Omit<
        AuditRow,
        'occurredAt' | 'recordedAt'
      > & { occurredAt: number; recordedAt: number })[];
      return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt), recordedAt: new Date(r.recordedAt) }));
    });
  }
}

/** Codes made before purposes existed only ever bound chats. */
function grantOf(row: unknown): CodeGrant | undefined {
  if (!row) return undefined;
  const r = row as { shopId: number; personId: number; purpose: string };
  return { shopId: r.shopId, personId: r.personId, purpose: r.purpose === 'link' ? 'link' : 'chat' };
}

export type { Audience };
