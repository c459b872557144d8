import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entriesCsv } from '../../src/adapters/files/export.ts';
import { SqliteExportReader } from '../../src/adapters/prisma/sqlite-export-reader.ts';
import type { ChatEngine } from '../../src/bot/engine.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { engineShop, type TestClock, type TestDb } from '../helpers/db.ts';

/**
 * Batches and expiry as a shop writes them, through the real engine on a real SQLite file built from
 * the migrations: goods come into named batches, leave first-expiring first (or from the batch
 * named), an undo or a correction gives each batch back exactly what it moved, `查` lists the
 * batches and the digest's 临期 list and the confirmations warn at the edge of the shop's window.
 * The shop's day is 2026-11-27 (Asia/Shanghai); 临期 is 30 days by default.
 */

let t: TestDb;
let engine: ChatEngine;
let clock: TestClock;
let shop: ShopRecord;
let n = 0;

beforeEach(async () => {
  ({ t, clock, engine, shop } = await engineShop());
});
afterEach(() => t.cleanup());

async function say(text: string): Promise<string> {
  n += 1;
  const reply = await engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'boss', text }, shop, 'owner');
  return reply?.text ?? '';
}

/** Each batch of a product as the database holds it: code → quantity in whole units. */
function batches(product: string): Record<string, number> {
  const rows = t.db
    .prepare('SELECT b.code, b.expiresAt, b.qtyMilli, l.name AS location FROM Batch b JOIN Product p ON p.id = b.productId JOIN Location l ON l.id = b.locationId WHERE p.name = ? ORDER BY b.id')
    .all(product) as { code: string | null; expiresAt: number | null; qtyMilli: number; location: string }[];
  const out: Record<string, number> = {};
  for (const r of rows) out[`${r.location === '默认仓' ? '' : `${r.location}:`}${r.code ?? new Date(r.expiresAt ?? 0).toISOString().slice(0, 10)}`] = r.qtyMilli / 1000;
  return out;
}

/** A batch's quantity is always the sum of what entries moved into and out of it. */
function expectMovesAddUp(): void {
  const drift = t.db.prepare('SELECT b.id FROM Batch b WHERE b.qtyMilli <> (SELECT COALESCE(SUM(m.qtyMilli), 0) FROM BatchMove m WHERE m.batchId = b.id) OR b.qtyMilli < 0').all();
  expect(drift).toEqual([]);
}

async function ledgerSnapshot(): Promise<string> {
  return JSON.stringify([await t.store.entries(shop.id), t.db.prepare('SELECT * FROM Batch ORDER BY id').all(), t.db.prepare('SELECT * FROM BatchMove ORDER BY id').all()]);
}

/** Says a line that must be answered without writing anything. */
async function refused(text: string): Promise<string> {
  const before = await ledgerSnapshot();
  const reply = await say(text);
  expect(await ledgerSnapshot()).toBe(before);
  return reply;
}

