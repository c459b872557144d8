import type pg from 'pg';
import { isUniqueViolation, query, transaction, type Queryable } from './pg-query.ts';
import type { AccessStore, AuditRow, BindingRecord, CodeGrant, CodePurpose, IdentityRecord, PersonRecord, PersonRole, ShopRole } from '../../core/access.ts';

const BINDING_COLUMNS = '"shopId", "platform", "chatId", "audience", "title"';

const AUDIT = `SELECT e."seq", e."kind", pr."name" AS "product", pr."unit", l."name" AS "location", e."qtyMilli", e."unitPrice", e."channel", e."counterparty",
    e."occurredAt", e."recordedAt", e."actorName", e."actorId", o."seq" AS "reversesSeq", r."seq" AS "reversedBySeq",
    m."platform", m."chatId", b."title" AS "chatTitle", m."text", e."note"
  FROM "Entry" e JOIN "Product" pr ON pr."id" = e."productId"
  LEFT JOIN "Location" l ON l."id" = e."locationId"
  LEFT JOIN "Entry" o ON o."id" = e."reversesId"
  LEFT JOIN "Entry" r ON r."reversesId" = e."id"
  LEFT JOIN "SourceMessage" m ON m."id" = e."messageId"
  LEFT JOIN "ChatBinding" b ON b."platform" = m."platform" AND b."chatId" = m."chatId"
  WHERE e."shopId" = $1 AND ($2::int IS NULL OR e."productId" = $2::int) AND ($3::int IS NULL OR e."seq" = $3::int)
  ORDER BY e."seq" DESC LIMIT $4`;

/**
 * People, identities, chat bindings and binding codes on PostgreSQL: the same statements and results
 * as SqliteAccessStore (src/adapters/prisma/sqlite-access.ts). Where SQLite's single writer made a
 * check and its write one step, here the write carries the check (a conditional UPDATE that a second
 * process re-evaluates after the first commits) or the rows it depends on are locked first, since
 * several processes write at once.
 */
export class PgAccessStore implements AccessStore {
  constructor(readonly pool: pg.Pool) {}

  async shopCount(): Promise<number> {
    return (await query<{ n: number }>(this.pool, 'SELECT COUNT(*) AS n FROM "Shop"')).rows[0]?.n ?? 0;
  }

  async bindingOf(platform: string, chatId: string): Promise<BindingRecord | undefined> {
    const { rows } = await query<BindingRecord>(this.pool, `SELECT ${BINDING_COLUMNS} FROM "ChatBinding" WHERE "platform" = $1 AND "chatId" = $2`, [platform, chatId]);
    return rows[0];
  }

  async bindings(shopId: number): Promise<BindingRecord[]> {
    return (await query<BindingRecord>(this.pool, `SELECT ${BINDING_COLUMNS} FROM "ChatBinding" WHERE "shopId" = $1 ORDER BY "id"`, [shopId])).rows;
  }

  async bind(binding: BindingRecord, now: Date): Promise<void> {
    // An upsert on the (platform, chatId) key: two processes binding one chat leave one row, the later one's.
    await query(
      this.pool,
      `INSERT INTO "ChatBinding" ("shopId", "platform", "chatId", "audience", "title", "boundAt") VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("platform", "chatId") DO UPDATE SET "shopId" = EXCLUDED."shopId", "audience" = EXCLUDED."audience", "title" = EXCLUDED."title", "boundAt" = EXCLUDED."boundAt"`,
      [binding.shopId, binding.platform, binding.chatId, binding.audience, binding.title, now],
    );
  }

  async unbind(platform: string, chatId: string): Promise<boolean> {
    return ((await query(this.pool, 'DELETE FROM "ChatBinding" WHERE "platform" = $1 AND "chatId" = $2', [platform, chatId])).rowCount ?? 0) > 0;
  }

  async personByIdentity(shopId: number, platform: string, platformUserId: string): Promise<PersonRecord | undefined> {
    // An account linked to two people of one shop gives the first of them, as SQLite's index order does.
    const { rows } = await query<PersonRecord>(
      this.pool,
      `SELECT p."id", p."shopId", p."displayName", p."role" FROM "Identity" i JOIN "Person" p ON p."id" = i."personId"
       WHERE p."shopId" = $1 AND i."platform" = $2 AND i."platformUserId" = $3 ORDER BY p."id" LIMIT 1`,
      [shopId, platform, platformUserId],
    );
    return rows[0];
  }

