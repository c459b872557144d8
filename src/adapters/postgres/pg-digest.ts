import type pg from 'pg';
import { query, transaction, type Queryable } from './pg-query.ts';
import type { Audience } from '../../core/access.ts';
import type {
  ChannelBucketRow,
  ChannelRow,
  DigestQueries,
  DigestSettings,
  ExpiringBatchRow,
  MovementRow,
  ProductSalesRow,
  ProductStockRow,
  SalesRanges,
} from '../../core/digest-queries.ts';
import type { ChatTarget, DeliveryRecord, DeliveryStatus, DigestRunStore, PendingDelivery, RunClaim, RunRecord } from '../../core/digest-runs.ts';

/**
 * Translation notes, against src/adapters/prisma/sqlite-digest.ts:
 * - Instants are timestamptz here and epoch milliseconds there; ranges are compared with Date
 *   parameters, which `pg` sends with their offset, so the buckets are the same instants.
 * - sum() over bigint is numeric and sum() over int is bigint; jxcPgTypes reads both as exact numbers.
 * - SQLite hands back GROUP BY results sorted by the group key, NULL first and text by bytes; here every
 *   such query says so (ORDER BY … NULLS FIRST, COLLATE "C"), so rows come in the same order.
 * - PostgreSQL has no INDEXED BY; its planner chooses the (shopId, occurredAt) index or another from
 *   its statistics, so the hint SQLite needed after ANALYZE is dropped.
 */

/** The kind an entry counts as: a reversal counts as the kind it reverses, with opposite sign. */
const KIND = 'COALESCE(o."kind", e."kind")';
const REVERSED_FROM = 'FROM "Entry" e LEFT JOIN "Entry" o ON o."id" = e."reversesId"';
/** +1 for a sale, -1 for the reversal of one. */
const SALE_COUNT = `CASE WHEN e."kind" = 'sale' THEN 1 WHEN e."kind" = 'reversal' AND o."kind" = 'sale' THEN -1 ELSE 0 END`;

const SETTING_COLUMNS = ['salesWindowDays', 'leadTimeDays', 'safetyDays', 'overstockCoverDays', 'noSaleDays', 'expiryWarnDays', 'lowStockAlert', 'digestPicture'] as const;
/** The settings that are switches, not numbers of days. */
const SWITCHES: ReadonlySet<string> = new Set(['lowStockAlert', 'digestPicture']);

/** Chats not blocked since they were last bound: binding again (boundAt moves on) lifts a block. */
const ACTIVE_BINDING = '(b."blockedAt" IS NULL OR b."blockedAt" < b."boundAt")';

const PRODUCTS = `SELECT p."id" AS "productId", p."name", p."unit", p."mode", p."reorderLevel", p."overstockLevel", p."leadTimeDays", p."createdAt",
    COALESCE(SUM(b."qtyMilli"), 0) AS "qtyMilli", COALESCE(SUM(b."value"), 0) AS "value"
  FROM "Product" p LEFT JOIN "Balance" b ON b."productId" = p."id"
  WHERE p."shopId" = $1`;

/**
 * One pass over the longest of the rate windows and the month so far, as in SQLite: a reversal
 * carries the occurredAt of the entry it undoes, so within any range a sale and its reversal cancel.
 * $2 … $6 are windowFrom, noSaleFrom, rateTo, monthFrom, monthTo; $7 and $8 the whole range.
 */
function productSalesSql(filter: string): string {
  return `SELECT e."productId",
      COALESCE(-SUM(CASE WHEN e."occurredAt" >= $2 AND e."occurredAt" < $4 THEN e."qtyMilli" END), 0) AS "windowSoldMilli",
      SUM(CASE WHEN e."occurredAt" < $3 OR e."occurredAt" >= $4 THEN 0 ELSE ${SALE_COUNT} END) AS "recentSales",
      COALESCE(SUM(CASE WHEN e."occurredAt" >= $5 AND e."occurredAt" < $6 THEN e."amount" END), 0) AS "monthRevenue",
      COALESCE(SUM(CASE WHEN e."occurredAt" >= $5 AND e."occurredAt" < $6 THEN e."cost" END), 0) AS "monthCost",
      SUM(CASE WHEN e."occurredAt" < $5 OR e."occurredAt" >= $6 THEN 0 ELSE ${SALE_COUNT} END) AS "monthSalesCount"
    ${REVERSED_FROM}
    WHERE e."shopId" = $1 AND e."occurredAt" >= $7 AND e."occurredAt" < $8 AND ${KIND} IN ('sale', 'customer_return')
    ${filter} GROUP BY e."productId" ORDER BY e."productId"`;
}

