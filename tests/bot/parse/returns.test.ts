import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, utc } from './fixtures.ts';

const customerReturns: Array<[string, Command]> = [
  ['退货 T恤 1 件', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件' })] }],
  ['退货 T恤 1 件 退款 59', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件', total: 5900, priceSure: true })] }],
  ['退货 T恤 2件 退款 118', { intent: 'customerReturn', items: [known('T恤', 2, { unit: '件', total: 11800, priceSure: true })] }],
  ['退货 T恤 2件 每件 59', { intent: 'customerReturn', items: [known('T恤', 2, { unit: '件', unitPrice: 5900, priceSure: true })] }],
  ['客退 T恤 1件 单价 59', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件', unitPrice: 5900 })] }],
  ['退货 T恤 1件 退款 59 淘宝 客户 张三', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件', total: 5900, priceSure: true })], channel: '淘宝', counterparty: '张三' }],
  ['退货 T恤 1件 到 退货仓', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件' })], location: '退货仓' }],
  ['昨天 客退 短裤 2条', { intent: 'customerReturn', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('短裤', 2, { unit: '条' })] }],
  ['退货 T恤 1件，短裤 1条', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件' }), known('短裤', 1, { unit: '条' })] }],
];

const supplierReturns: Array<[string, Command]> = [
  ['退供 T恤 5 件', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件' })] }],
  ['退厂 T恤 5件', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件' })] }],
  ['退供 T恤 5件 供应商 老王', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件' })], counterparty: '老王' }],
  ['退供 T恤 5件 单价 20', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件', unitPrice: 2000 })] }],
  ['退供 可乐 2箱', { intent: 'supplierReturn', items: [known('可乐', 48, { unit: '箱', writtenQuantity: '2箱' })] }],
  ['退供 T恤 5件 从 总仓', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件' })], location: '总仓' }],
  ['前天 退厂 T恤 5件', { intent: 'supplierReturn', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
];

describe('customer return', () => {
  it.each(customerReturns)('%s', (text, command) => expectCommand(text, command));
});

describe('supplier return', () => {
  it.each(supplierReturns)('%s', (text, command) => expectCommand(text, command));
});