describe('batches consumed first-expiring-first', () => {
  it('sells across two batches by date, takes a named batch, and undo and correction give back exactly', async () => {
    const first = await say('进货 牛奶 100 箱 单价 30 批次 A1101 到期 2027-05-01');
    expect(first).toContain('✅ #1 进货 牛奶 100箱 × 30.00 = 3,000.00 → 库存 100箱');
    expect(first).toContain('📦 #1 入 批次 A1101（2027-05-01 到期） 100箱');
    expect(first).not.toContain('⚠️');
    // Written later, expires sooner: 23 days left, inside the 30-day window.
    const second = await say('进货 牛奶 50箱 单价 30 批号 A1027 效期 2026.12.20');
    expect(second).toContain('📦 #2 入 批次 A1027（2026-12-20 到期） 50箱');
    expect(second).toContain('⚠️ 批次 A1027 23 天后到期');

    const sale = await say('卖了 牛奶 60箱 单价 40');
    expect(sale).toContain('✅ #3 出货 牛奶 60箱 × 40.00 = 2,400.00 → 库存 90箱');
    expect(sale).toContain('📦 #3 出自 批次 A1027（2026-12-20 到期） 50箱、批次 A1101（2027-05-01 到期） 10箱');
    expect(sale).toContain('⚠️ 批次 A1027 23 天后到期');
    expect(batches('牛奶')).toEqual({ A1101: 90, A1027: 0 });

    const named = await say('卖了 牛奶 3箱 批次 a1101 单价 40');
    expect(named).toContain('📦 #4 出自 批次 A1101（2027-05-01 到期） 3箱');
    expect(named).not.toContain('⚠️');
    expect(batches('牛奶')).toEqual({ A1101: 87, A1027: 0 });

    const query = await say('查 牛奶');
    expect(query).toContain('📦 牛奶：87箱');
    expect(query).toContain('  · 批次 A1101 87箱 2027-05-01 到期');
    expect(query).not.toContain('A1027');
    expect(query).not.toContain('未分批');

    expect(await say('撤销')).toContain('↩️ 已撤销 #4 出货 牛奶 3箱');
    expect(batches('牛奶')).toEqual({ A1101: 90, A1027: 0 });
    expect(await say('撤销 #3')).toContain('↩️ 已撤销 #3 出货 牛奶 60箱');
    expect(batches('牛奶')).toEqual({ A1101: 100, A1027: 50 });

    // A corrected purchase stays in its batch with the corrected quantity.
    expect(await say('改 #1 数量 90')).toContain('✏️ #1 已更正');
    expect(batches('牛奶')).toEqual({ A1101: 90, A1027: 50 });
    expect(await say('查 牛奶')).toMatch(/批次 A1027 50箱 2026-12-20 到期（⚠️ 23 天后到期）\n {2}· 批次 A1101 90箱 2027-05-01 到期/);
    expectMovesAddUp();
  });

  it('refuses an unknown or too small named batch, and a code with another date, writing nothing', async () => {
    await say('进货 牛奶 10箱 单价 30 批次 A1 到期 2027-05-01');
    await say('进货 牛奶 5箱 单价 30');
    expect(await refused('卖了 牛奶 3箱 批次 Z9 单价 40')).toBe('❌ 牛奶 在 默认仓 没有批次「Z9」（现有批次：A1）。不写批次就按先到期先出。');
    expect(await refused('卖了 牛奶 12箱 批次 A1 单价 40')).toBe('❌ 牛奶 批次 A1 只剩 10箱，需要 12箱。请改小数量，或不写批次按先到期先出。');
    expect(await refused('进货 牛奶 10箱 单价 30 批次 A1 到期 2027-06-01')).toBe(
      '❌ 牛奶 批次 A1 已记的到期日是 2027-05-01，这次写的是 2027-06-01。同一批次只能有一个到期日；不同的货请用新的批次号。',
    );
    expect(await refused('卖了 牛奶 3箱 到期 2027-05-01')).toContain('出库不用写到期日或生产日期');
    // The same code and date again extends the batch.
    await say('进货 牛奶 10箱 单价 30 批次 A1 到期 2027-05-01');
    expect(batches('牛奶')).toEqual({ A1: 20 });
    expectMovesAddUp();
  });

  it('sells stock without a batch first, counts a shelf life from the production date, and lists what no batch holds', async () => {
    await say('进货 酸奶 10盒 单价 5');
    const made = await say('进货 酸奶 20盒 单价 5 批次 B1 生产 2026-11-01 保质期 1个月');
    expect(made).toContain('📦 #2 入 批次 B1（2026-12-01 到期） 20盒');
    expect(made).toContain('⚠️ 批次 B1 4 天后到期');
    expect(await say('查 酸奶')).toContain('📦 酸奶：30盒，均价 5.00，金额 150.00\n  · 批次 B1 20盒 2026-12-01 到期（⚠️ 4 天后到期）\n  · 未分批 10盒');
    const sale = await say('卖了 酸奶 12盒 单价 8');
    expect(sale).toContain('📦 #3 出自 批次 B1（2026-12-01 到期） 2盒');
    expect(batches('酸奶')).toEqual({ B1: 18 });
    expect(await say('查 酸奶')).not.toContain('未分批');
    expectMovesAddUp();
  });

  it('keeps an expired batch for last on a sale, takes it first on a 盘亏 or a return to the supplier, and warns', async () => {
    const late = await say('进货 面包 5个 单价 3 批次 OLD 到期 2026-11-24');
    expect(late).toContain('⚠️ 批次 OLD 已过期 3 天');
    await say('进货 面包 10个 单价 3 批次 NEW 到期 2026-12-05');
    const sale = await say('卖了 面包 4个 单价 6');
    expect(sale).toContain('📦 #3 出自 批次 NEW（2026-12-05 到期） 4个');
    expect(sale).not.toContain('OLD');
    expect(await say('卖了 面包 1个 单价 6 批次 OLD')).toContain('⚠️ 批次 OLD 已过期 3 天');
    expect(batches('面包')).toEqual({ OLD: 4, NEW: 6 });
    expect(await say('退供 面包 3个')).toContain('📦 #5 出自 批次 OLD（2026-11-24 到期） 3个');
    // Counted 5 left: the loss comes out of the expired batch first.
    expect(await say('盘点 面包 5')).toContain('📦 #6 出自 批次 OLD（2026-11-24 到期） 1个、批次 NEW（2026-12-05 到期） 1个');
    expect(batches('面包')).toEqual({ OLD: 0, NEW: 5 });
    // A 盘盈 without a batch is stock no batch holds.
    await say('盘点 面包 7');
    expect(batches('面包')).toEqual({ OLD: 0, NEW: 5 });
    expect(await say('查 面包')).toContain('  · 未分批 2个');
    // Counting one batch: the difference is that batch's, the rest of the stock stays.
    expect(await say('盘点 面包 批次 NEW 3')).toContain('✅ #8 盘点 面包（盘亏 2个） → 库存 5个');
    expect(batches('面包')).toEqual({ OLD: 0, NEW: 3 });
    expect(await say('盘点 面包 4 批次 B9 到期 2026-12-31')).toContain('（盘盈 4个） → 库存 9个');
    expect(batches('面包')).toEqual({ OLD: 0, NEW: 3, B9: 4 });
    expectMovesAddUp();
  });

  it('moves batches with a transfer and gives them back when it is undone', async () => {
    await say('进货 牛奶 10箱 单价 30 批次 A1 到期 2027-05-01');
    await say('进货 牛奶 10箱 单价 30 批次 A2 到期 2027-03-01');
    const moved = await say('调拨 牛奶 12箱 到 门店');
    expect(moved).toContain('📦 #3 出自 批次 A2（2027-03-01 到期） 10箱、批次 A1（2027-05-01 到期） 2箱');
    expect(moved).not.toContain('📦 #4');
    expect(batches('牛奶')).toEqual({ A1: 8, A2: 0, '门店:A2': 10, '门店:A1': 2 });
    const query = await say('查 牛奶');
    expect(query).toContain('  · 默认仓 批次 A1 8箱 2027-05-01 到期');
    expect(query).toContain('  · 门店 批次 A2 10箱 2027-03-01 到期');
    await say('撤销');
    expect(batches('牛奶')).toEqual({ A1: 10, A2: 10, '门店:A2': 0, '门店:A1': 0 });
    expectMovesAddUp();
  });
});

