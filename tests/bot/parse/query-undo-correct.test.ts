import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand } from './fixtures.ts';

const queries: Array<[string, Command]> = [
  ['查 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查询 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查看 短裤', { intent: 'query', product: '短裤', known: true }],
  ['查T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查一下T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查 白T', { intent: 'query', product: 'T恤', known: true }],
  ['查 T恤 白色 L', { intent: 'query', product: 'T恤 白色 L', known: true }],
  ['查 T恤?', { intent: 'query', product: 'T恤', known: true }],
  ['查 T恤 库存', { intent: 'query', product: 'T恤', known: true }],
  ['查 卫衣', { intent: 'query', product: '卫衣', known: false }],
  ['库存', { intent: 'query' }],
  ['库存 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查 库存', { intent: 'query' }],
  ['查 全部', { intent: 'query' }],
  ['T恤 还有多少', { intent: 'query', product: 'T恤', known: true }],
  ['T恤还有多少？', { intent: 'query', product: 'T恤', known: true }],
  ['短裤 还剩多少', { intent: 'query', product: '短裤', known: true }],
  ['可乐 还有多少瓶', { intent: 'query', product: '可乐', known: true }],
  ['卫衣 还有多少', { intent: 'query', product: '卫衣', known: false }],
  ['还有多少', { intent: 'query' }],
  ['还有多少 T恤', { intent: 'query', product: 'T恤', known: true }],
  ['查 缺货', { intent: 'query', filter: 'shortage' }],
  ['查 缺货?', { intent: 'query', filter: 'shortage' }],
  ['查 低库存', { intent: 'query', filter: 'shortage' }],
  ['查 积压', { intent: 'query', filter: 'overstock' }],
  ['查 库存积压', { intent: 'query', filter: 'overstock' }],
];

const undos: Array<[string, Command]> = [
  ['撤销', { intent: 'undo' }],
  ['撤回', { intent: 'undo' }],
  ['撤销 #123', { intent: 'undo', entryNo: 123 }],
  ['撤销#123', { intent: 'undo', entryNo: 123 }],
  ['撤销 123', { intent: 'undo', entryNo: 123 }],
  ['撤回 # 45', { intent: 'undo', entryNo: 45 }],
  ['撤销 上一条', { intent: 'undo' }],
  ['撤销 刚才的', { intent: 'undo' }],
];

const corrections: Array<[string, Command]> = [
  ['改 #123 数量 4', { intent: 'correct', entryNo: 123, field: 'quantity', value: 4 }],
  ['改 #123 单价 25', { intent: 'correct', entryNo: 123, field: 'unitPrice', value: 2500 }],
  ['改#123 数量4', { intent: 'correct', entryNo: 123, field: 'quantity', value: 4 }],
  ['改 #123 单价 25.5', { intent: 'correct', entryNo: 123, field: 'unitPrice', value: 2550 }],
  ['改 #123 单价 二十块五', { intent: 'correct', entryNo: 123, field: 'unitPrice', value: 2050 }],
  ['改 #123 价格 ¥30', { intent: 'correct', entryNo: 123, field: 'unitPrice', value: 3000 }],
  ['修改 #12 数量为 5', { intent: 'correct', entryNo: 12, field: 'quantity', value: 5 }],
  ['更正 #12 数量 改成 5件', { intent: 'correct', entryNo: 12, field: 'quantity', value: 5 }],
  ['改 #7 数量 2.5', { intent: 'correct', entryNo: 7, field: 'quantity', value: 2.5 }],
  ['改 #7 数量 五十', { intent: 'correct', entryNo: 7, field: 'quantity', value: 50 }],
  ['改 123 单价 8毛', { intent: 'correct', entryNo: 123, field: 'unitPrice', value: 80 }],
];

describe('query', () => {
  it.each(queries)('%s', (text, command) => expectCommand(text, command));
});

describe('undo', () => {
  it.each(undos)('%s', (text, command) => expectCommand(text, command));
});

describe('correct', () => {
  it.each(corrections)('%s', (text, command) => expectCommand(text, command));
});
