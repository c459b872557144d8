import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPgPool } from '../../../src/adapters/postgres/pg-pool.ts';
import { PgStore } from '../../../src/adapters/postgres/pg-store.ts';
import { repost } from '../../../src/core/repost.ts';
import type { EntryKind, NewEntry, ShopRecord, UnitOfWork } from '../../../src/core/ports.ts';
import { createPgDatabase, describePg, PG_TEST_URL, type PgTestDatabase } from '../../helpers/pg.ts';

const NOW = new Date('2026-11-30T06:00:00.000Z');
const day = (d: number, ms = 0) => new Date(Date.UTC(2026, 10, d, 2, 0, 0, ms));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let db: PgTestDatabase;
let pool: pg.Pool;
let store: PgStore;
let shopCount = 0;

/** A fresh shop per test, so tests share the database but no rows. */
async function newShop(): Promise<ShopRecord> {
  shopCount += 1;
  return store.createShop(`店${shopCount}-${Math.random().toString(36).slice(2, 8)}`, NOW);
}

async function defaultLocationId(shopId: number): Promise<number> {
  return store.read(async (uow) => (await uow.defaultLocation(shopId)).id);
}

interface Put {
  unitPrice?: number | null;
  amount?: number;
  cost?: number;
  messageId?: number | null;
  reversesId?: number | null;
  transferId?: number | null;
}

/** Writes an entry and moves its balance, as the core's writeEntry does. */
async function put(uow: UnitOfWork, shopId: number, productId: number, locationId: number, kind: EntryKind, qtyMilli: number, valueDelta: number, occurredAt: Date, x: Put = {}) {
  const entry: NewEntry = {
    shopId,
    kind,
    productId,
    locationId,
    qtyMilli,
    unitPrice: x.unitPrice ?? null,
    amount: x.amount ?? 0,
    cost: x.cost ?? 0,
    valueDelta,
    channel: null,
    counterparty: null,
    occurredAt,
    recordedAt: NOW,
    actorId: 'u1',
    actorName: null,
    messageId: x.messageId ?? null,
    reversesId: x.reversesId ?? null,
    replacesId: null,
    transferId: x.transferId ?? null,
  };
  const record = await uow.insertEntry(entry, await uow.nextSeq(shopId));
  const b = await uow.balance(productId, locationId);
  await uow.setBalance(productId, locationId, { qtyMilli: b.qtyMilli + qtyMilli, value: b.value + valueDelta });
  return record;
}

/**
 * Makes the test database sort text by a locale (ICU's root locale), as a database created with one
 * does, where SQLite's byte order would differ (a, b, Cola rather than Cola, a, b): the store must
 * sort in byte order regardless. Left as created when the server has no ICU.
 */
async function sortByLocale(target: PgTestDatabase): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`);
    if (rowCount !== 1) return;
    await admin.query(`DROP DATABASE "${target.name}"`);
    await admin.query(`CREATE DATABASE "${target.name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'und'`);
  } finally {
    await admin.end();
  }
}

const source = (chatId: string, messageId: string) => ({ platform: 'test', chatId, messageId, text: messageId, actorId: 'u1' });

