import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { buildCatalogue } from '../../../src/bot/parse/index.ts';
import { ctx, expectCommand, known, parse, unknown } from './fixtures.ts';

/** Compound and fractional quantities, built-in units, prices per the unit written, discounts and extras. */

const shop = buildCatalogue([
  ...ctx.catalogue.products,
  { name: '核桃', aliases: [], unit: '斤', units: {} },
  { name: '雪碧', aliases: [], unit: '瓶', units: { 箱: 24 } },
  { name: '鸡蛋', aliases: [], unit: '个', units: {} },
]);
const over = { catalogue: shop };

const cases: Array<[string, Command]> = [
  ['进货 核桃 1斤2两 单价 30', { intent: 'purchase', items: [known('核桃', 1.2, { unit: '斤', unitPrice: 3000, writtenQuantity: '1斤2两' })] }],
  ['进货 核桃 1斤 2两', { intent: 'purchase', items: [known('核桃', 1.2, { unit: '斤', writtenQuantity: '1斤2两' })] }],
  ['进货 雪碧 3箱6瓶 单价 2', { intent: 'purchase', items: [known('雪碧', 78, { unit: '瓶', unitPrice: 200, writtenQuantity: '3箱6瓶' })] }],
  ['出货 雪碧 半箱', { intent: 'sale', items: [known('雪碧', 12, { unit: '箱', writtenQuantity: '半箱' })] }],
  ['出货 雪碧 一箱半', { intent: 'sale', items: [known('雪碧', 36, { unit: '箱', writtenQuantity: '一箱半' })] }],
  ['出货 雪碧 1.5箱', { intent: 'sale', items: [known('雪碧', 36, { unit: '箱', writtenQuantity: '1.5箱' })] }],
  ['出货 核桃 半斤', { intent: 'sale', items: [known('核桃', 0.5, { unit: '斤' })] }],
  ['出货 核桃 0.5kg', { intent: 'sale', items: [known('核桃', 1, { unit: 'kg', writtenQuantity: '0.5kg' })] }],
  ['出货 核桃 500g', { intent: 'sale', items: [known('核桃', 1, { unit: 'g', writtenQuantity: '500g' })] }],
  ['出货 核桃 一斤二两', { intent: 'sale', items: [known('核桃', 1.2, { unit: '斤', writtenQuantity: '一斤二两' })] }],
  ['出货 鸡蛋 2打', { intent: 'sale', items: [known('鸡蛋', 24, { unit: '打', writtenQuantity: '2打' })] }],
  ['出货 鸡蛋 半打', { intent: 'sale', items: [known('鸡蛋', 6, { unit: '打', writtenQuantity: '半打' })] }],
  // A price belongs to the unit it was written with.
  ['进货 雪碧 3箱 每箱48', { intent: 'purchase', items: [known('雪碧', 72, { unit: '箱', unitPrice: 200, writtenQuantity: '3箱', writtenPrice: { cents: 4800, unit: '箱', total: false }, priceSure: true })] }],
  ['进货 雪碧 3箱 每瓶2', { intent: 'purchase', items: [known('雪碧', 72, { unit: '箱', unitPrice: 200, writtenQuantity: '3箱', priceSure: true })] }],
  ['卖了 核桃 500g 16', { intent: 'sale', items: [known('核桃', 1, { unit: 'g', unitPrice: 800000, writtenQuantity: '500g', writtenPrice: { cents: 1600, unit: 'g', total: false } })] }],
  // A new product keeps the unit written; weight parts still add up.
  ['进货 松子 1斤2两 单价 40', { intent: 'purchase', items: [unknown('松子', 1.2, { unit: '斤', unitPrice: 4000 })] }],
  // Discounts and extras are never a second price.
  ['卖了 T恤 3件 打8折', { intent: 'sale', items: [known('T恤', 3, { unit: '件', rate: 80 })] }],
  ['卖了 T恤 3件 59 8折', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900, rate: 80 })] }],
  ['卖了 T恤 3件 59 八五折', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900, rate: 85 })] }],
  ['卖了 T恤 3件 59 优惠5元', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900, discount: 500 })] }],
  ['进货 T恤 50件 20 运费10元', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, freight: 1000 })] }],
  ['进货 T恤 50件 单价20 加运费 10', { intent: 'purchase', items: [known('T恤', 50, { unit: '件', unitPrice: 2000, freight: 1000 })] }],
  ['卖了 T恤 1件 59包邮', { intent: 'sale', items: [known('T恤', 1, { unit: '件', unitPrice: 5900, note: '包邮' })] }],
];

describe('units and charges', () => {
  for (const [text, command] of cases) it(text, () => expectCommand(text, command, over));

  const refused: Array<[string, string]> = [
    ['出货 雪碧 0.3箱', 'FRACTIONAL_QUANTITY'],
    ['出货 T恤 半件', 'FRACTIONAL_QUANTITY'],
    ['出货 核桃 2件', 'UNKNOWN_UNIT'],
    ['出货 T恤 2箱3件', 'UNKNOWN_UNIT'],
    ['进货 汽水 3箱6瓶', 'UNKNOWN_UNIT'],
    ['卖了 T恤 3件 59 10折', 'BAD_PRICE'],
  ];
  for (const [text, code] of refused) {
    it(`${text} → ${code}`, () => {
      const r = parse(text, over);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') expect(r.code).toBe(code);
    });
  }
});
