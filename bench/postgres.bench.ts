/**
 * The floor of recording one entry on PostgreSQL, measured before the PostgreSQL store is written, so
 * that its design is decided by figures (issue 17: Prisma Client with @prisma/adapter-pg, or plain
 * `pg` on the hot path if Prisma's interactive transactions cost too much; target ≤ 3× the floor).
 *
 * Both paths do what one sale does, in one transaction, in the same statements:
 *   insert the SourceMessage, move Shop.lastSeq (the row lock that orders a shop's entries, and the
 *   entry's #seq), select the Balance FOR UPDATE, insert the Entry, update the Balance.
 * - floor: plain `pg`, one dedicated connection, named (prepared) statements, BEGIN … COMMIT, int8
 *   read as numbers by jxcPgTypes;
 * - prisma: Prisma Client over @prisma/adapter-pg, an interactive `$transaction`, the model API for
 *   the writes and `$queryRaw` for the FOR UPDATE read (Prisma's API has no row locks);
 * - prisma raw: the same interactive `$transaction` with every statement as `$queryRaw`, which tells
 *   the cost of Prisma's transaction and driver-adapter path from that of its query building.
 * They run on a fresh database built by the real migrations, one shop each, interleaved in chunks
 * (alternating who goes first) so that the machine's noise falls on both alike.
 *
 * Since the PostgreSQL store exists (plain `pg` on the hot path, for the reason above), the same run
 * also times what a chat message really costs there:
 * - core: InventoryService.record on PgStore, one sale per call, exactly as a chat message arrives
 *   (its own connection pool, as a bot process has);
 * - record floor: what the store's transaction must at least do, as plain `pg` on one connection —
 *   BEGIN, the chat's advisory lock, insert SourceMessage, SELECT the Balance FOR UPDATE, move
 *   Shop.lastSeq, insert Entry, upsert Balance, COMMIT — with the product and location ids already
 *   known and nothing read back (target: core ≤ 3× this floor).
 * Core and record floor sell the same products in the same order and must end with equal balances.
 * Throughput with several processes is in benchPostgresThroughput (bench/postgres-child.ts).
 */
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { migratePostgres } from '../src/adapters/postgres/migrate.ts';
import { CHAT_LOCK_CLASS } from '../src/adapters/postgres/pg-store.ts';
import { openPostgresStores } from '../src/adapters/postgres/pg-stores.ts';
import { jxcPgTypes } from '../src/adapters/postgres/pg-types.ts';
import { PrismaClient } from '../src/adapters/postgres/generated/client.ts';
import { InventoryService } from '../src/core/inventory.service.ts';
import { systemClock } from '../src/core/ports.ts';
import { benchProductName } from './postgres-names.ts';

export interface PostgresBenchOptions {
  /** A server to create the benchmark's database on (default BENCH_PG_URL, DATABASE_URL_PG or postgresql://postgres@127.0.0.1:5432/test). */
  url?: string;
  /** Timed entries per path (default BENCH_PG_ENTRIES or 1,000). */
  entries?: number;
  /** Untimed entries per path first (default 100). */
  warmup?: number;
  /** Products the sales are spread over (default 100). */
  products?: number;
  onProgress?: (line: string) => void;
}

export interface PgLatency {
  medianMs: number;
  p99Ms: number;
  meanMs: number;
}

export type PostgresBenchResult =
  | { skipped: string }
  | {
    skipped?: undefined;
    entries: number;
    warmup: number;
    products: number;
    chunkSize: number;
    serverVersion: string;
    floor: PgLatency;
    /** InventoryService.record on PgStore. */
    core: PgLatency;
    /** Plain pg doing the store's statements for one sale (chat lock, message, FOR UPDATE, #seq, entry, upsert). */
    recordFloor: PgLatency;
    /** core median ÷ record floor median. */
    coreMedianRatio: number;
    coreP99Ratio: number;
    coreWritten: number;
    recordFloorWritten: number;
    prisma: PgLatency;
    prismaRaw: PgLatency;
    /** prisma median ÷ floor median. */
    medianRatio: number;
    p99Ratio: number;
    /** Entries each path wrote, counted in the database afterwards (warm-up included). */
    floorWritten: number;
    prismaWritten: number;
    prismaRawWritten: number;
  };

const SALE_QTY_MILLI = 1000;
const SALE_PRICE = 2000;

