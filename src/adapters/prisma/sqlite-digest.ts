import type Database from 'better-sqlite3';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import { lazyStatements } from './statements.ts';
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
import type {
  ChatTarget,
  DeliveryRecord,
  DeliveryStatus,
  DigestRunStore,
  PendingDelivery,
  RunClaim,
  RunRecord,
} from '../../core/digest-runs.ts';

/** The kind an entry counts as: a reversal counts as the kind it reverses, with opposite sign. */
const KIND = 'COALESCE(o.kind, e.kind)';
/**
 * Ranges are read through the (shopId, occurredAt) index by name: once ANALYZE has run, SQLite would
 * otherwise answer a GROUP BY productId by skip-scanning the (productId, occurredAt) index, one seek
 * per product of the whole catalogue, several times slower than reading the range.
 */
const REVERSED_FROM = 'FROM Entry e INDEXED BY Entry_shopId_occurredAt_idx LEFT JOIN Entry o ON o.id = e.reversesId';

const SETTING_COLUMNS = ['salesWindowDays', 'leadTimeDays', 'safetyDays', 'overstockCoverDays', 'noSaleDays', 'expiryWarnDays', 'lowStockAlert', 'digestPicture'] as const;
/** The settings that are switches, not numbers of days. */
const SWITCHES: ReadonlySet<string> = new Set(['lowStockAlert', 'digestPicture']);

/** Chats not blocked since they were last bound: binding again (boundAt moves on) lifts a block. */
const ACTIVE_BINDING = '(b.blockedAt IS NULL OR b.blockedAt < b.boundAt)';

interface ProductStockSql extends Omit<ProductStockRow, 'createdAt'> {
  createdAt: number | Date;
}

interface DeliverySql extends Omit<DeliveryRecord, 'deliveredAt' | 'audience' | 'status'> {
  audience: string;
  status: string;
  deliveredAt: number | null;
}

/**
 * One pass over the longest of the rate windows and the month so far. A reversal carries the
 * occurredAt of the entry it undoes, so within any range a sale and its reversal cancel: the CASEs
 * count sales not undone without looking each one up. `filter` narrows it to some products.
 */
function productSalesSql(filter: string): string {
  return `SELECT e.productId,
          COALESCE(-SUM(CASE WHEN e.occurredAt >= @windowFrom AND e.occurredAt < @rateTo THEN e.qtyMilli END), 0) AS windowSoldMilli,
          SUM(CASE WHEN e.occurredAt < @noSaleFrom OR e.occurredAt >= @rateTo THEN 0 WHEN e.kind = 'sale' THEN 1 WHEN e.kind = 'reversal' AND o.kind = 'sale' THEN -1 ELSE 0 END) AS recentSales,
          COALESCE(SUM(CASE WHEN e.occurredAt >= @monthFrom AND e.occurredAt < @monthTo THEN e.amount END), 0) AS monthRevenue,
          COALESCE(SUM(CASE WHEN e.occurredAt >= @monthFrom AND e.occurredAt < @monthTo THEN e.cost END), 0) AS monthCost,
          SUM(CASE WHEN e.occurredAt < @monthFrom OR e.occurredAt >= @monthTo THEN 0 WHEN e.kind = 'sale' THEN 1 WHEN e.kind = 'reversal' AND o.kind = 'sale' THEN -1 ELSE 0 END) AS monthSalesCount
        ${REVERSED_FROM}
        WHERE e.shopId = @shopId AND e.occurredAt >= @from AND e.occurredAt < @to AND ${KIND} IN ('sale', 'customer_return')
        ${filter} GROUP BY e.productId`;
}

/**
 * The digest's aggregates and its exactly-once bookkeeping on SQLite. Every ledger query is a range
 * scan of the (shopId, occurredAt) index, so a digest reads the day, the month so far and the rate
 * windows, never the whole ledger; product figures come from the Balance table, one row per product
 * and location.
 */