  async ownedShops(platform: string, platformUserId: string): Promise<number[]> {
    // SQLite reads the account's people through the (platform, platformUserId, personId) index and
    // keeps each shop's first: shops come in the order of their earliest such person.
    const { rows } = await query<{ shopId: number }>(
      this.pool,
      `SELECT p."shopId" FROM "Identity" i JOIN "Person" p ON p."id" = i."personId"
       WHERE i."platform" = $1 AND i."platformUserId" = $2 AND p."role" = 'owner' GROUP BY p."shopId" ORDER BY MIN(p."id")`,
      [platform, platformUserId],
    );
    return rows.map((r) => r.shopId);
  }

  async createPerson(shopId: number, displayName: string, role: PersonRole, identity: Omit<IdentityRecord, 'personId'>, now: Date): Promise<PersonRecord> {
    return transaction(this.pool, async (client) => {
      const { rows } = await query<PersonRecord>(
        client,
        'INSERT INTO "Person" ("shopId", "displayName", "role", "createdAt") VALUES ($1, $2, $3, $4) RETURNING "id", "shopId", "displayName", "role"',
        [shopId, displayName, role, now],
      );
      const person = rows[0] as PersonRecord;
      await this.upsertIdentity(client, person.id, identity);
      return person;
    });
  }

