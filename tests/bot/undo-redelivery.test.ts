// A chat platform redelivers a message after a restart. A redelivered 撤销 was applied already: it must
// be recognised as a repeat, not refused as a second 撤销 (found by the kill -9 reliability suite).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/bot/engine.ts';
import type { ShopRecord } from '../../src/core/ports.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let engine: ChatEngine;
let shop: ShopRecord;

const send = (messageId: string, text: string) =>
  engine.handle({ platform: 'telegram', chatId: 'g1', chatType: 'group', messageId, userId: 'boss', userName: '老板', text }, shop, 'owner');

beforeEach(async () => {
  t = createTestDb();
  engine = new ChatEngine(t.store, new TestClock(new Date('2026-11-27T04:00:00Z')), engineDeps(t.db));
  shop = await t.store.createShop('小店', new Date('2026-11-27T03:00:00Z'));
});
afterEach(() => t.cleanup());

describe('a redelivered 撤销', () => {
  it('is a repeat of the undo it was, writes nothing, and a new plain 撤销 is still refused', async () => {
    expect((await send('1', '进货 T恤 10件 单价 20'))?.text).toMatch(/^✅ #1 /);
    const first = await send('2', '撤销');
    expect(first?.entrySeqs).toEqual([2]);
    const again = await send('2', '撤销');
    expect(again?.duplicate).toBe(true);
    expect(again?.entrySeqs).toEqual([2]);
    expect((await t.store.entries(shop.id)).length).toBe(2);
    expect((await send('3', '撤销'))?.text).toContain('刚才已经撤销过一次');
  });
});

describe('a 撤销 delivered to two processes at once', () => {
  /**
   * Process b handles the message while process a applies it: `during` names the store call of b's
   * before which a's commit lands. b must answer a repeat (silently), never refuse it as a second 撤销.
   */
  async function race(during: 'entries' | 'transaction') {
    expect((await send('1', '进货 T恤 10件 单价 20'))?.text).toMatch(/^✅ #1 /);
    let raced = false;
    const store = new Proxy(t.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (property === during && !raced) {
            raced = true;
            expect((await send('2', '撤销'))?.entrySeqs).toEqual([2]);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const b = new ChatEngine(store, new TestClock(new Date('2026-11-27T04:00:00Z')), engineDeps(t.db));
    const reply = await b.handle({ platform: 'telegram', chatId: 'g1', chatType: 'group', messageId: '2', userId: 'boss', userName: '老板', text: '撤销' }, shop, 'owner');
    expect(raced).toBe(true);
    expect(reply?.duplicate).toBe(true);
    expect(reply?.entrySeqs).toEqual([2]);
    expect((await t.store.entries(shop.id)).length).toBe(2);
  }

  it('is a repeat when the other process commits before this one reads the last undo', () => race('entries'));
  it('is a repeat when the other process commits just before this one writes', () => race('transaction'));
});
