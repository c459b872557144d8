import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, unknown, utc } from './fixtures.ts';

const stocktakes: Array<[string, Command]> = [
  ['盘点 T恤 45', { intent: 'stocktake', items: [known('T恤', 45)] }],
  ['盘点 T恤 0', { intent: 'stocktake', items: [known('T恤', 0)] }],
  ['盘点 T恤 零件', { intent: 'stocktake', items: [known('T恤', 0, { unit: '件' })] }],
  ['盘点 T恤 45件', { intent: 'stocktake', items: [known('T恤', 45, { unit: '件' })] }],
  ['盘点 T恤 四十五', { intent: 'stocktake', items: [known('T恤', 45)] }],
  ['盘点 苹果 10.5', { intent: 'stocktake', items: [known('苹果', 10.5)] }],
  ['盘点 可乐 3箱', { intent: 'stocktake', items: [known('可乐', 72, { unit: '箱', writtenQuantity: '3箱' })] }],
  ['盘点 T恤 45，短裤 30', { intent: 'stocktake', items: [known('T恤', 45), known('短裤', 30)] }],
  ['盘点 T恤 45 在 天猫仓', { intent: 'stocktake', items: [known('T恤', 45)], location: '天猫仓' }],
  ['盘点 卫衣 12', { intent: 'stocktake', items: [unknown('卫衣', 12)] }],
  ['昨天 盘点 T恤 45', { intent: 'stocktake', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 45)] }],
];

const transfers: Array<[string, Command]> = [
  ['调拨 T恤 20 件 到 天猫仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '天猫仓' }],
  ['调拨 T恤 20件 到天猫仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '天猫仓' }],
  ['调拨 T恤 20件 从 总仓 到 天猫仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], location: '总仓', to: '天猫仓' }],
  ['调拨 T恤 20件 天猫仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '天猫仓' }],
  ['调拨 T恤 20件 调到 京东仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '京东仓' }],
  ['调拨 T恤 20件 -> 门店', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '门店' }],
  ['调货 T恤 20件 到 门店', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' })], to: '门店' }],
  ['调拨 T恤 20件，短裤 10条 到 天猫仓', { intent: 'transfer', items: [known('T恤', 20, { unit: '件' }), known('短裤', 10, { unit: '条' })], to: '天猫仓' }],
  ['调拨 可乐 1箱 到 门店', { intent: 'transfer', items: [known('可乐', 24, { unit: '箱', writtenQuantity: '1箱' })], to: '门店' }],
  ['昨天 调拨 T恤 20件 到 天猫仓', { intent: 'transfer', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 20, { unit: '件' })], to: '天猫仓' }],
];

describe('stocktake', () => {
  it.each(stocktakes)('%s', (text, command) => expectCommand(text, command));
});

describe('transfer', () => {
  it.each(transfers)('%s', (text, command) => expectCommand(text, command));
});