function stats(samples: number[]): PgLatency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { medianMs: at(0.5), p99Ms: at(0.99), meanMs: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length) };
}

/** A sale's cost out of a balance: the average cost of what leaves, rounded to 分. */
function costOf(qtyMilli: number, value: number, outMilli: number): number {
  return qtyMilli === 0 ? 0 : Math.round((value * outMilli) / qtyMilli);
}

interface Seeded {
  shopId: number;
  locationId: number;
  productIds: number[];
}

async function seedShop(client: pg.Client, name: string, products: number): Promise<Seeded> {
  const shop = await client.query<{ id: number }>(`INSERT INTO "Shop" (name, "createdAt") VALUES ($1, now()) RETURNING id`, [name]);
  const shopId = shop.rows[0]?.id as number;
  const location = await client.query<{ id: number }>(`INSERT INTO "Location" ("shopId", name, "isDefault") VALUES ($1, '默认', true) RETURNING id`, [shopId]);
  const locationId = location.rows[0]?.id as number;
  const ids = await client.query<{ id: number }>(
    `INSERT INTO "Product" ("shopId", name, "createdAt") SELECT $1, '商品' || lpad(g::text, 4, '0'), now() FROM generate_series(1, $2::int) AS g ORDER BY g RETURNING id`,
    [shopId, products],
  );
  const productIds = ids.rows.map((r) => r.id);
  // A million units at 10.00 each: no sale in the benchmark runs a product out.
  await client.query(`INSERT INTO "Balance" ("productId", "locationId", "qtyMilli", value) SELECT unnest($1::int[]), $2, 1000000000, 1000000000`, [productIds, locationId]);
  return { shopId, locationId, productIds };
}

/** One sale through plain pg: the floor. */
async function floorSale(client: pg.Client, s: Seeded, productId: number, n: number): Promise<void> {
  await client.query('BEGIN');
  try {
    const message = await client.query<{ id: number }>({
      name: 'bench-message',
      text: `INSERT INTO "SourceMessage" ("shopId", platform, "chatId", "messageId", text, "actorId", "actorName", "receivedAt") VALUES ($1, 'bench', 'floor', $2, '卖 商品 1 件 20', 'bench:floor', 'floor', now()) RETURNING id`,
      values: [s.shopId, `f${n}`],
    });
    const seq = await client.query<{ lastSeq: number }>({ name: 'bench-seq', text: `UPDATE "Shop" SET "lastSeq" = "lastSeq" + 1 WHERE id = $1 RETURNING "lastSeq"`, values: [s.shopId] });
    const balance = await client.query<{ id: number; qtyMilli: number; value: number }>({
      name: 'bench-balance',
      text: `SELECT id, "qtyMilli", value FROM "Balance" WHERE "productId" = $1 AND "locationId" = $2 FOR UPDATE`,
      values: [productId, s.locationId],
    });
    const b = balance.rows[0];
    if (!b) throw new Error('benchmark balance missing');
    const qty = b.qtyMilli;
    const value = b.value;
    const cost = costOf(qty, value, SALE_QTY_MILLI);
    await client.query({
      name: 'bench-entry',
      text: `INSERT INTO "Entry" ("shopId", seq, kind, "productId", "locationId", "qtyMilli", "unitPrice", amount, cost, "valueDelta", "occurredAt", "recordedAt", "actorId", "actorName", "messageId")
             VALUES ($1, $2, 'sale', $3, $4, $5, $6, $7, $8, $9, now(), now(), 'bench:floor', 'floor', $10) RETURNING id`,
      values: [s.shopId, seq.rows[0]?.lastSeq, productId, s.locationId, -SALE_QTY_MILLI, SALE_PRICE, SALE_PRICE, cost, -cost, message.rows[0]?.id],
    });
    await client.query({ name: 'bench-update-balance', text: `UPDATE "Balance" SET "qtyMilli" = $1, value = $2 WHERE id = $3`, values: [qty - SALE_QTY_MILLI, value - cost, b.id] });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** The same sale through Prisma Client's interactive transaction. */
async function prismaSale(prisma: PrismaClient, s: Seeded, productId: number, n: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const message = await tx.sourceMessage.create({
      data: { shopId: s.shopId, platform: 'bench', chatId: 'prisma', messageId: `p${n}`, text: '卖 商品 1 件 20', actorId: 'bench:prisma', actorName: 'prisma', receivedAt: new Date() },
      select: { id: true },
    });
    const shop = await tx.shop.update({ where: { id: s.shopId }, data: { lastSeq: { increment: 1 } }, select: { lastSeq: true } });
    const [b] = await tx.$queryRaw<{ id: number; qtyMilli: bigint; value: bigint }[]>`SELECT id, "qtyMilli", value FROM "Balance" WHERE "productId" = ${productId} AND "locationId" = ${s.locationId} FOR UPDATE`;
    if (!b) throw new Error('benchmark balance missing');
    const qty = Number(b.qtyMilli);
    const value = Number(b.value);
    const cost = costOf(qty, value, SALE_QTY_MILLI);
    const now = new Date();
    await tx.entry.create({
      data: {
        shopId: s.shopId, seq: shop.lastSeq, kind: 'sale', productId, locationId: s.locationId, qtyMilli: -SALE_QTY_MILLI, unitPrice: SALE_PRICE, amount: SALE_PRICE,
        cost, valueDelta: -cost, occurredAt: now, recordedAt: now, actorId: 'bench:prisma', actorName: 'prisma', messageId: message.id,
      },
      select: { id: true },
    });
    await tx.balance.update({ where: { id: b.id }, data: { qtyMilli: qty - SALE_QTY_MILLI, value: value - cost }, select: { id: true } });
  });
}