  async linkIdentity(personId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<void> {
    // Called for every message; writing only when something changed keeps chat reads from writing.
    const same = await query(
      this.pool,
      'SELECT 1 FROM "Identity" WHERE "personId" = $1 AND "platform" = $2 AND "platformUserId" = $3 AND "handle" IS NOT DISTINCT FROM $4',
      [personId, identity.platform, identity.platformUserId, identity.handle],
    );
    if (same.rows.length > 0) return;
    await this.upsertIdentity(this.pool, personId, identity);
  }

  private async upsertIdentity(on: Queryable, personId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<void> {
    await query(
      on,
      `INSERT INTO "Identity" ("personId", "platform", "platformUserId", "handle") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("personId", "platform") DO UPDATE SET "platformUserId" = EXCLUDED."platformUserId", "handle" = EXCLUDED."handle"`,
      [personId, identity.platform, identity.platformUserId, identity.handle],
    );
  }

  async people(shopId: number): Promise<(PersonRecord & { identities: IdentityRecord[] })[]> {
    const [people, identities] = await Promise.all([
      query<PersonRecord>(this.pool, 'SELECT "id", "shopId", "displayName", "role" FROM "Person" WHERE "shopId" = $1 ORDER BY "id"', [shopId]),
      query<IdentityRecord>(
        this.pool,
        // A person's accounts by platform name, as SQLite reads them through the (personId, platform) index.
        'SELECT i."personId", i."platform", i."platformUserId", i."handle" FROM "Identity" i JOIN "Person" p ON p."id" = i."personId" WHERE p."shopId" = $1 ORDER BY i."personId", i."platform" COLLATE "C"',
        [shopId],
      ),
    ]);
    return people.rows.map((p) => ({ ...p, identities: identities.rows.filter((i) => i.personId === p.id) }));
  }

  async setRole(personId: number, role: PersonRole): Promise<void> {
    await query(this.pool, 'UPDATE "Person" SET "role" = $1 WHERE "id" = $2', [role, personId]);
  }

  /**
   * Under READ COMMITTED the guarded UPDATE alone is not enough: two processes demoting the shop's two
   * owners would each count two owners in its own snapshot and update a different row, leaving none.
   * So the shop's people are locked first (in id order, so two of these never deadlock); the UPDATE
   * that follows, a new statement with a new snapshot, counts the owners as the other left them.
   * FOR NO KEY UPDATE, not FOR UPDATE: foreign-key checks (an identity or code pointing at a person)
   * take KEY SHARE locks, which it does not block.
   */
  async setRoleKeepingAnOwner(shopId: number, personId: number, role: ShopRole | 'removed'): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      await query(client, 'SELECT "id" FROM "Person" WHERE "shopId" = $1 ORDER BY "id" FOR NO KEY UPDATE', [shopId]);
      const { rowCount } = await query(
        client,
        `UPDATE "Person" SET "role" = $3 WHERE "id" = $2 AND "shopId" = $1
           AND ("role" <> 'owner' OR $3 = 'owner' OR (SELECT COUNT(*) FROM "Person" WHERE "shopId" = $1 AND "role" = 'owner') > 1)`,
        [shopId, personId, role],
      );
      return (rowCount ?? 0) > 0;
    });
  }

  async setMemberRole(shopId: number, role: 'staff' | 'viewer'): Promise<void> {
    await query(this.pool, 'UPDATE "Shop" SET "memberRole" = $1 WHERE "id" = $2', [role, shopId]);
  }

  async memberRole(shopId: number): Promise<'staff' | 'viewer'> {
    const { rows } = await query<{ memberRole: string }>(this.pool, 'SELECT "memberRole" FROM "Shop" WHERE "id" = $1', [shopId]);
    return rows[0]?.memberRole === 'staff' ? 'staff' : 'viewer';
  }

  async createCode(shopId: number, personId: number, code: string, now: Date, expiresAt: Date, purpose: CodePurpose): Promise<void> {
    await query(this.pool, 'INSERT INTO "BindingCode" ("shopId", "personId", "code", "createdAt", "expiresAt", "purpose") VALUES ($1, $2, $3, $4, $5, $6)', [
      shopId,
      personId,
      code,
      now,
      expiresAt,
      purpose,
    ]);
  }

  async findCode(code: string, now: Date): Promise<CodeGrant | undefined> {
    const { rows } = await query(this.pool, 'SELECT "shopId", "personId", "purpose" FROM "BindingCode" WHERE "code" = $1 AND "usedAt" IS NULL AND "expiresAt" > $2', [code, now]);
    return grantOf(rows[0]);
  }

  /**
   * One conditional UPDATE: a second process redeeming the same code waits for the first's row lock,
   * then re-checks `usedAt IS NULL` on the row as the first left it and updates nothing.
   */
  async redeemCode(code: string, now: Date): Promise<CodeGrant | undefined> {
    const { rows } = await query(
      this.pool,
      'UPDATE "BindingCode" SET "usedAt" = $2 WHERE "code" = $1 AND "usedAt" IS NULL AND "expiresAt" > $2 RETURNING "shopId", "personId", "purpose"',
      [code, now],
    );
    return grantOf(rows[0]);
  }

  /**
   * The emptied member is locked first, so its role cannot change between the check and the delete.
   * Another process giving the target person an account on the platform at the same moment makes the
   * move fail on the (personId, platform) key; that is the same answer SQLite gives when the other
   * write came first: false, nothing changed.
   */
  async moveMemberIdentity(fromPersonId: number, toPersonId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<boolean> {
    try {
      return await transaction(this.pool, async (client) => {
        await query(client, 'SELECT 1 FROM "Person" WHERE "id" = $1 FOR UPDATE', [fromPersonId]);
        const moved = await query(
          client,
          `UPDATE "Identity" SET "personId" = $2 WHERE "personId" = $1 AND "platform" = $3 AND "platformUserId" = $4
             AND EXISTS (SELECT 1 FROM "Person" WHERE "id" = $1 AND "role" = 'member')
             AND NOT EXISTS (SELECT 1 FROM "BindingCode" WHERE "personId" = $1)
             AND NOT EXISTS (SELECT 1 FROM "Identity" WHERE "personId" = $2 AND "platform" = $3)`,
          [fromPersonId, toPersonId, identity.platform, identity.platformUserId],
        );
        if ((moved.rowCount ?? 0) === 0) return false;
        await query(
          client,
          `DELETE FROM "Person" WHERE "id" = $1 AND "role" = 'member'
             AND NOT EXISTS (SELECT 1 FROM "Identity" WHERE "personId" = "Person"."id")
             AND NOT EXISTS (SELECT 1 FROM "BindingCode" WHERE "personId" = "Person"."id")`,
          [fromPersonId],
        );
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async audit(shopId: number, filter: { productId?: number; seq?: number; limit: number }): Promise<AuditRow[]> {
    return (await query<AuditRow>(this.pool, AUDIT, [shopId, filter.productId ?? null, filter.seq ?? null, filter.limit])).rows;
  }
}

/** Codes made before purposes existed only ever bound chats. */
function grantOf(row: unknown): CodeGrant | undefined {
  if (!row) return undefined;
  const r = row as { shopId: number; personId: number; purpose: string };
  return { shopId: r.shopId, personId: r.personId, purpose: r.purpose === 'link' ? 'link' : 'chat' };
}
