import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, parse, utc } from './fixtures.ts';

// Date forms staff write (`23号`, `11.23`, `11/23`, `上上周三`, a date at the end), always the most
// recent such day: a record is about the past. Noon local time (04:00Z in Shanghai).

const MARCH_5 = { now: new Date('2026-03-05T04:00:00Z') }; // a Thursday

const cases: Array<[string, Command, { now: Date }?]> = [
  ['23号 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-23T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['卖了 T恤 1件 23号', { intent: 'sale', occurredAt: utc('2026-11-23T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['28号 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-10-28T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['30号 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-01-30T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }, MARCH_5],
  ['5号 卖了 T恤 1件', { intent: 'sale', items: [known('T恤', 1, { unit: '件' })] }, MARCH_5],
  ['12.31 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2025-12-31T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }, MARCH_5],
  ['11/23 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-23T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['卖了 T恤 1件 59 11-23', { intent: 'sale', occurredAt: utc('2026-11-23T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件', unitPrice: 5900 })] }],
  ['卖了 T恤 1件 59 11.23', { intent: 'sale', occurredAt: utc('2026-11-23T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件', unitPrice: 5900 })] }],
  // A dotted number alone after the quantity is the price, not August 5th.
  ['卖了 T恤 1件 8.5', { intent: 'sale', items: [known('T恤', 1, { unit: '件', unitPrice: 850 })] }],
  ['上上周三 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-11T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['周三 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  // Saturday written on a Friday: the one just gone.
  ['周六 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-21T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['卖了 T恤 1件 昨天的', { intent: 'sale', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['前天下午 卖了 T恤 1件', { intent: 'sale', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [known('T恤', 1, { unit: '件' })] }],
  ['进货 T恤 5件 2026-11-20', { intent: 'purchase', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  // A size in a name is not a day: numbers still follow it.
  ['进货 拖鞋 26号 10双 15', { intent: 'purchase', items: [{ product: '拖鞋 26号', known: false, quantity: 10, unit: '双', unitPrice: 1500 }] }],
  // `2号仓` is a place, not the 2nd.
  ['出货 T恤 3件 从 2号仓', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], location: '2号仓' }],
];

describe('dates as staff write them', () => {
  it.each(cases)('%s', (text, command, over) => expectCommand(text, command, over ?? {}));

  it('never ignores a trailing date it cannot accept', () => {
    expect(parse('卖了 T恤 1件 59 明天')).toMatchObject({ kind: 'error', code: 'FUTURE_DATE' });
    expect(parse('卖了 T恤 1件 59 12月25日')).toMatchObject({ kind: 'error', code: 'FUTURE_DATE' });
  });
});
