import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, unknown, utc } from './fixtures.ts';

const cases: Array<[string, Command]> = [
  ['出货 T恤 3 件 单价 59', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900 })] }],
  ['卖了 T恤 3件 59元 淘宝', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900 })], channel: '淘宝' }],
  ['出库 T恤 3', { intent: 'sale', items: [known('T恤', 3)] }],
  ['销售 T恤 3件', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })] }],
  ['卖出 T恤 3件', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })] }],
  ['发货 T恤 3件', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })] }],
  ['售出 T恤 3件', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })] }],
  ['出货 T恤 3 59', { intent: 'sale', items: [known('T恤', 3, { unitPrice: 5900 })] }],
  ['出货 T恤 3件 二十块五', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 2050 })] }],
  ['出货 T恤 3件 三十四块七毛五', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 3475 })] }],
  ['出货 T恤 3件 8毛', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 80 })] }],
  ['出货 T恤 3件 8毛5', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 85 })] }],
  ['出货 T恤 3件 1块2', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 120 })] }],
  ['出货 T恤 3件 20块钱', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 2000 })] }],
  ['出货 T恤 3件 2元5角', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 250 })] }],
  ['出货 T恤 3件 0元', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 0 })] }],
  ['出货 T恤 3件 售价 59', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900 })] }],
  ['出货 T恤 3件 共 177 元', { intent: 'sale', items: [known('T恤', 3, { unit: '件', total: 17700, priceSure: true })] }],
  ['出货 T恤 20元5件', { intent: 'sale', items: [known('T恤', 5, { unit: '件', unitPrice: 2000 })] }],
  ['卖了 T恤 3件 59元淘宝', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900 })], channel: '淘宝' }],
  ['卖了 T恤 3件 天猫', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '天猫' }],
  ['卖了 T恤 3件 京东', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '京东' }],
  ['卖了 T恤 3件 拼多多', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '拼多多' }],
  ['卖了 T恤 3件 抖音', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '抖音' }],
  ['卖了 T恤 3件 快手', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '快手' }],
  ['卖了 T恤 3件 小红书', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '小红书' }],
  ['卖了 T恤 3件 微店', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '微店' }],
  ['卖了 T恤 3件 线下', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '线下' }],
  ['卖了 T恤 3件 淘宝店', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '淘宝' }],
  ['卖了 T恤 3件 渠道 1688', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], channel: '1688' }],
  ['卖了 T恤 3件 客户 张三', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], counterparty: '张三' }],
  ['出货 T恤 3件 从 天猫仓', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], location: '天猫仓' }],
  ['出货 T恤 3件 在 天猫仓', { intent: 'sale', items: [known('T恤', 3, { unit: '件' })], location: '天猫仓' }],
  ['出货 T恤 3件，短裤 2条 抖音 客户 李四', { intent: 'sale', items: [known('T恤', 3, { unit: '件' }), known('短裤', 2, { unit: '条' })], channel: '抖音', counterparty: '李四' }],
  ['出货 可乐 1箱', { intent: 'sale', items: [known('可乐', 24, { unit: '箱', writtenQuantity: '1箱' })] }],
  ['出货 苹果 2.5', { intent: 'sale', items: [known('苹果', 2.5)] }],
  ['出货 苹果 1斤半 单价 6', { intent: 'sale', items: [known('苹果', 1.5, { unit: '斤', unitPrice: 600 })] }],
  ['卖了 裤子 2条', { intent: 'sale', items: [known('短裤', 2, { unit: '条' })] }],
  ['卖了 T血 2件', { intent: 'sale', items: [unknown('T血', 2, { unit: '件' })] }],
  ['昨天 卖了 T恤 3件 59元 淘宝', { intent: 'sale', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 3, { unit: '件', unitPrice: 5900 })], channel: '淘宝' }],
  ['卖了 T恤 3件 上周五', { intent: 'sale', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 3, { unit: '件' })] }],
];

describe('sale', () => {
  it.each(cases)('%s', (text, command) => expectCommand(text, command));
});