export class SqliteDigestStore implements DigestQueries, DigestRunStore {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    this.s = lazyStatements({
      settings: p(`SELECT ${SETTING_COLUMNS.join(', ')} FROM Shop WHERE id = ?`),
      products: p(`SELECT p.id AS productId, p.name, p.unit, p.mode, p.reorderLevel, p.overstockLevel, p.leadTimeDays, p.createdAt,
          COALESCE(SUM(b.qtyMilli), 0) AS qtyMilli, COALESCE(SUM(b.value), 0) AS value
        FROM Product p LEFT JOIN Balance b ON b.productId = p.id
        WHERE p.shopId = ? GROUP BY p.id`),
      productsIn: p(`SELECT p.id AS productId, p.name, p.unit, p.mode, p.reorderLevel, p.overstockLevel, p.leadTimeDays, p.createdAt,
          COALESCE(SUM(b.qtyMilli), 0) AS qtyMilli, COALESCE(SUM(b.value), 0) AS value
        FROM Product p LEFT JOIN Balance b ON b.productId = p.id
        WHERE p.shopId = ? AND p.id IN (SELECT value FROM json_each(?)) GROUP BY p.id`),
      movements: p(`SELECT e.productId,
          COALESCE(SUM(CASE WHEN ${KIND} = 'purchase' THEN e.qtyMilli END), 0) AS purchasedMilli,
          COALESCE(-SUM(CASE WHEN ${KIND} = 'sale' THEN e.qtyMilli END), 0) AS soldMilli,
          COALESCE(SUM(CASE WHEN ${KIND} = 'customer_return' THEN e.qtyMilli END), 0) AS customerReturnMilli,
          COALESCE(-SUM(CASE WHEN ${KIND} = 'supplier_return' THEN e.qtyMilli END), 0) AS supplierReturnMilli,
          COALESCE(SUM(CASE WHEN ${KIND} = 'adjustment' THEN e.qtyMilli END), 0) AS adjustedMilli
        ${REVERSED_FROM}
        WHERE e.shopId = ? AND e.occurredAt >= ? AND e.occurredAt < ? AND ${KIND} IN ('purchase', 'sale', 'customer_return', 'supplier_return', 'adjustment')
        GROUP BY e.productId`),
      channelSales: p(`SELECT e.channel,
          SUM(CASE WHEN e.kind = 'sale' THEN 1 WHEN e.kind = 'reversal' AND o.kind = 'sale' THEN -1 ELSE 0 END) AS salesCount,
          SUM(e.amount) AS revenue, SUM(e.cost) AS cost
        ${REVERSED_FROM}
        WHERE e.shopId = ? AND e.occurredAt >= ? AND e.occurredAt < ? AND ${KIND} IN ('sale', 'customer_return')
        GROUP BY e.channel`),
      // One range scan per bucket through the (shopId, occurredAt) index; the bounds come as a JSON array of [from, to] pairs.
      channelSalesByBucket: p(`WITH bucket(i, lo, hi) AS (SELECT CAST(key AS INTEGER), value ->> 0, value ->> 1 FROM json_each(?))
        SELECT bucket.i AS bucket, e.channel,
          SUM(CASE WHEN e.kind = 'sale' THEN 1 WHEN e.kind = 'reversal' AND o.kind = 'sale' THEN -1 ELSE 0 END) AS salesCount,
          SUM(e.amount) AS revenue, SUM(e.cost) AS cost
        FROM bucket CROSS JOIN Entry e INDEXED BY Entry_shopId_occurredAt_idx LEFT JOIN Entry o ON o.id = e.reversesId
        WHERE e.shopId = ? AND e.occurredAt >= bucket.lo AND e.occurredAt < bucket.hi AND ${KIND} IN ('sale', 'customer_return')
        GROUP BY bucket.i, e.channel`),
      productSales: p(productSalesSql('')),
      productSalesIn: p(productSalesSql('AND e.productId IN (SELECT value FROM json_each(@ids))')),
      expiring: p(`SELECT b.productId, b.code, b.expiresAt, SUM(b.qtyMilli) AS qtyMilli
        FROM Batch b JOIN Product p ON p.id = b.productId
        WHERE p.shopId = ? AND b.expiresAt IS NOT NULL AND b.expiresAt < ? AND b.qtyMilli > 0
        GROUP BY b.productId, b.code, b.expiresAt ORDER BY b.expiresAt`),

      hasRun: p('SELECT 1 FROM DigestRun WHERE shopId = ? AND localDate = ?'),
      activeChats: p(`SELECT b.platform, b.chatId, b.audience FROM ChatBinding b WHERE b.shopId = ? AND ${ACTIVE_BINDING} ORDER BY b.id`),
      insertRun: p(`INSERT INTO DigestRun (shopId, localDate, scheduledAt, claimedAt, claimedBy, late) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(shopId, localDate) DO NOTHING RETURNING id`),
      insertDelivery: p(`INSERT INTO DigestDelivery (runId, platform, chatId, audience, text, image, nextAttemptAt) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(runId, platform, chatId) DO NOTHING`),
      interruptStale: p(`UPDATE DigestDelivery SET status = 'interrupted', lastError = 'the sending process stopped mid-call; not retried, the chat may already have it'
        WHERE status = 'sending' AND attemptedAt < ?`),
      expire: p(`UPDATE DigestDelivery SET status = 'failed', lastError = COALESCE(lastError || '; ', '') || 'gave up: too late to send', nextAttemptAt = ?
        WHERE status = 'pending' AND runId IN (SELECT id FROM DigestRun WHERE finishedAt IS NULL AND scheduledAt < ?)`),
      duePending: p(`SELECT d.id, d.runId, r.shopId, r.localDate, d.platform, d.chatId, d.audience, d.text, d.image, d.attempts, r.scheduledAt
        FROM DigestDelivery d JOIN DigestRun r ON r.id = d.runId
        WHERE d.status = 'pending' AND d.nextAttemptAt <= ? AND r.scheduledAt >= ?
        ORDER BY r.scheduledAt, d.id`),
      lease: p(`UPDATE DigestDelivery SET status = 'sending', attempts = attempts + 1, attemptedAt = ?, attemptedBy = ?
        WHERE id = ? AND status = 'pending'`),
      sent: p(`UPDATE DigestDelivery SET status = 'sent', deliveredAt = ?, lastError = NULL
        WHERE id = ? AND attemptedBy = ? AND status IN ('sending', 'interrupted')`),
      retry: p(`UPDATE DigestDelivery SET status = 'pending', lastError = ?, nextAttemptAt = ?
        WHERE id = ? AND attemptedBy = ? AND status = 'sending'`),
      failed: p(`UPDATE DigestDelivery SET status = 'failed', lastError = ?
        WHERE id = ? AND attemptedBy = ? AND status IN ('sending', 'interrupted')`),
      blocked: p(`UPDATE DigestDelivery SET status = 'blocked', lastError = ?
        WHERE id = ? AND attemptedBy = ? AND status IN ('sending', 'interrupted') RETURNING platform, chatId`),
      blockOthers: p(`UPDATE DigestDelivery SET status = 'blocked', lastError = 'the chat blocked or removed the bot'
        WHERE platform = ? AND chatId = ? AND status = 'pending'`),
      blockChat: p('UPDATE ChatBinding SET blockedAt = ? WHERE platform = ? AND chatId = ?'),
      unblockChat: p('UPDATE ChatBinding SET blockedAt = NULL WHERE platform = ? AND chatId = ? AND blockedAt IS NOT NULL'),
      finishRuns: p(`UPDATE DigestRun SET finishedAt = ? WHERE finishedAt IS NULL
        AND NOT EXISTS (SELECT 1 FROM DigestDelivery d WHERE d.runId = DigestRun.id AND d.status IN ('pending', 'sending'))`),
      run: p('SELECT * FROM DigestRun WHERE shopId = ? AND localDate = ?'),
      deliveries: p('SELECT id, runId, platform, chatId, audience, status, attempts, lastError, deliveredAt, text FROM DigestDelivery WHERE runId = ? ORDER BY id'),
      saleEntries: p(`SELECT productId, qtyMilli FROM Entry WHERE shopId = ? AND kind = 'sale' AND seq IN (SELECT value FROM json_each(?))`),
    });
  }

  settings(shopId: number): Promise<DigestSettings> {
    return this.gate.run(() => {
      const row = this.s.settings.get(shopId) as (Omit<DigestSettings, 'lowStockAlert' | 'digestPicture'> & { lowStockAlert: number; digestPicture: number }) | undefined;
      if (!row) throw new Error(`no shop with id ${shopId}`);
      return { ...row, lowStockAlert: row.lowStockAlert === 1, digestPicture: row.digestPicture === 1 };
    });
  }

  /** Changes a shop's digest thresholds (positive whole days) and switches. */
  updateSettings(shopId: number, patch: Partial<DigestSettings>): Promise<void> {
    return this.gate.run(() => {
      for (const key of SETTING_COLUMNS) {
        const value = patch[key];
        if (value === undefined) continue;
        if (!SWITCHES.has(key) && (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 3650)) {
          throw new RangeError(`${key} must be a whole number of days from 1 to 3650`);
        }
        this.db.prepare(`UPDATE Shop SET "${key}" = ? WHERE id = ?`).run(typeof value === 'boolean' ? Number(value) : value, shopId);
      }
    });
  }

  products(shopId: number, productIds?: readonly number[]): Promise<ProductStockRow[]> {
    return this.gate.run(() => {
      const rows = (productIds === undefined ? this.s.products.all(shopId) : this.s.productsIn.all(shopId, JSON.stringify(productIds))) as ProductStockSql[];
      // Converted in place: ten thousand rows are read for every digest.
      for (const r of rows) r.createdAt = new Date(r.createdAt);
      return rows as ProductStockRow[];
    });
  }

  movements(shopId: number, from: Date, to: Date): Promise<MovementRow[]> {
    return this.gate.run(() => {
      return this.s.movements.all(shopId, from.getTime(), to.getTime()) as MovementRow[];
    });
  }

  channelSales(shopId: number, from: Date, to: Date): Promise<ChannelRow[]> {
    return this.gate.run(() => {
      return this.s.channelSales.all(shopId, from.getTime(), to.getTime()) as ChannelRow[];
    });
  }

  channelSalesByBucket(shopId: number, bounds: readonly Date[]): Promise<ChannelBucketRow[]> {
    return this.gate.run(() => {
      if (bounds.length < 2) return [];
      const pairs = bounds.slice(1).map((to, i) => [(bounds[i] as Date).getTime(), to.getTime()]);
      return this.s.channelSalesByBucket.all(JSON.stringify(pairs), shopId) as ChannelBucketRow[];
    });
  }

  productSales(shopId: number, ranges: SalesRanges, productIds?: readonly number[]): Promise<ProductSalesRow[]> {
    return this.gate.run(() => {
      const t = {
        windowFrom: ranges.windowFrom.getTime(),
        noSaleFrom: ranges.noSaleFrom.getTime(),
        rateTo: ranges.rateTo.getTime(),
        monthFrom: ranges.monthFrom.getTime(),
        monthTo: ranges.monthTo.getTime(),
      };
      const from = Math.min(t.windowFrom, t.noSaleFrom, t.monthFrom);
      const to = Math.max(t.rateTo, t.monthTo);
      if (productIds !== undefined) return this.s.productSalesIn.all({ shopId, ...t, from, to, ids: JSON.stringify(productIds) }) as ProductSalesRow[];
      return this.s.productSales.all({ shopId, ...t, from, to }) as ProductSalesRow[];
    });
  }

  expiringBatches(shopId: number, before: Date): Promise<ExpiringBatchRow[]> {
    return this.gate.run(() => {
      const rows = this.s.expiring.all(shopId, before.getTime()) as (Omit<ExpiringBatchRow, 'expiresAt'> & { expiresAt: number })[];
      return rows.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
    });
  }

  hasRun(shopId: number, localDate: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.hasRun.get(shopId, localDate) !== undefined;
    });
  }

  activeChats(shopId: number): Promise<ChatTarget[]> {
    return this.gate.run(() => {
      return (this.s.activeChats.all(shopId) as { platform: string; chatId: string; audience: string }[]).map((r) => ({
        ...r,
        audience: r.audience === 'owner' ? 'owner' : 'staff',
      }));
    });
  }

  claim(claim: RunClaim): Promise<number | undefined> {
    return this.gate.run(() => {
      // IMMEDIATE: the run and its deliveries appear together or not at all, whoever else is writing.
      return this.db
        .transaction(() => {
          const row = this.s.insertRun.get(claim.shopId, claim.localDate, claim.scheduledAt.getTime(), claim.now.getTime(), claim.claimedBy, Number(claim.late)) as
            | { id: number }
            | undefined;
          if (!row) return undefined;
          for (const d of claim.deliveries) {
            const image = d.image === undefined ? null : Buffer.from(d.image.buffer, d.image.byteOffset, d.image.byteLength);
            this.s.insertDelivery.run(row.id, d.platform, d.chatId, d.audience, d.text, image, claim.now.getTime());
          }
          return row.id;
        })
        .immediate();
    });
  }

  interruptStale(before: Date): Promise<number> {
    return this.gate.run(() => {
      return this.s.interruptStale.run(before.getTime()).changes;
    });
  }

  expire(scheduledBefore: Date, now: Date): Promise<number> {
    return this.gate.run(() => {
      return this.s.expire.run(now.getTime(), scheduledBefore.getTime()).changes;
    });
  }

  duePending(now: Date, scheduledAfter: Date): Promise<PendingDelivery[]> {
    return this.gate.run(() => {
      const rows = this.s.duePending.all(now.getTime(), scheduledAfter.getTime()) as (Omit<PendingDelivery, 'scheduledAt' | 'audience' | 'image'> & {
        scheduledAt: number;
        audience: string;
        image: Buffer | null;
      })[];
      return rows.map((r) => ({ ...r, audience: toAudience(r.audience), scheduledAt: new Date(r.scheduledAt) }));
    });
  }

  lease(id: number, by: string, now: Date): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.lease.run(now.getTime(), by, id).changes === 1;
    });
  }

  markSent(id: number, by: string, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.sent.run(now.getTime(), id, by);
    });
  }

  markRetry(id: number, by: string, error: string, nextAttemptAt: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.retry.run(error, nextAttemptAt.getTime(), id, by);
    });
  }

  markFailed(id: number, by: string, error: string): Promise<void> {
    return this.gate.run(() => {
      this.s.failed.run(error, id, by);
    });
  }

  markBlocked(id: number, by: string, error: string, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.db
        .transaction(() => {
          const row = this.s.blocked.get(error, id, by) as { platform: string; chatId: string } | undefined;
          if (!row) return;
          this.s.blockChat.run(now.getTime(), row.platform, row.chatId);
          this.s.blockOthers.run(row.platform, row.chatId);
        })
        .immediate();
    });
  }

  blockChat(platform: string, chatId: string, now: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.blockChat.run(now.getTime(), platform, chatId);
    });
  }

  /**
   * Lifts a block when the chat shows the bot is back (a message arrived from it), so digests reach it
   * again without binding it anew. Returns whether the chat had been blocked.
   */
  unblockChat(platform: string, chatId: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.unblockChat.run(platform, chatId).changes > 0;
    });
  }

  finishRuns(now: Date): Promise<number> {
    return this.gate.run(() => {
      return this.s.finishRuns.run(now.getTime()).changes;
    });
  }

  run(shopId: number, localDate: string): Promise<(RunRecord & { deliveries: DeliveryRecord[] }) | undefined> {
    return this.gate.run(() => {
      const row = this.s.run.get(shopId, localDate) as
        | (Omit<RunRecord, 'scheduledAt' | 'claimedAt' | 'finishedAt' | 'late'> & { scheduledAt: number; claimedAt: number; finishedAt: number | null; late: number })
        | undefined;
      if (!row) return undefined;
      const deliveries = (this.s.deliveries.all(row.id) as DeliverySql[]).map((d) => ({
        ...d,
        audience: toAudience(d.audience),
        status: d.status as DeliveryStatus,
        deliveredAt: d.deliveredAt === null ? null : new Date(d.deliveredAt),
      }));
      return {
        ...row,
        scheduledAt: new Date(row.scheduledAt),
        claimedAt: new Date(row.claimedAt),
        finishedAt: row.finishedAt === null ? null : new Date(row.finishedAt),
        late: row.late === 1,
        deliveries,
      };
    });
  }

  saleEntries(shopId: number, seqs: readonly number[]): Promise<{ productId: number; qtyMilli: number }[]> {
    return this.gate.run(() => {
      if (seqs.length === 0) return [];
      return this.s.saleEntries.all(shopId, JSON.stringify(seqs)) as { productId: number; qtyMilli: number }[];
    });
  }
}

function toAudience(value: string): Audience {
  return value === 'owner' ? 'owner' : 'staff';
}
