import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, parse, period } from './fixtures.ts';

const TODAY = period('2026-11-26T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '今天');

const cases: Array<[string, Command]> = [
  // Mentions.
  ['@jxcbot 进货 T恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['@jxcbot进货 T恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['@JXCBOT 查 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['@仓库助手 查 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['@仓库助手\u2005出货 T恤 3件', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })] }],
  ['@jxcbot 昨天 盘点 T恤 45', { intent: 'stocktake', occurredAt: new Date('2026-11-26T04:00:00.000Z'), items: [known('T恤', 45)] }],
  // Slash commands.
  ['/stock', { intent: 'query' }],
  ['/stock T恤', { intent: 'query', product: 'T恤', known: true }],
  ['/digest', { intent: 'report', kind: 'daily', period: TODAY }],
  ['/help@jxcbot', { intent: 'help' }],
  ['/undo', { intent: 'undo' }],
  ['/进货 T恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  // Normalisation: full width, zero-width, control characters, spacing.
  ['进货　Ｔ恤　５０件　单价　２０', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进\u200B货 T\u200D恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['\uFEFF进货 T恤 5件\u0007', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['  进货   T恤    5件  ', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['进货 T恤 5件，短裤 3条。', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' }), known('短裤', 3, { unit: '条' })] }],
  ['进货 T恤 5件\r\n短裤 3条', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' }), known('短裤', 3, { unit: '条' })] }],
  ['进货 T恤 5件 单价 ￥20', { intent: 'purchase', items: [known('T恤', 5, { unit: '件', unitPrice: 2000 })] }],
];

describe('refiners', () => {
  it.each(cases)('%s', (text, command) => expectCommand(text, command));

  it('ignores slash commands addressed to another bot, and unknown ones', () => {
    expect(parse('/help@otherbot')).toStrictEqual({ kind: 'none' });
    expect(parse('/stock@otherbot T恤')).toStrictEqual({ kind: 'none' });
    expect(parse('/foo')).toStrictEqual({ kind: 'none' });
  });

  it('accepts /cmd@name when the name is one of ours, case-insensitively', () => {
    expect(parse('/stock@JxcBot')).toStrictEqual({ kind: 'command', command: { intent: 'query' } });
  });

  it('answers nothing to a bare mention', () => {
    expect(parse('@jxcbot')).toStrictEqual({ kind: 'none' });
    expect(parse('@小王')).toStrictEqual({ kind: 'none' });
  });
});
