import fc from 'fast-check';
import { mulDivRound } from '../../src/core/money.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/bot/engine.ts';
import { createTestDb, TestClock, type TestDb, engineDeps } from '../helpers/db.ts';

let t: TestDb;
let engine: ChatEngine;
let shop: Awaited<ReturnType<TestDb['store']['createShop']>>;
let n = 0;

beforeAll(async () => {
  t = createTestDb();
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  shop = await t.store.createShop('店', clock.now());
  for (const line of ['进货 T恤 50 件 单价 20', '进货 短裤 30 条 单价 15', '设置 T恤 售价 59', '进货 核桃 100斤 单价 12', '进货 雪碧 480瓶 单价 2', '设置 雪碧 1箱=24瓶']) await say(line);
});
afterAll(() => t.cleanup());

async function say(text: string) {
  n += 1;
  return await engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'u', text }, shop, 'owner');
}

const verbs = ['进货', '出货', '卖了', '退货', '退供', '盘点', '调拨', '查', '撤销', '改', '设置', '别名', '利润', '销量', '帮助', '昨天 出货', '@bot 进货'];
const tails = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(" T恤 1; DROP TABLE Entry; --", ' T恤 ０ 件', ' T恤 -5 件 单价 20', ' T恤 1.5 件', ' T恤 3 件 单价 1.234', ' T恤 3 件 单价 20 单价 30', ' T恤 😀😀 件', ' T\u200B恤 3 件', ' T恤 3 坨', ' T恤 99999999999 件'),
);

describe('any text through the engine', () => {
  it('never throws, and a refusal or silence never changes the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.tuple(fc.constantFrom(...verbs), tails).map(([v, t2]) => v + t2)), async (text) => {
        const before = (await t.store.entries(shop.id)).length;
        const stockBefore = JSON.stringify(await t.store.stock(shop.id));
        const reply = await say(text);
        const after = (await t.store.entries(shop.id)).length;
        if (reply === null || /^(❌|⛔|⚠️|💡|❓)/.test(reply.text)) {
          expect(after).toBe(before);
          expect(JSON.stringify(await t.store.stock(shop.id))).toBe(stockBefore);
        }
        if (reply !== null) {
          expect(reply.text).not.toMatch(/at .*\.ts:\d+/);
          for (const leak of ['undefined', 'NaN', 'Error']) if (!text.includes(leak)) expect(reply.text).not.toContain(leak);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a 2,000-character message without writing', async () => {
    const before = (await t.store.entries(shop.id)).length;
    expect((await say(`进货 T恤 1 件 单价 20 ${'很'.repeat(2000)}`))?.text).toMatch(/^❌/);
    expect((await t.store.entries(shop.id)).length).toBe(before);
  });
});

/** "1,234.50" → 123450. */
function cents(text: string): number {
  const [whole = '0', frac = '00'] = text.replace(/,/g, '').split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** "1.2" → 1200. */
function milli(text: string): number {
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

// `✅ #N 出货 核桃 1.2斤（1斤2两） × 30.00 = 36.00`, `… 共 57.14 − 优惠 5.00 = 52.14`, `… 共 100.00（约 33.33/件）`.
const CONFIRMATION =
  /^✅ #(\d+) \S+ .+? (\d+(?:\.\d+)?)[^\s\d×（]+(?:（[^）]*）)? (?:× ([\d,]+\.\d\d)|共 ([\d,]+\.\d\d))(?:（\d+折）)?(?:（约 [\d,]+\.\d\d\/[^）]+）)?(?: − 优惠 ([\d,]+\.\d\d))?(?: \+ 运费 ([\d,]+\.\d\d))?(?: = ([\d,]+\.\d\d))?(?: |（|$)/;

const products = fc.constantFrom('T恤', '短裤', '核桃', '雪碧');
const quantities = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((q) => `${q}`),
  fc.integer({ min: 1, max: 30 }).map((q) => `${q}件`),
  fc.constantFrom('1斤2两', '半斤', '0.5kg', '500g', '250克', '一斤半', '3两', '2箱', '半箱', '一箱半', '3箱6瓶', '2打', '12瓶', '1.5', '三件'),
);
const prices = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 0, max: 20000 }).map((c) => ` 单价 ${(c / 100).toFixed(2)}`),
  fc.integer({ min: 1, max: 500 }).map((y) => ` ${y}元`),
  fc.integer({ min: 1, max: 5000 }).map((y) => ` 共 ${y}`),
  fc.integer({ min: 1, max: 100 }).map((y) => ` 每箱${y}`),
  fc.integer({ min: 1, max: 100 }).map((y) => ` ${y}`),
);
const extras = fc.constantFrom('', ' 8折', ' 打85折', ' 优惠5元', ' 运费10元', ' 优惠 2', ' 包邮', ' 淘宝');
const writeVerbs = fc.constantFrom('进货', '出货', '卖了', '退货', '退供');

describe('what a confirmation says is what the ledger holds', () => {
  it('amount = quantity × unit price (− 优惠 + 运费) = the ledger amount; a refusal or question writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(writeVerbs, products, quantities, prices, extras, async (verb, product, quantity, price, extra) => {
        const text = `${verb} ${product} ${quantity}${price}${extra}`;
        const before = await t.store.entries(shop.id);
        const stockBefore = JSON.stringify(await t.store.stock(shop.id));
        const reply = await say(text);
        const after = await t.store.entries(shop.id);
        if (reply === null || !reply.text.startsWith('✅')) {
          expect(after.length, text).toBe(before.length);
          expect(JSON.stringify(await t.store.stock(shop.id)), text).toBe(stockBefore);
          if (reply?.text.startsWith('❓')) {
            // Every way of writing it that the question suggests is taken as written, never asked again.
            const suggested = reply.text.split('请按你的意思重发（其他照原样写）：\n')[1]?.split('\n') ?? [];
            expect(suggested.length, reply.text).toBeGreaterThanOrEqual(2);
            for (const line of suggested) expect((await say(line.slice(2)))?.text, line).toMatch(/^✅|^❌ \S+ 库存不足/);
          }
          return;
        }
        const bySeq = new Map(after.map((e) => [e.seq, e]));
        const lines = reply.text.split('\n').filter((l) => l.startsWith('✅'));
        expect(lines.length, text).toBe(after.length - before.length);
        for (const line of lines) {
          const m = CONFIRMATION.exec(line);
          // Owners see every price, so every confirmation line carries its amount.
          if (m === null) throw new Error(`no amount in: ${line} (for ${text})`);
          const entry = bySeq.get(Number(m[1]));
          if (entry === undefined) throw new Error(`no entry for: ${line}`);
          // `Q × P − D + F = A`, `共 B − D + F = A`, or `共 A`.
          const shown = cents(m[7] ?? m[4] ?? '0');
          expect(Math.abs(entry.amount), `${text} → ${line}`).toBe(shown);
          expect(Math.abs(entry.qtyMilli), `${text} → ${line}`).toBe(milli(m[2] ?? '0'));
          const base = m[3] !== undefined ? mulDivRound(cents(m[3]), Math.abs(entry.qtyMilli), 1000) : cents(m[4] ?? '0');
          const discount = m[5] === undefined ? 0 : cents(m[5]);
          const freight = m[6] === undefined ? 0 : cents(m[6]);
          expect(base - discount + freight, `${text} → ${line}`).toBe(shown);
        }
      }),
      // Found by this test: the suggested `每两47` read 两 as the number 2, a second price.
      { numRuns: 300, examples: [['进货', '核桃', '3两', ' 47', ' 打85折']] },
    );
  });
});