const DELIVERY_MARKED = 'WHERE "id" = $2 AND "attemptedBy" = $3';

/**
 * The digest's aggregates and its exactly-once bookkeeping on PostgreSQL, giving the same rows as
 * SqliteDigestStore. SQLite's claim is one IMMEDIATE transaction that no other writer can enter;
 * here several processes claim at once, so the claim rests on the (shopId, localDate) unique index
 * (ON CONFLICT DO NOTHING: the loser waits for the winner's commit and inserts nothing), and a lease
 * is an UPDATE whose `status = 'pending'` a second process re-checks after the first commits.
 */
export class PgDigestStore implements DigestQueries, DigestRunStore {
  constructor(readonly pool: pg.Pool) {}

  async settings(shopId: number): Promise<DigestSettings> {
    const { rows } = await query<DigestSettings>(this.pool, `SELECT ${SETTING_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "Shop" WHERE "id" = $1`, [shopId]);
    const row = rows[0];
    if (!row) throw new Error(`no shop with id ${shopId}`);
    return row;
  }

  /**
   * Changes a shop's digest thresholds (positive whole days) and switches. Every value is checked
   * before anything is written, and the patch is one UPDATE: a refused patch changes nothing.
   */
  async updateSettings(shopId: number, patch: Partial<DigestSettings>): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [shopId];
    for (const key of SETTING_COLUMNS) {
      const value = patch[key];
      if (value === undefined) continue;
      if (!SWITCHES.has(key) && (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 3650)) {
        throw new RangeError(`${key} must be a whole number of days from 1 to 3650`);
      }
      values.push(SWITCHES.has(key) ? Boolean(value) : value);
      sets.push(`"${key}" = $${values.length}`);
    }
    if (sets.length === 0) return;
    await query(this.pool, `UPDATE "Shop" SET ${sets.join(', ')} WHERE "id" = $1`, values);
  }

  async products(shopId: number, productIds?: readonly number[]): Promise<ProductStockRow[]> {
    const { rows } =
      productIds === undefined
        ? await query<ProductStockRow>(this.pool, `${PRODUCTS} GROUP BY p."id" ORDER BY p."id"`, [shopId])
        : await query<ProductStockRow>(this.pool, `${PRODUCTS} AND p."id" = ANY($2::int[]) GROUP BY p."id" ORDER BY p."id"`, [shopId, [...productIds]]);
    return rows;
  }

  async movements(shopId: number, from: Date, to: Date): Promise<MovementRow[]> {
    const { rows } = await query<MovementRow>(
      this.pool,
      `SELECT e."productId",
          COALESCE(SUM(CASE WHEN ${KIND} = 'purchase' THEN e."qtyMilli" END), 0) AS "purchasedMilli",
          COALESCE(-SUM(CASE WHEN ${KIND} = 'sale' THEN e."qtyMilli" END), 0) AS "soldMilli",
          COALESCE(SUM(CASE WHEN ${KIND} = 'customer_return' THEN e."qtyMilli" END), 0) AS "customerReturnMilli",
          COALESCE(-SUM(CASE WHEN ${KIND} = 'supplier_return' THEN e."qtyMilli" END), 0) AS "supplierReturnMilli",
          COALESCE(SUM(CASE WHEN ${KIND} = 'adjustment' THEN e."qtyMilli" END), 0) AS "adjustedMilli"
        ${REVERSED_FROM}
        WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND e."occurredAt" < $3 AND ${KIND} IN ('purchase', 'sale', 'customer_return', 'supplier_return', 'adjustment')
        GROUP BY e."productId" ORDER BY e."productId"`,
      [shopId, from, to],
    );
    return rows;
  }

  async channelSales(shopId: number, from: Date, to: Date): Promise<ChannelRow[]> {
    const { rows } = await query<ChannelRow>(
      this.pool,
      `SELECT e."channel", SUM(${SALE_COUNT}) AS "salesCount", SUM(e."amount") AS "revenue", SUM(e."cost") AS "cost"
        ${REVERSED_FROM}
        WHERE e."shopId" = $1 AND e."occurredAt" >= $2 AND e."occurredAt" < $3 AND ${KIND} IN ('sale', 'customer_return')
        GROUP BY e."channel" ORDER BY e."channel" COLLATE "C" NULLS FIRST`,
      [shopId, from, to],
    );
    return rows;
  }

  async channelSalesByBucket(shopId: number, bounds: readonly Date[]): Promise<ChannelBucketRow[]> {
    if (bounds.length < 2) return [];
    // One range scan per bucket through the (shopId, occurredAt) index; bucket i is [bounds[i], bounds[i+1]).
    const { rows } = await query<ChannelBucketRow>(
      this.pool,
      `WITH "bucket"("i", "lo", "hi") AS (SELECT (u."n" - 1)::int, u."lo", u."hi" FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS u("lo", "hi", "n"))
        SELECT "bucket"."i" AS "bucket", e."channel", SUM(${SALE_COUNT}) AS "salesCount", SUM(e."amount") AS "revenue", SUM(e."cost") AS "cost"
        FROM "bucket" JOIN "Entry" e ON e."shopId" = $1 AND e."occurredAt" >= "bucket"."lo" AND e."occurredAt" < "bucket"."hi"
        LEFT JOIN "Entry" o ON o."id" = e."reversesId"
        WHERE ${KIND} IN ('sale', 'customer_return')
        GROUP BY "bucket"."i", e."channel" ORDER BY "bucket"."i", e."channel" COLLATE "C" NULLS FIRST`,
      [shopId, bounds.slice(0, -1), bounds.slice(1)],
    );
    return rows;
  }

  async productSales(shopId: number, ranges: SalesRanges, productIds?: readonly number[]): Promise<ProductSalesRow[]> {
    const { windowFrom, noSaleFrom, rateTo, monthFrom, monthTo } = ranges;
    const from = new Date(Math.min(windowFrom.getTime(), noSaleFrom.getTime(), monthFrom.getTime()));
    const to = new Date(Math.max(rateTo.getTime(), monthTo.getTime()));
    const values: unknown[] = [shopId, windowFrom, noSaleFrom, rateTo, monthFrom, monthTo, from, to];
    if (productIds === undefined) return (await query<ProductSalesRow>(this.pool, productSalesSql(''), values)).rows;
    return (await query<ProductSalesRow>(this.pool, productSalesSql('AND e."productId" = ANY($9::int[])'), [...values, [...productIds]])).rows;
  }

  async expiringBatches(shopId: number, before: Date): Promise<ExpiringBatchRow[]> {
    // SQLite sorts by expiry only; batches expiring together come in its grouping order, spelled out here.
    const { rows } = await query<ExpiringBatchRow>(
      this.pool,
      `SELECT b."productId", b."code", b."expiresAt", SUM(b."qtyMilli") AS "qtyMilli"
        FROM "Batch" b JOIN "Product" p ON p."id" = b."productId"
        WHERE p."shopId" = $1 AND b."expiresAt" IS NOT NULL AND b."expiresAt" < $2 AND b."qtyMilli" > 0
        GROUP BY b."productId", b."code", b."expiresAt" ORDER BY b."expiresAt", b."productId", b."code" COLLATE "C" NULLS FIRST`,
      [shopId, before],
    );
    return rows;
  }

  async hasRun(shopId: number, localDate: string): Promise<boolean> {
    return (await query(this.pool, 'SELECT 1 FROM "DigestRun" WHERE "shopId" = $1 AND "localDate" = $2', [shopId, localDate])).rows.length > 0;
  }

  async activeChats(shopId: number): Promise<ChatTarget[]> {
    const { rows } = await query<{ platform: string; chatId: string; audience: string }>(
      this.pool,
      `SELECT b."platform", b."chatId", b."audience" FROM "ChatBinding" b WHERE b."shopId" = $1 AND ${ACTIVE_BINDING} ORDER BY b."id"`,
      [shopId],
    );
    return rows.map((r) => ({ ...r, audience: toAudience(r.audience) }));
  }

  /**
   * The run and its deliveries in one transaction. A second process claiming the same date blocks on
   * the unique index until the first commits, then its ON CONFLICT DO NOTHING returns no row and it
   * writes nothing; if the first rolled back instead, the second's insert goes through.
   */
  async claim(claim: RunClaim): Promise<number | undefined> {
    return transaction(this.pool, async (client) => {
      const { rows } = await query<{ id: number }>(
        client,
        `INSERT INTO "DigestRun" ("shopId", "localDate", "scheduledAt", "claimedAt", "claimedBy", "late") VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT ("shopId", "localDate") DO NOTHING RETURNING "id"`,
        [claim.shopId, claim.localDate, claim.scheduledAt, claim.now, claim.claimedBy, claim.late],
      );
      const runId = rows[0]?.id;
      if (runId === undefined) return undefined;
      for (const d of claim.deliveries) {
        const image = d.image === undefined ? null : Buffer.from(d.image.buffer, d.image.byteOffset, d.image.byteLength);
        await query(
          client,
          `INSERT INTO "DigestDelivery" ("runId", "platform", "chatId", "audience", "text", "image", "nextAttemptAt") VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT ("runId", "platform", "chatId") DO NOTHING`,
          [runId, d.platform, d.chatId, d.audience, d.text, image, claim.now],
        );
      }
      return runId;
    });
  }

  async interruptStale(before: Date): Promise<number> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE "DigestDelivery" SET "status" = 'interrupted', "lastError" = 'the sending process stopped mid-call; not retried, the chat may already have it'
        WHERE "status" = 'sending' AND "attemptedAt" < $1`,
      [before],
    );
    return rowCount ?? 0;
  }

  async expire(scheduledBefore: Date, now: Date): Promise<number> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE "DigestDelivery" SET "status" = 'failed', "lastError" = COALESCE("lastError" || '; ', '') || 'gave up: too late to send', "nextAttemptAt" = $1
        WHERE "status" = 'pending' AND "runId" IN (SELECT "id" FROM "DigestRun" WHERE "finishedAt" IS NULL AND "scheduledAt" < $2)`,
      [now, scheduledBefore],
    );
    return rowCount ?? 0;
  }

  async duePending(now: Date, scheduledAfter: Date): Promise<PendingDelivery[]> {
    const { rows } = await query<PendingDelivery & { audience: string }>(
      this.pool,
      `SELECT d."id", d."runId", r."shopId", r."localDate", d."platform", d."chatId", d."audience", d."text", d."image", d."attempts", r."scheduledAt"
        FROM "DigestDelivery" d JOIN "DigestRun" r ON r."id" = d."runId"
        WHERE d."status" = 'pending' AND d."nextAttemptAt" <= $1 AND r."scheduledAt" >= $2
        ORDER BY r."scheduledAt", d."id"`,
      [now, scheduledAfter],
    );
    return rows.map((r) => ({ ...r, audience: toAudience(r.audience) }));
  }

  /** A second process leasing the same copy waits for the first's row lock, then finds it no longer pending. */
  async lease(id: number, by: string, now: Date): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE "DigestDelivery" SET "status" = 'sending', "attempts" = "attempts" + 1, "attemptedAt" = $1, "attemptedBy" = $2
        WHERE "id" = $3 AND "status" = 'pending'`,
      [now, by, id],
    );
    return rowCount === 1;
  }

  async markSent(id: number, by: string, now: Date): Promise<void> {
    await query(this.pool, `UPDATE "DigestDelivery" SET "status" = 'sent', "deliveredAt" = $1, "lastError" = NULL ${DELIVERY_MARKED} AND "status" IN ('sending', 'interrupted')`, [
      now,
      id,
      by,
    ]);
  }

  async markRetry(id: number, by: string, error: string, nextAttemptAt: Date): Promise<void> {
    await query(this.pool, `UPDATE "DigestDelivery" SET "status" = 'pending', "lastError" = $1, "nextAttemptAt" = $4 ${DELIVERY_MARKED} AND "status" = 'sending'`, [
      error,
      id,
      by,
      nextAttemptAt,
    ]);
  }

  async markFailed(id: number, by: string, error: string): Promise<void> {
    await query(this.pool, `UPDATE "DigestDelivery" SET "status" = 'failed', "lastError" = $1 ${DELIVERY_MARKED} AND "status" IN ('sending', 'interrupted')`, [error, id, by]);
  }

  async markBlocked(id: number, by: string, error: string, now: Date): Promise<void> {
    await transaction(this.pool, async (client) => {
      const { rows } = await query<{ platform: string; chatId: string }>(
        client,
        `UPDATE "DigestDelivery" SET "status" = 'blocked', "lastError" = $1 ${DELIVERY_MARKED} AND "status" IN ('sending', 'interrupted') RETURNING "platform", "chatId"`,
        [error, id, by],
      );
      const row = rows[0];
      if (!row) return;
      await this.blockChatOn(client, row.platform, row.chatId, now);
      await query(
        client,
        `UPDATE "DigestDelivery" SET "status" = 'blocked', "lastError" = 'the chat blocked or removed the bot'
          WHERE "platform" = $1 AND "chatId" = $2 AND "status" = 'pending'`,
        [row.platform, row.chatId],
      );
    });
  }

  async blockChat(platform: string, chatId: string, now: Date): Promise<void> {
    await this.blockChatOn(this.pool, platform, chatId, now);
  }

  private async blockChatOn(on: Queryable, platform: string, chatId: string, now: Date): Promise<void> {
    await query(on, 'UPDATE "ChatBinding" SET "blockedAt" = $1 WHERE "platform" = $2 AND "chatId" = $3', [now, platform, chatId]);
  }

  /**
   * Lifts a block when the chat shows the bot is back (a message arrived from it), so digests reach it
   * again without binding it anew. Returns whether the chat had been blocked.
   */
  async unblockChat(platform: string, chatId: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'UPDATE "ChatBinding" SET "blockedAt" = NULL WHERE "platform" = $1 AND "chatId" = $2 AND "blockedAt" IS NOT NULL', [platform, chatId]);
    return (rowCount ?? 0) > 0;
  }

  async finishRuns(now: Date): Promise<number> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE "DigestRun" SET "finishedAt" = $1 WHERE "finishedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "DigestDelivery" d WHERE d."runId" = "DigestRun"."id" AND d."status" IN ('pending', 'sending'))`,
      [now],
    );
    return rowCount ?? 0;
  }

  async run(shopId: number, localDate: string): Promise<(RunRecord & { deliveries: DeliveryRecord[] }) | undefined> {
    const runs = await query<RunRecord>(
      this.pool,
      'SELECT "id", "shopId", "localDate", "scheduledAt", "claimedAt", "claimedBy", "late", "finishedAt" FROM "DigestRun" WHERE "shopId" = $1 AND "localDate" = $2',
      [shopId, localDate],
    );
    const row = runs.rows[0];
    if (!row) return undefined;
    const deliveries = await query<DeliveryRecord & { audience: string; status: string }>(
      this.pool,
      'SELECT "id", "runId", "platform", "chatId", "audience", "status", "attempts", "lastError", "deliveredAt", "text" FROM "DigestDelivery" WHERE "runId" = $1 ORDER BY "id"',
      [row.id],
    );
    return { ...row, deliveries: deliveries.rows.map((d) => ({ ...d, audience: toAudience(d.audience), status: d.status as DeliveryStatus })) };
  }

  async saleEntries(shopId: number, seqs: readonly number[]): Promise<{ productId: number; qtyMilli: number }[]> {
    if (seqs.length === 0) return [];
    const { rows } = await query<{ productId: number; qtyMilli: number }>(
      this.pool,
      `SELECT "productId", "qtyMilli" FROM "Entry" WHERE "shopId" = $1 AND "kind" = 'sale' AND "seq" = ANY($2::int[]) ORDER BY "seq"`,
      [shopId, [...seqs]],
    );
    return rows;
  }
}

function toAudience(value: string): Audience {
  return value === 'owner' ? 'owner' : 'staff';
}