describePg('PgStore on PostgreSQL', () => {
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url);
    await sortByLocale(db);
    pool = await openPgPool(db.url, { max: 6 });
    store = new PgStore(pool);
  });
  afterAll(async () => {
    // A failed test may leave a transaction waiting on a lock with its connection checked out, and
    // pool.end() waits for every connection: the database is dropped (FORCE) in any case.
    await Promise.race([pool?.end(), sleep(2000)]);
    await db?.drop();
  });

  it('openPgPool migrates first and reads bigint as numbers, as jxc-bot', async () => {
    const { rows } = await pool.query(`SELECT current_setting('application_name') AS app, 3000000000::bigint AS big,
      (SELECT count(*) FROM _prisma_migrations) AS migrations`);
    expect(rows[0].app).toBe('jxc-bot');
    expect(rows[0].big).toBe(3_000_000_000);
    expect(rows[0].migrations).toBeGreaterThan(10);
  });

  it('creates a shop with its default location, and finds shops by name and id', async () => {
    const shop = await newShop();
    expect(shop).toEqual({ id: shop.id, name: shop.name, timeZone: 'Asia/Shanghai', digestTime: '21:00' });
    expect(await store.shopByName(shop.name)).toEqual(shop);
    expect(await store.shopById(shop.id)).toEqual(shop);
    expect(await store.shopByName('没有这个店')).toBeUndefined();
    expect((await store.listShops()).map((s) => s.id)).toContain(shop.id);
    const location = await store.read((uow) => uow.defaultLocation(shop.id));
    expect(location).toMatchObject({ shopId: shop.id, name: '默认仓', isDefault: true });
    await updateAndCheckShop(shop);
  });

  async function updateAndCheckShop(shop: ShopRecord) {
    await store.updateShop(shop.id, { timeZone: 'Asia/Tokyo' });
    expect(await store.shopById(shop.id)).toMatchObject({ timeZone: 'Asia/Tokyo', digestTime: '21:00' });
    await store.updateShop(shop.id, { digestTime: '08:30' });
    expect(await store.shopById(shop.id)).toMatchObject({ timeZone: 'Asia/Tokyo', digestTime: '08:30' });
  }

  it('finds products by name, alias, then name ignoring case; lists them in byte order; bumps the catalogue version', async () => {
    const shop = await newShop();
    const v0 = await store.catalogueVersion(shop.id);
    const [cola, b, a] = await store.transaction(async (uow) => [
      await uow.createProduct(shop.id, 'Cola', '瓶', NOW),
      await uow.createProduct(shop.id, 'b', '件', NOW),
      await uow.createProduct(shop.id, 'a', '件', NOW),
    ]);
    expect(cola).toMatchObject({ shopId: shop.id, name: 'Cola', unit: '瓶', sku: null, salePrice: null, lastCost: null, mode: 'normal' });
    expect(await store.addAlias(shop.id, cola!.id, '可乐')).toBe(true);
    expect(await store.addAlias(shop.id, b!.id, '可乐')).toBe(false);
    const found = await store.read(async (uow) => ({
      exact: await uow.findProduct(shop.id, 'Cola'),
      alias: await uow.findProduct(shop.id, '可乐'),
      nocase: await uow.findProduct(shop.id, 'COLA'),
      none: await uow.findProduct(shop.id, 'Pepsi'),
    }));
    expect(found.exact?.id).toBe(cola!.id);
    expect(found.alias?.id).toBe(cola!.id);
    expect(found.nocase?.id).toBe(cola!.id);
    expect(found.none).toBeUndefined();
    // Byte order as SQLite's BINARY: upper case before lower case (a locale collation says a, b, Cola).
    expect((await store.products(shop.id)).map((p) => p.name)).toEqual(['Cola', 'a', 'b']);
    expect(await store.aliases(shop.id)).toEqual([{ productId: cola!.id, alias: '可乐' }]);
    await store.setUnit(cola!.id, '箱', 24_000);
    await store.setUnit(cola!.id, '箱', 12_000);
    expect(await store.units(shop.id)).toEqual([{ productId: cola!.id, unit: '箱', factorMilli: 12_000 }]);
    // Three products, an alias, two unit changes: each moves the version.
    expect(await store.catalogueVersion(shop.id)).toBe(v0 + 6);
    expect(a!.name).toBe('a');
  });

  it('of names differing only in case, finds the first in byte order, as SQLite’s index does', async () => {
    const shop = await newShop();
    await store.transaction(async (uow) => {
      for (const name of ['cola', 'Cola', 'COLA']) await uow.createProduct(shop.id, name, '瓶', NOW);
    });
    expect((await store.read((uow) => uow.findProduct(shop.id, 'coLA')))?.name).toBe('COLA');
    expect((await store.read((uow) => uow.findProduct(shop.id, 'Cola')))?.name).toBe('Cola');
    // NOCASE folds A-Z only: Ä and ä, Ａ and ａ stay different names.
    const apfel = await store.transaction((uow) => uow.createProduct(shop.id, 'ÄPFEL', '个', NOW));
    expect(await store.read((uow) => uow.findProduct(shop.id, 'äpfel'))).toBeUndefined();
    expect((await store.read((uow) => uow.findProduct(shop.id, 'Äpfel')))?.id).toBe(apfel.id);
    await store.transaction((uow) => uow.createProduct(shop.id, 'ＡＢ', '个', NOW));
    expect(await store.read((uow) => uow.findProduct(shop.id, 'ａｂ'))).toBeUndefined();
  });

  it('updates only the whitelisted product fields, money past 2^31 exactly', async () => {
    const shop = await newShop();
    const p = await store.transaction((uow) => uow.createProduct(shop.id, '茅台', '瓶', NOW));
    await store.updateProduct(shop.id, p.id, { salePrice: 3_000_000_000, sku: 'MT-1', mode: 'presale', dropshipCost: 2_500_000_000, name: '假名' } as never);
    const after = await store.read((uow) => uow.productById(p.id));
    expect(after).toMatchObject({ name: '茅台', salePrice: 3_000_000_000, sku: 'MT-1', mode: 'presale', dropshipCost: 2_500_000_000 });
    // Another shop's id changes nothing.
    await store.updateProduct(shop.id + 100000, p.id, { sku: 'X' });
    expect((await store.read((uow) => uow.productById(p.id))).sku).toBe('MT-1');
    await store.updateProduct(shop.id, p.id, { sku: null });
    expect((await store.read((uow) => uow.productById(p.id))).sku).toBeNull();
  });

  it('reads a missing balance as zero, keeps what is set, and hands out entry numbers in turn', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction((uow) => uow.createProduct(shop.id, '雪碧', '瓶', NOW));
    const seqs = await store.transaction(async (uow) => {
      expect(await uow.balance(p.id, loc)).toEqual({ qtyMilli: 0, value: 0 });
      await uow.setBalance(p.id, loc, { qtyMilli: 5_000_000_000, value: 4_000_000_001 });
      return [await uow.nextSeq(shop.id), await uow.nextSeq(shop.id), await uow.nextSeq(shop.id)];
    });
    expect(seqs).toEqual([1, 2, 3]);
    expect(await store.read((uow) => uow.balance(p.id, loc))).toEqual({ qtyMilli: 5_000_000_000, value: 4_000_000_001 });
    expect(await store.transaction((uow) => uow.nextSeq(shop.id))).toBe(4);
    const rows = await store.stock(shop.id, p.id);
    expect(rows).toEqual([
      { productId: p.id, product: '雪碧', sku: null, unit: '瓶', location: '默认仓', qtyMilli: 5_000_000_000, value: 4_000_000_001, reorderLevel: null, overstockLevel: null, mode: 'normal' },
    ]);
  });

  it('rolls a transaction back when its work throws', async () => {
    const shop = await newShop();
    await expect(
      store.transaction(async (uow) => {
        await uow.createProduct(shop.id, '回滚', '件', NOW);
        await uow.nextSeq(shop.id);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await store.products(shop.id)).toEqual([]);
    expect(await store.transaction((uow) => uow.nextSeq(shop.id))).toBe(1);
  });

  it('writes and reads entries with every field, dates and money past 2^31', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const occurredAt = new Date('2026-11-20T08:30:00.123Z');
    const { p, msg, entry, reversal } = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '黄金', '克', NOW);
      expect(await uow.findMessage(source('c1', 'm1'))).toBeUndefined();
      const msg = await uow.insertMessage(shop.id, source('c1', 'm1'), NOW);
      const seq = await uow.nextSeq(shop.id);
      const input: NewEntry = {
        shopId: shop.id,
        kind: 'purchase',
        productId: p.id,
        locationId: loc,
        qtyMilli: 3_000_000,
        unitPrice: 4_000_000_000,
        amount: 12_000_000_000_000,
        cost: 12_000_000_000_000,
        valueDelta: 12_000_000_000_000,
        channel: '线下',
        counterparty: '金店',
        note: '单号 778899',
        supplier: '供应商甲',
        occurredAt,
        recordedAt: NOW,
        actorId: 'u1',
        actorName: '小王',
        messageId: msg,
        reversesId: null,
        replacesId: null,
        transferId: null,
      };
      const entry = await uow.insertEntry(input, seq);
      expect(entry).toBe(input);
      const reversal = await uow.insertEntry({ ...input, kind: 'reversal', qtyMilli: -3_000_000, valueDelta: -12_000_000_000_000, reversesId: entry.id }, await uow.nextSeq(shop.id));
      return { p, msg, entry: { ...entry }, reversal: { ...reversal } };
    });
    expect(entry.id).toBeGreaterThan(0);
    expect(entry.seq).toBe(1);
    const read = await store.read(async (uow) => ({
      byId: await uow.entryById(entry.id),
      bySeq: await uow.entryBySeq(shop.id, 1),
      ofMessage: await uow.entriesOfMessage(msg),
      reversal: await uow.reversalOf(entry.id),
      notReversed: await uow.reversalOf(reversal.id),
      found: await uow.findMessage(source('c1', 'm1')),
    }));
    expect(read.byId).toEqual(entry);
    expect(read.byId?.occurredAt).toBeInstanceOf(Date);
    expect(read.bySeq).toEqual(entry);
    expect(read.ofMessage).toEqual([entry, reversal]);
    expect(read.reversal).toEqual(reversal);
    expect(read.notReversed).toBeUndefined();
    expect(read.found).toEqual({ id: msg, shopId: shop.id });
    const views = await store.entries(shop.id);
    expect(views).toEqual([
      { ...entry, product: '黄金', unit: '克', location: '默认仓' },
      { ...reversal, product: '黄金', unit: '克', location: '默认仓' },
    ]);
    // from is inclusive, to exclusive.
    expect(await store.entries(shop.id, { from: occurredAt })).toHaveLength(2);
    expect(await store.entries(shop.id, { to: occurredAt })).toHaveLength(0);
    expect(await store.entries(shop.id, { from: new Date(occurredAt.getTime() + 1) })).toHaveLength(0);
    // The purchase was undone: no price to suggest, no undoable message left.
    expect(await store.recentUnitPrices(p.id, 'purchase', 5)).toEqual([]);
    expect(await store.read((uow) => uow.lastUndoableMessage(shop.id, 'u1'))).toBeUndefined();
    expect(await store.hasEntries(p.id)).toBe(true);
  });

  it('suggests recent unit prices newest first and finds the last undoable message', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction((uow) => uow.createProduct(shop.id, '大米', '袋', NOW));
    expect(await store.hasEntries(p.id)).toBe(false);
    const msgs = await store.transaction(async (uow) => {
      const m1 = await uow.insertMessage(shop.id, source('c2', 'a'), NOW);
      await put(uow, shop.id, p.id, loc, 'purchase', 1000, 100, day(1), { unitPrice: 100, messageId: m1 });
      const m2 = await uow.insertMessage(shop.id, source('c2', 'b'), NOW);
      await put(uow, shop.id, p.id, loc, 'purchase', 1000, 300, day(3), { unitPrice: 300, messageId: m2 });
      await put(uow, shop.id, p.id, loc, 'purchase', 1000, 200, day(2), { unitPrice: 200 });
      return [m1, m2];
    });
    expect(await store.recentUnitPrices(p.id, 'purchase', 2)).toEqual([300, 200]);
    expect(await store.recentUnitPrices(p.id, 'sale', 2)).toEqual([]);
    expect(await store.read((uow) => uow.lastUndoableMessage(shop.id, 'u1'))).toBe(msgs[1]);
    expect(await store.read((uow) => uow.lastUndoableMessage(shop.id, 'someone else'))).toBeUndefined();
  });

  it('gives the stock as of a past moment and the lowest it comes to later (hand-computed)', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '牛奶', '盒', NOW);
      await put(uow, shop.id, p.id, loc, 'purchase', 10_000, 100_000, day(1), { unitPrice: 10_000 });
      await put(uow, shop.id, p.id, loc, 'sale', -4_000, -40_000, day(5));
      await put(uow, shop.id, p.id, loc, 'sale', -5_000, -50_000, day(9));
      return p;
    });
    const r = await store.transaction(async (uow) => ({
      at3: await uow.stockAsOf(p.id, loc, day(3)),
      at6: await uow.stockAsOf(p.id, loc, day(6)),
      at9: await uow.stockAsOf(p.id, loc, day(9)),
      at10: await uow.stockAsOf(p.id, loc, day(10)),
      size: await uow.repostSize(p.id, { occurredAt: day(5), seq: 2 }),
      sizeTie: await uow.repostSize(p.id, { occurredAt: day(5), seq: 3 }),
    }));
    expect(r.at3).toEqual({ qtyMilli: 10_000, value: 100_000, lowestLaterMilli: 1_000 });
    expect(r.at6).toEqual({ qtyMilli: 6_000, value: 60_000, lowestLaterMilli: 1_000 });
    expect(r.at9).toBeUndefined();
    expect(r.at10).toBeUndefined();
    expect(r.size).toBe(2);
    expect(r.sizeTie).toBe(1);
  });

  it('reads repost rows from a point, moving back past presale units still owed (hand-computed)', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const { r, q } = await store.transaction(async (uow) => {
      // R: bought 2, sold 5 (3 owed), bought 4. Balance 1 unit, value 2000 - 5000 + 4400 = 1400.
      const rp = await uow.createProduct(shop.id, 'R', '件', NOW);
      const r1 = await put(uow, shop.id, rp.id, loc, 'purchase', 2_000, 2_000, day(1), { unitPrice: 1_000, amount: 2_000 });
      const r2 = await put(uow, shop.id, rp.id, loc, 'sale', -5_000, -5_000, day(2), { unitPrice: 1_500, amount: 7_500, cost: 5_000 });
      const r3 = await put(uow, shop.id, rp.id, loc, 'purchase', 4_000, 4_400, day(3), { unitPrice: 1_100, amount: 4_400 });
      // Q: sold 3 with nothing in stock, bought 5, and the sale undone later (dated day 6).
      const qp = await uow.createProduct(shop.id, 'Q', '件', NOW);
      const q1 = await put(uow, shop.id, qp.id, loc, 'sale', -3_000, 0, day(2));
      const q2 = await put(uow, shop.id, qp.id, loc, 'purchase', 5_000, 1_000, day(4), { unitPrice: 200, amount: 1_000 });
      const q3 = await put(uow, shop.id, qp.id, loc, 'reversal', 3_000, 0, day(6), { reversesId: q1.id });
      return { r: { p: rp, r1: { ...r1 }, r2: { ...r2 }, r3: { ...r3 } }, q: { p: qp, q1: { ...q1 }, q2: { ...q2 }, q3: { ...q3 } } };
    });
    const ids = (rows: readonly { id: number }[]) => rows.map((x) => x.id);
    const out = await store.transaction(async (uow) => ({
      r: await uow.repostRows(r.p.id, { occurredAt: day(3), seq: r.r3.seq }),
      qBack: await uow.repostRows(q.p.id, { occurredAt: day(4), seq: q.q2.seq }),
      qLate: await uow.repostRows(q.p.id, { occurredAt: day(5), seq: 0 }),
    }));
    // R from r3: 1 - 4 = -3 owed before it; the last point not below zero is r1, so from just after r1.
    expect(ids(out.r.rows)).toEqual([r.r2.id, r.r3.id]);
    expect(out.r.rows[0]).toEqual({
      id: r.r2.id, seq: r.r2.seq, kind: 'sale', locationId: loc, qtyMilli: -5_000, unitPrice: 1_500, amount: 7_500, cost: 5_000, valueDelta: -5_000,
      occurredAt: day(2), reversesId: null, transferId: null,
    });
    expect([...out.r.opening]).toEqual([[loc, { qtyMilli: 2_000, value: 2_000 }]]);
    expect(out.r.lastCost).toBe(1_000);
    expect(out.r.earlier.size).toBe(0);
    // Q from q2: 5 - 5 - 3 = -3 owed; nothing before it was ever at or above zero: from the beginning.
    expect(ids(out.qBack.rows)).toEqual([q.q1.id, q.q2.id, q.q3.id]);
    expect([...out.qBack.opening]).toEqual([[loc, { qtyMilli: 0, value: 0 }]]);
    expect(out.qBack.lastCost).toBeNull();
    // Q from day 5: only the reversal, whose sale (before the start) is given with its figures.
    expect(ids(out.qLate.rows)).toEqual([q.q3.id]);
    expect([...out.qLate.opening]).toEqual([[loc, { qtyMilli: 2_000, value: 1_000 }]]);
    expect([...out.qLate.earlier]).toEqual([[q.q1.id, { qtyMilli: -3_000, cost: 0, valueDelta: 0 }]]);
    expect(out.qLate.lastCost).toBe(200);

    // applyRepost writes the changed figures, the closing stock and the latest cost.
    await store.transaction((uow) =>
      uow.applyRepost({ productId: r.p.id, changed: [{ id: r.r2.id, cost: 5_500, valueDelta: -5_500 }], closing: new Map([[loc, { qtyMilli: 1_000, value: 900 }]]), lastCost: 1_100, rows: 2 }),
    );
    const after = await store.read(async (uow) => ({ r2: await uow.entryById(r.r2.id), r3: await uow.entryById(r.r3.id), b: await uow.balance(r.p.id, loc), p: await uow.productById(r.p.id) }));
    expect(after.r2).toMatchObject({ cost: 5_500, valueDelta: -5_500, qtyMilli: -5_000, amount: 7_500 });
    expect(after.r3).toMatchObject({ cost: 0, valueDelta: 4_400 });
    expect(after.b).toEqual({ qtyMilli: 1_000, value: 900 });
    expect(after.p.lastCost).toBe(1_100);
  });

  it('queues a repost keeping the earlier start, lists and dequeues it', async () => {
    const shop = await newShop();
    const p = await store.transaction((uow) => uow.createProduct(shop.id, '排队', '件', NOW));
    await store.transaction(async (uow) => {
      await uow.queueRepost(shop.id, p.id, { occurredAt: day(5), seq: 9 });
      await uow.queueRepost(shop.id, p.id, { occurredAt: day(5), seq: 7 });
      await uow.queueRepost(shop.id, p.id, { occurredAt: day(6), seq: 1 });
    });
    expect(await store.queuedReposts(shop.id)).toEqual([{ shopId: shop.id, productId: p.id, from: { occurredAt: day(5), seq: 7 } }]);
    expect((await store.queuedReposts()).some((x) => x.productId === p.id)).toBe(true);
    expect(await store.transaction((uow) => uow.dequeueRepost(p.id))).toEqual({ occurredAt: day(5), seq: 7 });
    expect(await store.transaction((uow) => uow.dequeueRepost(p.id))).toBeUndefined();
    expect(await store.queuedReposts(shop.id)).toEqual([]);
  });

  it('keeps batches and their moves, and lists those with stock first-expiring first', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const { p, b1, b2, b3, other, entry } = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '酸奶', '盒', NOW);
      const other = await uow.createLocation(shop.id, '门店');
      const b1 = await uow.createBatch({ productId: p.id, locationId: loc, code: 'L1', expiresAt: null, producedAt: day(1) }, NOW);
      const b2 = await uow.createBatch({ productId: p.id, locationId: loc, code: 'L2', expiresAt: day(20), producedAt: null }, NOW);
      const b3 = await uow.createBatch({ productId: p.id, locationId: loc, code: 'L3', expiresAt: day(10), producedAt: null }, NOW);
      const b4 = await uow.createBatch({ productId: p.id, locationId: other.id, code: 'S1', expiresAt: day(1), producedAt: null }, NOW);
      const entry = await put(uow, shop.id, p.id, loc, 'purchase', 9_000, 900, day(1));
      for (const b of [b1, b2, b3]) await uow.moveBatch({ entryId: entry.id, batchId: b.id, qtyMilli: 3_000 });
      await uow.moveBatch({ entryId: entry.id, batchId: b4.id, qtyMilli: 1_000 });
      await uow.moveBatch({ entryId: entry.id, batchId: b4.id, qtyMilli: -1_000 });
      await uow.setBatchExpiry(b1.id, day(15));
      return { p, b1, b2, b3, other, entry };
    });
    expect(b1).toEqual({ id: b1.id, productId: p.id, locationId: loc, code: 'L1', expiresAt: null, producedAt: day(1), qtyMilli: 0 });
    const r = await store.read(async (uow) => ({
      at: await uow.batchesAt(p.id, loc),
      moves: await uow.batchMovesOf(entry.id),
      one: await uow.batchById(b1.id),
      atOther: await uow.batchesAt(p.id, other.id),
    }));
    expect(r.at.map((b) => b.code)).toEqual(['L1', 'L2', 'L3']);
    expect(r.one).toEqual({ ...b1, expiresAt: day(15), qtyMilli: 3_000 });
    expect(r.moves).toEqual([
      { entryId: entry.id, batchId: b1.id, qtyMilli: 3_000 },
      { entryId: entry.id, batchId: b2.id, qtyMilli: 3_000 },
      { entryId: entry.id, batchId: b3.id, qtyMilli: 3_000 },
      { entryId: entry.id, batchId: r.atOther[0]!.id, qtyMilli: 1_000 },
      { entryId: entry.id, batchId: r.atOther[0]!.id, qtyMilli: -1_000 },
    ]);
    expect(r.atOther[0]!.qtyMilli).toBe(0);
    // With stock only (S1 is used up), default location first, then by expiry.
    const listed = await store.batches(shop.id, p.id);
    expect(listed.map((b) => [b.code, b.location])).toEqual([['L3', '默认仓'], ['L1', '默认仓'], ['L2', '默认仓']]);
    expect(listed[0]).toEqual({ ...b3, qtyMilli: 3_000, location: '默认仓' });
    // A batch without an expiry comes after those with one.
    await store.transaction(async (uow) => {
      const b5 = await uow.createBatch({ productId: p.id, locationId: loc, code: 'L5', expiresAt: null, producedAt: null }, NOW);
      await uow.moveBatch({ entryId: entry.id, batchId: b5.id, qtyMilli: 1 });
    });
    expect((await store.batches(shop.id, p.id)).map((b) => b.code)).toEqual(['L3', 'L1', 'L2', 'L5']);
    expect(b2.code).toBe('L2');
  });

  it('keeps import batches: heartbeat, stale, messages not undone newest first, finish', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const id = await store.beginImport(shop.id, 'orders.xlsx', 'u1', day(1));
    const other = await store.beginImport(shop.id, 'other.xlsx', 'u1', day(1));
    await store.heartbeatImport(other, day(3));
    expect(await store.staleImports(shop.id, day(2))).toEqual([id]);
    const seqs = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '导入', '件', NOW);
      const out: number[] = [];
      for (const m of ['r1', 'r2', 'r3']) {
        const msg = await uow.insertMessage(shop.id, { ...source('import', m), importBatchId: id }, NOW);
        const a = await put(uow, shop.id, p.id, loc, 'purchase', 1_000, 10, day(1), { messageId: msg });
        await put(uow, shop.id, p.id, loc, 'purchase', 1_000, 10, day(1), { messageId: msg });
        out.push(a.seq);
      }
      // r2's entries are undone.
      const r2 = await uow.entriesOfMessage((await uow.findMessage(source('import', 'r2')))!.id);
      for (const e of r2) await put(uow, shop.id, p.id, loc, 'reversal', -1_000, -10, day(1), { reversesId: e.id });
      return out;
    });
    expect(await store.importMessages(id)).toEqual([seqs[2], seqs[0]]);
    expect(await store.importMessages(other)).toEqual([]);
    await store.finishImport(id, 'done', day(4));
    expect(await store.staleImports(shop.id, day(5))).toEqual([other]);
    const { rows } = await pool.query('SELECT status, "finishedAt" FROM "ImportBatch" WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'done', finishedAt: day(4) });
  });

  it('lists stock by product and location in byte order, the default location first, and a product without stock at the default location', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const { a, z } = await store.transaction(async (uow) => {
      const z = await uow.createProduct(shop.id, 'z', '件', NOW);
      const a = await uow.createProduct(shop.id, 'a', '件', NOW);
      const big = await uow.createProduct(shop.id, 'B', '件', NOW);
      const lower = await uow.createLocation(shop.id, 'b店');
      const upper = await uow.createLocation(shop.id, 'B店');
      for (const l of [lower.id, upper.id, loc]) await uow.setBalance(a.id, l, { qtyMilli: l, value: 1 });
      await uow.setBalance(big.id, loc, { qtyMilli: 1, value: 1 });
      return { a, z };
    });
    expect((await store.stock(shop.id)).map((r) => [r.product, r.location])).toEqual([['B', '默认仓'], ['a', '默认仓'], ['a', 'B店'], ['a', 'b店']]);
    expect(await store.stock(shop.id, z.id)).toEqual([
      { productId: z.id, product: 'z', sku: null, unit: '件', location: '默认仓', qtyMilli: 0, value: 0, reorderLevel: null, overstockLevel: null, mode: 'normal' },
    ]);
    expect((await store.stock(shop.id, a.id)).map((r) => r.location)).toEqual(['默认仓', 'B店', 'b店']);
  });

  it('nests a transaction as a savepoint: an inner failure undoes only the inner writes', async () => {
    const shop = await newShop();
    await store.transaction(async (uow) => {
      await uow.createProduct(shop.id, '外', '件', NOW);
      await expect(
        store.transaction(async (inner) => {
          await inner.createProduct(shop.id, '内', '件', NOW);
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      // A store-level read inside the transaction sees its writes.
      expect((await store.products(shop.id)).map((p) => p.name)).toEqual(['外']);
    });
    expect((await store.products(shop.id)).map((p) => p.name)).toEqual(['外']);
  });

  it('reads in one snapshot without locks, and refuses to write inside read()', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '快照', '件', NOW);
      await uow.setBalance(p.id, loc, { qtyMilli: 1_000, value: 10 });
      return p;
    });
    // Another caller (a store of its own, so not inside this read) writes the same row meanwhile:
    // read() took no lock, so the write does not wait for it, and the read keeps its snapshot.
    const writer = new PgStore(pool);
    const seen = await store.read(async (uow) => {
      const before = await uow.balance(p.id, loc);
      await writer.transaction(async (w) => {
        await w.balance(p.id, loc);
        await w.setBalance(p.id, loc, { qtyMilli: 2_000, value: 20 });
      });
      const after = await uow.balance(p.id, loc);
      return { before, after };
    });
    expect(seen).toEqual({ before: { qtyMilli: 1_000, value: 10 }, after: { qtyMilli: 1_000, value: 10 } });
    expect(await store.read((uow) => uow.balance(p.id, loc))).toEqual({ qtyMilli: 2_000, value: 20 });
    await expect(store.read((uow) => uow.setBalance(p.id, loc, { qtyMilli: 0, value: 0 }))).rejects.toMatchObject({ code: '25006' });
  });

  it('a dry run sees its own writes, undoes a failed transaction inside it, and leaves nothing', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const version = await store.catalogueVersion(shop.id);
    const result = await store.withScratchCopy(async (copy) => {
      const p = await copy.transaction(async (uow) => {
        const p = await uow.createProduct(shop.id, '试算', '件', NOW);
        await uow.insertMessage(shop.id, source('dry', 'm1'), NOW);
        await put(uow, shop.id, p.id, loc, 'purchase', 2_000, 500, day(1));
        return p;
      });
      await expect(
        copy.transaction(async (uow) => {
          await put(uow, shop.id, p.id, loc, 'purchase', 7_000, 700, day(2));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await copy.batch(() => copy.transaction((uow) => put(uow, shop.id, p.id, loc, 'sale', -1_000, -250, day(3))));
      await copy.addAlias(shop.id, p.id, '试');
      return {
        stock: await copy.stock(shop.id, p.id),
        entries: (await copy.entries(shop.id)).map((e) => e.seq),
        found: await copy.read((uow) => uow.findProduct(shop.id, '试')),
      };
    });
    expect(result.stock).toMatchObject([{ qtyMilli: 1_000, value: 250 }]);
    expect(result.entries).toEqual([1, 2]);
    expect(result.found?.name).toBe('试算');
    // Nothing of it is left: products, entries, messages, entry numbers, the catalogue version.
    expect(await store.products(shop.id)).toEqual([]);
    expect(await store.entries(shop.id)).toEqual([]);
    expect(await store.aliases(shop.id)).toEqual([]);
    expect(await store.read((uow) => uow.findMessage(source('dry', 'm1')))).toBeUndefined();
    expect(await store.catalogueVersion(shop.id)).toBe(version);
    expect(await store.transaction((uow) => uow.nextSeq(shop.id))).toBe(1);
  });

  it('batch(): transaction() calls inside join it without a savepoint; a concurrent one outside does not join it', async () => {
    const inShop = await newShop();
    const outShop = await newShop();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const batch = store.batch(async () => {
      await store.transaction((uow) => uow.createProduct(inShop.id, '批内', '件', NOW));
      // Joined without a savepoint: a failure inside leaves what it wrote (the port's contract).
      await store
        .transaction(async (uow) => {
          await uow.createProduct(inShop.id, '批内2', '件', NOW);
          throw new Error('refused');
        })
        .catch(() => undefined);
      entered();
      await held;
      throw new Error('undo the batch');
    });
    await inside;
    // Another caller's transaction while the batch is open: its own connection, committed at once.
    await store.transaction((uow) => uow.createProduct(outShop.id, '批外', '件', NOW));
    const visible = async (shopId: number) => (await pool.query('SELECT name FROM "Product" WHERE "shopId" = $1 ORDER BY id', [shopId])).rows.map((r) => r.name);
    expect(await visible(outShop.id)).toEqual(['批外']);
    expect(await visible(inShop.id)).toEqual([]);
    release();
    await expect(batch).rejects.toThrow('undo the batch');
    expect(await visible(inShop.id)).toEqual([]);
    expect(await visible(outShop.id)).toEqual(['批外']);
    // A batch that completes keeps all its messages' writes, including the refused one's partial write.
    await store.batch(async () => {
      await store.transaction((uow) => uow.createProduct(inShop.id, '批内', '件', NOW));
      await store.transaction(async (uow) => {
        await uow.createProduct(inShop.id, '批内2', '件', NOW);
        throw new Error('refused');
      }).catch(() => undefined);
    });
    expect(await visible(inShop.id)).toEqual(['批内', '批内2']);
  });

  it('loses no update when two processes write the same balance at once', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction((uow) => uow.createProduct(shop.id, '热门', '件', NOW));
    const otherPool = await openPgPool(db.url, { max: 4, migrate: false });
    const other = new PgStore(otherPool);
    const N = 15;
    // Each writer reads the balance, pauses (another writer would read the same figure then) and
    // writes the balance plus one unit.
    const writer = (s: PgStore) => async () => {
      for (let i = 0; i < N; i += 1) {
        await s.transaction(async (uow) => {
          const b = await uow.balance(p.id, loc);
          await sleep(3);
          await uow.setBalance(p.id, loc, { qtyMilli: b.qtyMilli + 1_000, value: b.value + 7 });
        });
      }
    };
    try {
      await Promise.all([writer(store)(), writer(other)(), writer(store)(), writer(other)()]);
    } finally {
      await Promise.race([otherPool.end(), sleep(2000)]);
    }
    expect(await store.read((uow) => uow.balance(p.id, loc))).toEqual({ qtyMilli: 4 * N * 1_000, value: 4 * N * 7 });
  });

  it('applies one chat’s messages one at a time across processes; another chat does not wait', async () => {
    const shop = await newShop();
    const otherPool = await openPgPool(db.url, { max: 4, migrate: false });
    const other = new PgStore(otherPool);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const firstHasLock = new Promise<void>((resolve) => (locked = resolve));
      const order: string[] = [];
      const first = store.transaction(async (uow) => {
        expect(await uow.findMessage(source('chat-A', 'm1'))).toBeUndefined();
        locked();
        await held;
        await uow.insertMessage(shop.id, source('chat-A', 'm1'), NOW);
        order.push('first commits');
      });
      await firstHasLock;
      // The same message, redelivered to another process: it waits for the first, then finds it.
      const second = other.transaction(async (uow) => {
        const seen = await uow.findMessage(source('chat-A', 'm1'));
        order.push('second reads');
        return seen;
      });
      // A message of another chat goes ahead meanwhile.
      const elsewhere = await other.transaction(async (uow) => {
        const seen = await uow.findMessage(source('chat-B', 'm1'));
        order.push('other chat');
        return seen;
      });
      expect(elsewhere).toBeUndefined();
      await sleep(150);
      expect(order).toEqual(['other chat']);
      release();
      await first;
      const seen = await second;
      expect(order).toEqual(['other chat', 'first commits', 'second reads']);
      expect(seen?.shopId).toBe(shop.id);
    } finally {
      await Promise.race([otherPool.end(), sleep(2000)]);
    }
  });

  it('two messages of one shop that take two products in opposite orders do not deadlock', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const [p, q] = await store.transaction(async (uow) => [await uow.createProduct(shop.id, 'P', '件', NOW), await uow.createProduct(shop.id, 'Q', '件', NOW)]);
    const otherPool = await openPgPool(db.url, { max: 4, migrate: false });
    const other = new PgStore(otherPool);
    let signal!: () => void;
    const secondHasFirstProduct = new Promise<void>((resolve) => (signal = resolve));
    // A message of two items, as the core writes it: each item reads its balance, takes an entry
    // number, then sets the balance. The first message waits (a while at most) for the second to hold
    // its first product, so without a common first lock they would each hold what the other needs.
    const message = (s: PgStore, chat: string, first: number, second: number, midway?: () => Promise<unknown>, started?: () => void) =>
      s.transaction(async (uow) => {
        await uow.findMessage(source(chat, 'm'));
        await uow.insertMessage(shop.id, source(chat, 'm'), NOW);
        for (const [i, productId] of [first, second].entries()) {
          const b = await uow.balance(productId, loc);
          if (i === 0) started?.();
          if (i === 0) await midway?.();
          await uow.nextSeq(shop.id);
          await uow.setBalance(productId, loc, { qtyMilli: b.qtyMilli + 1_000, value: b.value + 1 });
        }
      });
    try {
      const results = await Promise.allSettled([
        message(store, 'deadlock-1', p.id, q.id, () => Promise.race([secondHasFirstProduct, sleep(300)])),
        sleep(20).then(() => message(other, 'deadlock-2', q.id, p.id, undefined, signal)),
      ]);
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'))).toEqual(['ok', 'ok']);
    } finally {
      await Promise.race([otherPool.end(), sleep(2000)]);
    }
    const after = await store.read(async (uow) => [await uow.balance(p.id, loc), await uow.balance(q.id, loc)]);
    expect(after).toEqual([{ qtyMilli: 2_000, value: 2 }, { qtyMilli: 2_000, value: 2 }]);
  });

  it('the repost queue and a message writing the same product do not deadlock', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '重算', '件', NOW);
      await put(uow, shop.id, p.id, loc, 'purchase', 1_000, 100, day(1), { unitPrice: 100 });
      await uow.queueRepost(shop.id, p.id, { occurredAt: day(1), seq: 1 });
      return p;
    });
    const otherPool = await openPgPool(db.url, { max: 4, migrate: false });
    const other = new PgStore(otherPool);
    let messageHolds!: () => void;
    const messageHasBalance = new Promise<void>((resolve) => (messageHolds = resolve));
    let workerHolds!: () => void;
    const workerDequeued = new Promise<void>((resolve) => (workerHolds = resolve));
    try {
      // A backdated write: it holds the product's balance, then queues a repost of it.
      const message = other.transaction(async (uow) => {
        await uow.findMessage(source('repost', 'm'));
        await uow.insertMessage(shop.id, source('repost', 'm'), NOW);
        const b = await uow.balance(p.id, loc);
        messageHolds();
        await Promise.race([workerDequeued, sleep(300)]);
        await uow.queueRepost(shop.id, p.id, { occurredAt: day(1), seq: 1 });
        await uow.setBalance(p.id, loc, b);
      });
      await messageHasBalance;
      // The queue's worker (InventoryService.runQueuedReposts): takes the repost off, folds, writes.
      const worker = store.transaction(async (uow) => {
        const from = await uow.dequeueRepost(p.id);
        workerHolds();
        if (!from) return 'empty';
        await uow.applyRepost(repost(await uow.repostRows(p.id, from)));
        return 'done';
      });
      const results = await Promise.allSettled([message, worker]);
      expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : r.value))).toEqual([undefined, 'done']);
    } finally {
      await Promise.race([otherPool.end(), sleep(2000)]);
    }
  });

  it('reads the current balance for a redelivery without waiting on a write that holds it', async () => {
    const shop = await newShop();
    const loc = await defaultLocationId(shop.id);
    const p = await store.transaction(async (uow) => {
      const p = await uow.createProduct(shop.id, '在写', '件', NOW);
      await put(uow, shop.id, p.id, loc, 'purchase', 2_000, 200, day(1), { unitPrice: 100 });
      return p;
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const writerHolds = new Promise<void>((resolve) => (locked = resolve));
    // A write holding the balance (FOR UPDATE) until released.
    const writer = store.transaction(async (uow) => {
      await uow.balance(p.id, loc);
      locked();
      await held;
    });
    await writerHolds;
    try {
      // The answer to a redelivered message: a write transaction, but it changes nothing.
      const answer = store.transaction((uow) => uow.currentBalance(p.id, loc));
      expect(await Promise.race([answer, sleep(2000).then(() => 'waited')])).toEqual({ qtyMilli: 2_000, value: 200 });
      // balance() in a write holds the row, so it waits for the writer: what currentBalance must not do.
      const locking = store.transaction((uow) => uow.balance(p.id, loc));
      expect(await Promise.race([locking, sleep(200).then(() => 'waited')])).toBe('waited');
      release();
      await Promise.all([writer, locking]);
    } finally {
      release();
    }
  });

  it('a message recorded twice at once fails the second with unique_violation (23505)', async () => {
    const shop = await newShop();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    // Without findMessage (no chat lock), as when the chat lock is bypassed: the unique key decides.
    const first = store.transaction(async (uow) => {
      await uow.insertMessage(shop.id, source('dup', 'm1'), NOW);
      inserted();
      await held;
    });
    await firstInserted;
    // Settled into a value at once, so its rejection is handled the moment it happens.
    const second = store.transaction((uow) => uow.insertMessage(shop.id, source('dup', 'm1'), NOW)).then(
      () => undefined,
      (error: unknown) => error,
    );
    await sleep(50);
    release();
    await first;
    expect(await second).toMatchObject({ code: '23505' });
  });
});