/** The same sale through Prisma's interactive transaction, every statement written as SQL. */
async function prismaRawSale(prisma: PrismaClient, s: Seeded, productId: number, n: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<{ id: number }[]>`INSERT INTO "SourceMessage" ("shopId", platform, "chatId", "messageId", text, "actorId", "actorName", "receivedAt") VALUES (${s.shopId}, 'bench', 'raw', ${`r${n}`}, '卖 商品 1 件 20', 'bench:raw', 'raw', now()) RETURNING id`;
    const [shop] = await tx.$queryRaw<{ lastSeq: number }[]>`UPDATE "Shop" SET "lastSeq" = "lastSeq" + 1 WHERE id = ${s.shopId} RETURNING "lastSeq"`;
    const [b] = await tx.$queryRaw<{ id: number; qtyMilli: bigint; value: bigint }[]>`SELECT id, "qtyMilli", value FROM "Balance" WHERE "productId" = ${productId} AND "locationId" = ${s.locationId} FOR UPDATE`;
    if (!b || !message || !shop) throw new Error('benchmark rows missing');
    const qty = Number(b.qtyMilli);
    const value = Number(b.value);
    const cost = costOf(qty, value, SALE_QTY_MILLI);
    await tx.$queryRaw`INSERT INTO "Entry" ("shopId", seq, kind, "productId", "locationId", "qtyMilli", "unitPrice", amount, cost, "valueDelta", "occurredAt", "recordedAt", "actorId", "actorName", "messageId")
      VALUES (${s.shopId}, ${shop.lastSeq}, 'sale', ${productId}, ${s.locationId}, ${-SALE_QTY_MILLI}, ${SALE_PRICE}, ${SALE_PRICE}, ${cost}, ${-cost}, now(), now(), 'bench:raw', 'raw', ${message.id}) RETURNING id`;
    await tx.$executeRaw`UPDATE "Balance" SET "qtyMilli" = ${qty - SALE_QTY_MILLI}, value = ${value - cost} WHERE id = ${b.id}`;
  });
}

/**
 * The record floor: one sale as the least the PostgreSQL store's transaction can do, in plain pg on
 * one connection with prepared statements. The chat's advisory lock (the store's per-chat order) and
 * the balance's row lock are taken as the store takes them; the ids are known, #seq comes back from
 * the shop's row, and the balance is written with the store's upsert.
 */