describe('undoing goods that have already left their batch', () => {
  it('takes the rest out of the other batches, so the batches never hold more than the stock', async () => {
    await say('进货 牛奶 10箱 单价 30 批次 A1 到期 2026-12-20');
    // 盘盈 10箱 of later-dated goods.
    expect(await say('盘点 牛奶 20 到期 2027-04-30')).toContain('（盘盈 10箱） → 库存 20箱');
    expect(await say('卖了 牛奶 10箱 单价 40')).toContain('📦 #3 出自 批次 A1（2026-12-20 到期） 10箱');
    // A batch without a code is keyed by its expiry instant in UTC: 2027-04-30 in Shanghai starts on 04-29 UTC.
    expect(batches('牛奶')).toEqual({ A1: 0, '2027-04-29': 10 });
    // The purchase never happened: the stock left is none, and neither is what the batches hold.
    expect(await say('撤销 #1')).toContain('↩️ 已撤销 #1 进货 牛奶 10箱');
    expect(await say('查 牛奶')).toContain('📦 牛奶：0箱');
    expect(batches('牛奶')).toEqual({ A1: 0, '2027-04-29': 0 });
    expectMovesAddUp();
  });

  it('takes an unbatched purchase that was sold out of the batches once it is undone', async () => {
    await say('进货 酸奶 10盒 单价 5');
    await say('进货 酸奶 6盒 单价 5 批次 B1 到期 2026-12-20');
    await say('进货 酸奶 6盒 单价 5 批次 B2 到期 2027-01-20');
    // The stock no batch holds goes first.
    expect(await say('卖了 酸奶 10盒 单价 8')).not.toContain('📦');
    expect(batches('酸奶')).toEqual({ B1: 6, B2: 6 });
    await say('撤销 #1');
    // 2盒 are left, in the batch a sale would have drawn last.
    expect(batches('酸奶')).toEqual({ B1: 0, B2: 2 });
    expect(await say('查 酸奶')).toContain('📦 酸奶：2盒');
    expectMovesAddUp();
  });
});

