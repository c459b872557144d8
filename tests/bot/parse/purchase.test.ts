import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, unknown, utc } from './fixtures.ts';

const cases: Array<[string, Command]> = [
  // The product examples.
  ['进货 T恤 50 件 单价 20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['入库 T恤 50件 20元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['采购 T恤 x50 @20 供应商 老王', { intent: 'purchase', items: [known('T恤', 50, { unitPrice: 2000 })], counterparty: '老王' }],
  ['进货 T恤 50 件 共 1000 元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', total: 100000, priceSure: true })] }],
  ['昨天 进货 T恤 五十件 单价二十', { intent: 'purchase', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  // Every verb.
  ['到货 T恤 10件', { intent: 'purchase', items: [known('T恤', 10, { unit: '件' })] }],
  ['补货 T恤 10件', { intent: 'purchase', items: [known('T恤', 10, { unit: '件' })] }],
  ['买入 T恤 10件', { intent: 'purchase', items: [known('T恤', 10, { unit: '件' })] }],
  ['进货了 T恤 10件', { intent: 'purchase', items: [known('T恤', 10, { unit: '件' })] }],
  // Quantity forms.
  ['进货 T恤 ×50', { intent: 'purchase', items: [known('T恤', 50)] }],
  ['进货 T恤 *50', { intent: 'purchase', items: [known('T恤', 50)] }],
  ['进货 T恤 X50', { intent: 'purchase', items: [known('T恤', 50)] }],
  ['进货 T恤 数量 50', { intent: 'purchase', items: [known('T恤', 50)] }],
  ['进货 T恤 数量:50 单价:20', { intent: 'purchase', items: [known('T恤', 50, { unitPrice: 2000 })] }],
  ['进货 T恤 ５０件 单价 ２０', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 两百件', { intent: 'purchase', items: [known('T恤', 200, { unit: '件' })] }],
  ['进货 T恤 一百二十件', { intent: 'purchase', items: [known('T恤', 120, { unit: '件' })] }],
  ['进货 T恤 三千零五件', { intent: 'purchase', items: [known('T恤', 3005, { unit: '件' })] }],
  ['进货 T恤 1.5万件', { intent: 'purchase', items: [known('T恤', 15000, { unit: '件' })] }],
  ['进货 T恤 1,000件 单价 20', { intent: 'purchase', items: [known('T恤', 1000, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 一千二 件', { intent: 'purchase', items: [known('T恤', 1200, { unit: '件' })] }],
  ['进货 50件 T恤', { intent: 'purchase', items: [known('T恤', 50, { unit: '件' })] }],
  ['进货 T恤 50 20', { intent: 'purchase', items: [known('T恤', 50, { unitPrice: 2000 })] }],
  // Glued, case and width.
  ['进货T恤50件单价20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 t恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['进货 Ｔ恤 ５件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['进货 T恤 五十件单价二十', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  // Prices.
  ['进货 T恤 50件 单价 20.5', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2050 })] }],
  ['进货 T恤 50件 ¥20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 50件 单价:¥20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 50件 每件 20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, priceSure: true })] }],
  ['进货 T恤 50件 每个20元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, priceSure: true })] }],
  ['进货 T恤 50件 20元/件', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, priceSure: true })] }],
  ['进货 T恤 50件 20块', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 50件 进价 19.9', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 1990 })] }],
  ['进货 T恤 50件 成本 20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 50件 共1000', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', total: 100000, priceSure: true })] }],
  ['进货 T恤 50件 合计 1000.5', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', total: 100050, priceSure: true })] }],
  ['进货 T恤 50件 总价 ¥1,000', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', total: 100000, priceSure: true })] }],
  ['进货 T恤 共50件 共1000元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', total: 100000, priceSure: true })] }],
  ['进货 T恤 50件 单价 20 共 1000', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, total: 100000, priceSure: true })] }],
  ['进货 T恤 50件 1.5万', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 1500000 })] }],
  // Names: variants, aliases, unknown.
  ['进货 T恤 白色 L 5件', { intent: 'purchase', items: [known('T恤 白色 L', 5, { unit: '件' })] }],
  ['进货 T恤白色L 5件', { intent: 'purchase', items: [known('T恤 白色 L', 5, { unit: '件' })] }],
  ['进货 白L 5件', { intent: 'purchase', items: [known('T恤 白色 L', 5, { unit: '件' })] }],
  ['进货 白T 3件', { intent: 'purchase', items: [known('T恤', 3, { unit: '件' })] }],
  ['进货 TSHIRT 3件', { intent: 'purchase', items: [known('T恤', 3, { unit: '件' })] }],
  ['进货 T恤 黑色 5件', { intent: 'purchase', items: [unknown('T恤 黑色', 5, { unit: '件' })] }],
  ['进货 卫衣 黑色 20件 单价 80', { intent: 'purchase', items: [unknown('卫衣 黑色', 20, { unit: '件', unitPrice: 8000 })] }],
  ['进货 2代充电器 5个', { intent: 'purchase', items: [unknown('2代充电器', 5, { unit: '个' })] }],
  ['进货 TS-001 5件', { intent: 'purchase', items: [unknown('TS-001', 5, { unit: '件' })] }],
  ['进货 七分裤 3条', { intent: 'purchase', items: [unknown('七分裤', 3, { unit: '条' })] }],
  ['进货 可乐 500ml 3瓶', { intent: 'purchase', items: [known('可乐 500ml', 3, { unit: '瓶' })] }],
  ['进货 iPhone 15 手机壳 10个', { intent: 'purchase', items: [known('iPhone 15 手机壳', 10, { unit: '个' })] }],
  ['进货 iphone15手机壳 10个', { intent: 'purchase', items: [known('iPhone 15 手机壳', 10, { unit: '个' })] }],
  // Units and conversions.
  ['进货 可乐 2箱', { intent: 'purchase', items: [known('可乐', 48, { unit: '箱', writtenQuantity: '2箱' })] }],
  ['进货 可乐 2箱 单价 48', { intent: 'purchase', items: [known('可乐', 48, { unit: '箱', unitPrice: 200, writtenQuantity: '2箱', writtenPrice: { cents: 4800, unit: '箱', total: false } })] }],
  ['进货 可乐 2箱 每箱 50', { intent: 'purchase', items: [known('可乐', 48, { unit: '箱', total: 10000, writtenQuantity: '2箱', writtenPrice: { cents: 5000, unit: '箱', total: false }, priceSure: true })] }],
  ['进货 可乐 48瓶 每瓶 2', { intent: 'purchase', items: [known('可乐', 48, { unit: '瓶', unitPrice: 200, priceSure: true })] }],
  ['进货 可乐 500ml 2箱', { intent: 'purchase', items: [known('可乐 500ml', 24, { unit: '箱', writtenQuantity: '2箱' })] }],
  ['进货 袜子 3包', { intent: 'purchase', items: [known('袜子', 15, { unit: '包', writtenQuantity: '3包' })] }],
  ['进货 T恤 10个', { intent: 'purchase', items: [known('T恤', 10, { unit: '个' })] }],
  ['进货 苹果 50斤 单价 3.5', { intent: 'purchase', items: [known('苹果', 50, { unit: '斤', unitPrice: 350 })] }],
  ['买入 苹果 1.5公斤 单价 10', { intent: 'purchase', items: [known('苹果', 3, { unit: '公斤', unitPrice: 500, writtenQuantity: '1.5公斤', writtenPrice: { cents: 1000, unit: '公斤', total: false } })] }],
  ['进货 苹果 2kg', { intent: 'purchase', items: [known('苹果', 4, { unit: 'kg', writtenQuantity: '2kg' })] }],
  ['进货 苹果 300克', { intent: 'purchase', items: [known('苹果', 0.6, { unit: '克', writtenQuantity: '300克' })] }],
  ['进货 苹果 三两', { intent: 'purchase', items: [known('苹果', 0.3, { unit: '两', writtenQuantity: '三两' })] }],
  ['进货 苹果 两斤半', { intent: 'purchase', items: [known('苹果', 2.5, { unit: '斤' })] }],
  ['进货 苹果 半斤', { intent: 'purchase', items: [known('苹果', 0.5, { unit: '斤' })] }],
  ['进货 苹果 12.5', { intent: 'purchase', items: [known('苹果', 12.5)] }],
  ['进货 布料 3.5米', { intent: 'purchase', items: [known('布料', 3.5, { unit: '米' })] }],
  ['进货 卫衣 2件', { intent: 'purchase', items: [unknown('卫衣', 2, { unit: '件' })] }],
  // Several items and message-wide fields.
  ['进货 T恤 50件 20元，短裤 30条 15元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 }), known('短裤', 30, { unit: '条', unitPrice: 1500 })] }],
  ['进货 T恤 5件；短裤 3条、可乐 1箱', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' }), known('短裤', 3, { unit: '条' }), known('可乐', 24, { unit: '箱', writtenQuantity: '1箱' })] }],
  ['进货 T恤 5件, 短裤 3条 供应商 老王', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' }), known('短裤', 3, { unit: '条' })], counterparty: '老王' }],
  ['进货\nT恤 50件 20元\n短裤 30条 15元\n供应商 老王', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 }), known('短裤', 30, { unit: '条', unitPrice: 1500 })], counterparty: '老王' }],
  ['进货 T恤 5件\n进货 短裤 3条', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' }), known('短裤', 3, { unit: '条' })] }],
  ['进货 T恤 50件，单价 20', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000 })] }],
  ['进货 T恤 5件，供应商 老王', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })], counterparty: '老王' }],
  ['进货 T恤 5件 供应商:老王', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })], counterparty: '老王' }],
  ['进货 T恤 5件 厂家 广州服装厂', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })], counterparty: '广州服装厂' }],
  ['进货 T恤 5件 到 二号仓', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })], location: '二号仓' }],
  ['进货 T恤 5件 在 天猫仓', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })], location: '天猫仓' }],
  // Dates before, after, at the end; with times.
  ['进货 T恤 5件 昨天', { intent: 'purchase', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['进货 昨天 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['昨天进货T恤5件', { intent: 'purchase', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['前天 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['大前天 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-24T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['今天 进货 T恤 5件', { intent: 'purchase', items: [known('T恤', 5, { unit: '件' })] }],
  ['上周五 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['周三 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['3月5日 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-03-05T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['11月20号 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['2026-11-20 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['2026/11/20 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-20T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['3天前 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-24T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['前天下午3点 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-25T07:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['昨天15:30 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-26T07:30:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['上午10点 进货 T恤 5件', { intent: 'purchase', occurredAt: utc('2026-11-27T02:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
  ['进货 T恤 5件 昨天晚上8点半', { intent: 'purchase', occurredAt: utc('2026-11-26T12:30:00.000Z'), items: [known('T恤', 5, { unit: '件' })] }],
];

describe('purchase', () => {
  it.each(cases)('%s', (text, command) => expectCommand(text, command));

  it('computes dates in the shop zone, not the machine zone', () => {
    // 2026-11-27T17:00Z is already Saturday 01:00 in Shanghai: 昨天 is Friday the 27th.
    expectCommand(
      '昨天 进货 T恤 5件',
      { intent: 'purchase', occurredAt: utc('2026-11-27T04:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] },
      { now: utc('2026-11-27T17:00:00Z') },
    );
    // In New York the same instant is still Friday noon: 昨天 is Thursday 12:00 EST (UTC-5).
    expectCommand(
      '昨天 进货 T恤 5件',
      { intent: 'purchase', occurredAt: utc('2026-11-26T17:00:00.000Z'), items: [known('T恤', 5, { unit: '件' })] },
      { now: utc('2026-11-27T17:00:00Z'), timeZone: 'America/New_York' },
    );
  });
});
