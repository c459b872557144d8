import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/bot/engine.ts';
import { createTestDb, TestClock, type TestDb, engineDeps } from '../helpers/db.ts';

let t: TestDb;
let engine: ChatEngine;
let shop: ReturnType<TestDb['store']['createShop']>;
let n = 0;

beforeAll(() => {
  t = createTestDb();
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  shop = t.store.createShop('店', clock.now());
  for (const line of ['进货 T恤 50 件 单价 20', '进货 短裤 30 条 单价 15', '设置 T恤 售价 59']) say(line);
});
afterAll(() => t.cleanup());

function say(text: string) {
  n += 1;
  return engine.handle({ platform: 'test', chatId: 'c', chatType: 'group', messageId: String(n), userId: 'u', text }, shop, 'owner');
}

const verbs = ['进货', '出货', '卖了', '退货', '退供', '盘点', '调拨', '查', '撤销', '改', '设置', '别名', '利润', '销量', '帮助', '昨天 出货', '@bot 进货'];
const tails = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(" T恤 1; DROP TABLE Entry; --", ' T恤 ０ 件', ' T恤 -5 件 单价 20', ' T恤 1.5 件', ' T恤 3 件 单价 1.234', ' T恤 3 件 单价 20 单价 30', ' T恤 😀😀 件', ' T\u200B恤 3 件', ' T恤 3 坨', ' T恤 99999999999 件'),
);

describe('any text through the engine', () => {
  it('never throws, and a refusal or silence never changes the ledger', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.tuple(fc.constantFrom(...verbs), tails).map(([v, t2]) => v + t2)), (text) => {
        const before = t.store.entries(shop.id).length;
        const stockBefore = JSON.stringify(t.store.stock(shop.id));
        const reply = say(text);
        const after = t.store.entries(shop.id).length;
        if (reply === null || /^(❌|⛔|⚠️|💡|❓)/.test(reply.text)) {
          expect(after).toBe(before);
          expect(JSON.stringify(t.store.stock(shop.id))).toBe(stockBefore);
        }
        if (reply !== null) {
          expect(reply.text).not.toMatch(/at .*\.ts:\d+/);
          for (const leak of ['undefined', 'NaN', 'Error']) if (!text.includes(leak)) expect(reply.text).not.toContain(leak);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a 2,000-character message without writing', () => {
    const before = t.store.entries(shop.id).length;
    expect(say(`进货 T恤 1 件 单价 20 ${'很'.repeat(2000)}`)?.text).toMatch(/^❌/);
    expect(t.store.entries(shop.id).length).toBe(before);
  });
});