describe('batches of a 预售 product', () => {
  it('puts into the batch only what is left after the goods owed to buyers', async () => {
    await say('进货 月饼 2盒 单价 30 批次 M1 到期 2027-01-31');
    await say('设置 月饼 预售');
    expect(await say('卖了 月饼 5盒 单价 60')).toContain('📦 #2 出自 批次 M1（2027-01-31 到期） 2盒');
    const arrived = await say('进货 月饼 10盒 单价 30 批次 M2 到期 2027-02-28');
    expect(arrived).toContain('→ 库存 7盒');
    expect(arrived).toContain('📦 #3 入 批次 M2（2027-02-28 到期） 7盒');
    expect(batches('月饼')).toEqual({ M1: 0, M2: 7 });
    await say('撤销');
    expect(batches('月饼')).toEqual({ M1: 0, M2: 0 });
    expectMovesAddUp();
  });
});

describe('the entries export', () => {
  it('names the batches each entry moved, with their dates in the shop’s zone', async () => {
    await say('进货 牛奶 100箱 单价 30 批次 A1101 到期 2027-05-01');
    await say('进货 牛奶 50箱 单价 30 批次 A1027 到期 2026-12-20');
    await say('卖了 牛奶 60箱 单价 40');
    await say('进货 牛奶 5箱 单价 30');
    const csv = entriesCsv(await new SqliteExportReader(t.db).entryRows(shop.id), shop.timeZone).split('\r\n');
    expect(csv[0]).toMatch(/,备注,批次,代发供应商,代发进价$/);
    expect(csv[1]).toMatch(/,A1101（2027-05-01 到期）,,$/);
    expect(csv[2]).toMatch(/,A1027（2026-12-20 到期）,,$/);
    expect(csv[3]).toMatch(/,A1027（2026-12-20 到期） 50、A1101（2027-05-01 到期） 10,,$/);
    expect(csv[4]).toMatch(/,,,,$/);
  });
});

describe('临期 at the edge of the warning window', () => {
  it('warns and lists a batch with 30 days left, not one with 31, and lists it the next day', async () => {
    const inside = await say('进货 牛奶 1箱 单价 30 批次 D29 到期 2026-12-26');
    expect(inside).toContain('⚠️ 批次 D29 29 天后到期');
    expect(await say('进货 牛奶 1箱 单价 30 批次 D30 到期 2026-12-27')).toContain('⚠️ 批次 D30 30 天后到期');
    expect(await say('进货 牛奶 1箱 单价 30 批次 D31 到期 2026-12-28')).not.toContain('⚠️');

    const today = await say('日报');
    expect(today).toContain('⏳ 临期 2 批：\n· 牛奶 批次D29 1箱 12月26日到期\n· 牛奶 批次D30 1箱 12月27日到期');
    expect(today).not.toContain('D31');

    clock.advance(24 * 3_600_000);
    const tomorrow = await say('日报');
    expect(tomorrow).toContain('⏳ 临期 3 批：');
    expect(tomorrow).toContain('· 牛奶 批次D31 1箱 12月28日到期');
    expect(await say('查 牛奶')).toContain('批次 D31 1箱 2026-12-28 到期（⚠️ 30 天后到期）');
  });

  it('marks a batch expired the day after its last good day, not on it', async () => {
    await say('进货 牛奶 1箱 单价 30 批次 E0 到期 2026-11-27');
    expect(await say('查 牛奶')).toContain('批次 E0 1箱 2026-11-27 到期（⚠️ 今天到期）');
    expect(await say('日报')).toContain('· 牛奶 批次E0 1箱 11月27日到期');
    clock.advance(24 * 3_600_000);
    expect(await say('查 牛奶')).toContain('（⚠️ 已过期 1 天）');
    expect(await say('日报')).toContain('· 牛奶 批次E0 1箱 已过期');
  });
});