async function recordFloorSale(client: pg.Client, s: Seeded, productId: number, n: number): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query({ name: 'rf-lock', text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))', values: [CHAT_LOCK_CLASS, JSON.stringify(['bench', 'record-floor'])] });
    const message = await client.query<{ id: number }>({
      name: 'rf-message',
      text: `INSERT INTO "SourceMessage" ("shopId", platform, "chatId", "messageId", text, "actorId", "actorName", "receivedAt") VALUES ($1, 'bench', 'record-floor', $2, '卖 商品 1 件 20', 'bench:floor', 'floor', now()) RETURNING id`,
      values: [s.shopId, `rf${n}`],
    });
    const balance = await client.query<{ qtyMilli: number; value: number }>({
      name: 'rf-balance',
      text: `SELECT "qtyMilli", value FROM "Balance" WHERE "productId" = $1 AND "locationId" = $2 FOR UPDATE`,
      values: [productId, s.locationId],
    });
    const b = balance.rows[0];
    if (!b) throw new Error('benchmark balance missing');
    const seq = await client.query<{ lastSeq: number }>({ name: 'rf-seq', text: `UPDATE "Shop" SET "lastSeq" = "lastSeq" + 1 WHERE id = $1 RETURNING "lastSeq"`, values: [s.shopId] });
    const cost = costOf(b.qtyMilli, b.value, SALE_QTY_MILLI);
    await client.query({
      name: 'rf-entry',
      text: `INSERT INTO "Entry" ("shopId", seq, kind, "productId", "locationId", "qtyMilli", "unitPrice", amount, cost, "valueDelta", "occurredAt", "recordedAt", "actorId", "actorName", "messageId")
             VALUES ($1, $2, 'sale', $3, $4, $5, $6, $7, $8, $9, now(), now(), 'bench:floor', 'floor', $10) RETURNING id`,
      values: [s.shopId, seq.rows[0]?.lastSeq, productId, s.locationId, -SALE_QTY_MILLI, SALE_PRICE, SALE_PRICE, cost, -cost, message.rows[0]?.id],
    });
    await client.query({
      name: 'rf-upsert',
      text: `INSERT INTO "Balance" ("productId", "locationId", "qtyMilli", value) VALUES ($1, $2, $3, $4)
             ON CONFLICT ("productId", "locationId") DO UPDATE SET "qtyMilli" = excluded."qtyMilli", value = excluded.value`,
      values: [productId, s.locationId, b.qtyMilli - SALE_QTY_MILLI, b.value - cost],
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** The same sale as a chat message: InventoryService.record on PgStore, by product name. */
async function coreSale(service: InventoryService, s: Seeded, product: number, n: number): Promise<void> {
  const result = await service.record(
    s.shopId,
    { kind: 'sale', items: [{ product: benchProductName(product), quantity: SALE_QTY_MILLI / 1000, unitPrice: SALE_PRICE }] },
    { platform: 'bench', chatId: 'core', messageId: `c${n}`, text: '卖 商品 1 件 20', actorId: 'bench:core', actorName: 'core' },
  );
  if (!result.ok) throw new Error(`core refused a sale: ${JSON.stringify(result.failure)}`);
  if (result.value.duplicate || result.value.entries.length !== 1) throw new Error(`core wrote ${result.value.entries.length} entries (duplicate: ${result.value.duplicate})`);
}

/**
 * A throwaway database on the server at `base` for one benchmark, with the admin connection that
 * drops it afterwards; `{ skipped }` when no server answers (the benchmark is then reported, not failed).
 */
async function scratchDatabase(base: string, prefix: string): Promise<{ admin: pg.Client; name: string; url: URL } | { skipped: string }> {
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 1000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { skipped: `no PostgreSQL server at ${new URL(base).host} (${(error as Error).message}); set BENCH_PG_URL` };
  }
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  return { admin, name, url };
}

/** Runs the five paths; `{ skipped }` when no PostgreSQL server answers (the benchmark is then reported, not failed). */
export async function benchPostgres(options: PostgresBenchOptions = {}): Promise<PostgresBenchResult> {
  const base = options.url ?? process.env.BENCH_PG_URL ?? process.env.DATABASE_URL_PG ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const entries = options.entries ?? Number(process.env.BENCH_PG_ENTRIES ?? 1000);
  const warmup = options.warmup ?? 100;
  const products = options.products ?? 100;
  const log = options.onProgress ?? (() => undefined);
  const scratch = await scratchDatabase(base, 'jxc_bench');
  if ('skipped' in scratch) return scratch;
  const { admin, name, url } = scratch;
  // The floor reads int8 as numbers the way the PostgreSQL store will (src/adapters/postgres/pg-types.ts).
  const floorClient = new pg.Client({ connectionString: url.toString(), types: jxcPgTypes });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 1 }) });
  let closeStores: (() => Promise<void>) | undefined;
  try {
    log(`postgres: migrating ${name}…`);
    await migratePostgres(url.toString());
    await floorClient.connect();
    const floorShop = await seedShop(floorClient, '底线店', products);
    const prismaShop = await seedShop(floorClient, 'Prisma店', products);
    const rawShop = await seedShop(floorClient, 'Prisma-SQL店', products);
    const coreShop = await seedShop(floorClient, '核心店', products);
    const recordFloorShop = await seedShop(floorClient, '记账底线店', products);
    // The core gets the pool a bot process opens (already migrated above).
    const stores = await openPostgresStores(url.toString(), { migrate: false });
    closeStores = stores.close;
    const service = new InventoryService(stores.store, systemClock);
    const serverVersion = (await floorClient.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    let n = 0;
    const pick = (s: Seeded) => s.productIds[n % s.productIds.length] as number;
    log(`postgres: ${warmup} warm-up sales per path…`);
    // Core and record floor count their own sales, so that both sell the same products in the same
    // order and their balances can be compared at the end.
    let coreN = 0;
    let recordFloorN = 0;
    const nextCore = () => coreSale(service, coreShop, coreN % products, coreN++);
    const nextRecordFloor = () => recordFloorSale(floorClient, recordFloorShop, recordFloorShop.productIds[recordFloorN % products] as number, recordFloorN++);
    for (let i = 0; i < warmup; i++, n++) {
      await floorSale(floorClient, floorShop, pick(floorShop), n);
      await prismaSale(prisma, prismaShop, pick(prismaShop), n);
      await prismaRawSale(prisma, rawShop, pick(rawShop), n);
      await nextCore();
      await nextRecordFloor();
    }
    const floorTimes: number[] = [];
    const prismaTimes: number[] = [];
    const rawTimes: number[] = [];
    const coreTimes: number[] = [];
    const recordFloorTimes: number[] = [];
    const chunkSize = 50;
    const runFloor = async () => {
      const t = performance.now();
      await floorSale(floorClient, floorShop, pick(floorShop), n);
      floorTimes.push(performance.now() - t);
    };
    const runPrisma = async () => {
      const t = performance.now();
      await prismaSale(prisma, prismaShop, pick(prismaShop), n);
      prismaTimes.push(performance.now() - t);
    };
    const runRaw = async () => {
      const t = performance.now();
      await prismaRawSale(prisma, rawShop, pick(rawShop), n);
      rawTimes.push(performance.now() - t);
    };
    const runCore = async () => {
      const t = performance.now();
      await nextCore();
      coreTimes.push(performance.now() - t);
    };
    const runRecordFloor = async () => {
      const t = performance.now();
      await nextRecordFloor();
      recordFloorTimes.push(performance.now() - t);
    };
    const paths = [runFloor, runPrisma, runRaw, runCore, runRecordFloor];
    log(`postgres: ${entries} timed sales per path, interleaved in chunks of ${chunkSize}…`);
    for (let done = 0, chunk = 0; done < entries; chunk++) {
      const size = Math.min(chunkSize, entries - done);
      // Each chunk starts with another path, so no path always runs right after another.
      for (let k = 0; k < paths.length; k++) {
        const run = paths[(chunk + k) % paths.length] as () => Promise<void>;
        for (let i = 0; i < size; i++, n++) await run();
      }
      done += size;
    }
    const count = async (shopId: number) => (await floorClient.query<{ n: number }>('SELECT count(*) AS n FROM "Entry" WHERE "shopId" = $1', [shopId])).rows[0]?.n ?? 0;
    const floor = stats(floorTimes);
    const viaPrisma = stats(prismaTimes);
    const core = stats(coreTimes);
    const recordFloor = stats(recordFloorTimes);
    // The floor is only a floor if it did the same work: same products sold, same balances left.
    const balancesOf = async (shopId: number) =>
      JSON.stringify(
        (await floorClient.query(`SELECT p.name, b."qtyMilli", b.value FROM "Balance" b JOIN "Product" p ON p.id = b."productId" WHERE p."shopId" = $1 ORDER BY p.id`, [shopId])).rows,
      );
    if ((await balancesOf(coreShop.shopId)) !== (await balancesOf(recordFloorShop.shopId))) throw new Error('core and record floor ended with different balances');
    return {
      entries,
      warmup,
      products,
      chunkSize,
      serverVersion,
      floor,
      core,
      recordFloor,
      coreMedianRatio: core.medianMs / recordFloor.medianMs,
      coreP99Ratio: core.p99Ms / recordFloor.p99Ms,
      coreWritten: await count(coreShop.shopId),
      recordFloorWritten: await count(recordFloorShop.shopId),
      prisma: viaPrisma,
      prismaRaw: stats(rawTimes),
      medianRatio: viaPrisma.medianMs / floor.medianMs,
      p99Ratio: viaPrisma.p99Ms / floor.p99Ms,
      floorWritten: await count(floorShop.shopId),
      prismaWritten: await count(prismaShop.shopId),
      prismaRawWritten: await count(rawShop.shopId),
    };
  } finally {
    await closeStores?.().catch(() => undefined);
    await prisma.$disconnect().catch(() => undefined);
    await floorClient.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

export interface PostgresThroughputOptions {
  /** As for benchPostgres. */
  url?: string;
  /** Process counts to run (default 1, 2, 4). */
  processes?: number[];
  /** Timed milliseconds per run (default BENCH_PG_SECONDS × 1000, or 5,000). */
  durationMs?: number;
  /** Products per shop (default 50). */
  products?: number;
  /** Also run the largest process count with every process in one shop, on the same products (default true). */
  sharedShop?: boolean;
  /** Untimed milliseconds each process sends messages first (default 3,000; at least 20 messages). */
  warmupMs?: number;
  /** Times every step runs, alternating the order (default BENCH_PG_ROUNDS or 2). */
  rounds?: number;
  /**
   * How to start one bot process: node's arguments before the child's own (default: bin/run-ts.js and
   * bench/postgres-child.ts, through tsx). The test suite passes the child compiled for plain node.
   */
  childArgs?: string[];
  onProgress?: (line: string) => void;
}

export interface ThroughputRun {
  processes: number;
  /** 'own': each process its own shop, chat and products; 'shared': one shop and its products, a chat per process. */
  shops: 'own' | 'shared';
  /** Times this step ran (one per round). */
  rounds: number;
  messages: number;
  failed: number;
  /** Sum over the processes of messages ÷ their timed seconds, the mean over the rounds. */
  perSecond: number;
  /** perSecond ÷ that of one process. */
  ratio: number;
  /** Median over the processes of each one's median message latency. */
  medianMs: number;
  /** The bot processes' own CPU time per message (user + system; the server's is not in it). */
  cpuMsPerMessage: number;
  /** Entries the runs' messages wrote, counted in the database (warm-up included). */
  written: number;
  /** Highest 1-minute load average at the end of a round's run. */
  load: number;
}

export type PostgresThroughputResult =
  | { skipped: string }
  | { skipped?: undefined; cores: number; durationMs: number; warmupMs: number; products: number; rounds: number; serverVersion: string; runs: ThroughputRun[] };

interface ChildOutput {
  warm: number;
  messages: number;
  failed: number;
  ms: number;
  medianMs: number;
  cpuMs: number;
}

/** One bot process (bench/postgres-child.ts), resolved once it has warmed up and printed `ready`. */
function startChild(childArgs: string[], url: string, shopId: number, chatId: string, products: number, durationMs: number, warmupMs: number) {
  const child = spawn(process.execPath, [...childArgs, url, String(shopId), chatId, String(products), String(durationMs), String(warmupMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) onReady();
  });
  const done = new Promise<ChildOutput>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`postgres child for ${chatId} exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildOutput);
    });
  });
  // An early exit must not leave the caller waiting for `ready` forever.
  void done.catch(() => onReady());
  return { ready, done, go: () => child.stdin.end('go\n') };
}

/**
 * Messages per second through the whole chat path (ChatEngine → InventoryService → PgStore) with
 * 1, 2 and 4 bot processes at once, each sending one chat's sales one after the other for a fixed
 * time, on a fresh database of its own. Each process has its own shop, chat and products (separate
 * shops never wait for one another's locks); a last run puts every process in one shop, where each
 * write holds the shop's row (its #seq) until it commits, so that shop's writes go one at a time.
 */
export async function benchPostgresThroughput(options: PostgresThroughputOptions = {}): Promise<PostgresThroughputResult> {
  const base = options.url ?? process.env.BENCH_PG_URL ?? process.env.DATABASE_URL_PG ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const counts = options.processes ?? [1, 2, 4];
  const durationMs = options.durationMs ?? Number(process.env.BENCH_PG_SECONDS ?? 5) * 1000;
  const products = options.products ?? 50;
  const rounds = options.rounds ?? Number(process.env.BENCH_PG_ROUNDS ?? 2);
  const warmupMs = options.warmupMs ?? 3000;
  const log = options.onProgress ?? (() => undefined);
  const childArgs = options.childArgs ?? [fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./postgres-child.ts', import.meta.url))];
  const scratch = await scratchDatabase(base, 'jxc_bench_tp');
  if ('skipped' in scratch) return scratch;
  const { admin, name, url } = scratch;
  const client = new pg.Client({ connectionString: url.toString(), types: jxcPgTypes });
  try {
    log(`postgres: throughput, migrating ${name}…`);
    await migratePostgres(url.toString());
    await client.connect();
    const serverVersion = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    const steps: { processes: number; shops: 'own' | 'shared' }[] = counts.map((processes) => ({ processes, shops: 'own' }));
    const largest = Math.max(...counts);
    if ((options.sharedShop ?? true) && largest > 1) steps.push({ processes: largest, shops: 'shared' });
    // Every step once per round, in the opposite order each other round, so that a machine getting
    // busier or quieter during the benchmark does not favour the few processes or the many.
    const plan = Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? steps : [...steps].reverse())).flat();
    const done = new Map<string, { step: (typeof steps)[number]; outputs: ChildOutput[]; perSecond: number[]; written: number; load: number }>();
    for (const [r, step] of plan.entries()) {
      // Fresh shops per run, so no run writes onto another's rows.
      const shops: Seeded[] = [];
      for (let i = 0; i < (step.shops === 'own' ? step.processes : 1); i++) shops.push(await seedShop(client, `吞吐店${r}-${i}`, products));
      log(`postgres: throughput ${r + 1}/${plan.length}, ${step.processes} process${step.processes === 1 ? '' : 'es'} (${step.shops === 'own' ? 'a shop each' : 'one shop'}) for ${durationMs / 1000} s…`);
      const children = Array.from({ length: step.processes }, (_, i) => startChild(childArgs, url.toString(), (shops[i] ?? (shops[0] as Seeded)).shopId, `r${r}-c${i}`, products, durationMs, warmupMs));
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.go();
      const outputs = await Promise.all(children.map((c) => c.done));
      const written = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "Entry" WHERE "shopId" = ANY($1::int[])', [shops.map((s) => s.shopId)])).rows[0]?.n ?? 0;
      const expected = outputs.reduce((sum, o) => sum + o.warm + o.messages - o.failed, 0);
      if (written !== expected) throw new Error(`throughput run ${r}: the processes reported ${expected} sales recorded, the database holds ${written}`);
      const key = `${step.processes}/${step.shops}`;
      const entry = done.get(key) ?? { step, outputs: [], perSecond: [], written: 0, load: 0 };
      entry.outputs.push(...outputs);
      entry.perSecond.push(outputs.reduce((sum, o) => sum + (o.messages / o.ms) * 1000, 0));
      entry.written += written;
      entry.load = Math.max(entry.load, loadavg()[0] ?? 0);
      done.set(key, entry);
    }
    const runs: ThroughputRun[] = [...done.values()].map(({ step, outputs, perSecond, written, load }) => {
      const medians = outputs.map((o) => o.medianMs).sort((x, y) => x - y);
      const messages = outputs.reduce((sum, o) => sum + o.messages, 0);
      return {
        processes: step.processes,
        shops: step.shops,
        rounds: perSecond.length,
        messages,
        failed: outputs.reduce((sum, o) => sum + o.failed, 0),
        perSecond: perSecond.reduce((sum, v) => sum + v, 0) / perSecond.length,
        ratio: 0,
        medianMs: medians[Math.floor(medians.length / 2)] ?? 0,
        cpuMsPerMessage: outputs.reduce((sum, o) => sum + o.cpuMs, 0) / Math.max(1, messages),
        written,
        load,
      };
    });
    const first = runs[0] as ThroughputRun;
    const single = runs.find((x) => x.processes === 1 && x.shops === 'own')?.perSecond ?? first.perSecond / first.processes;
    for (const run of runs) run.ratio = run.perSecond / single;
    return { cores: cpus().length, durationMs, warmupMs, products, rounds, serverVersion, runs };
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
