import { describe, expect, it } from 'vitest';
import { maskCost } from '../../src/bot/mask-cost.ts';

describe('maskCost', () => {
  it.each([
    ['进货 T恤 50 件 单价 123.45', '进货 T恤 50 件 单价 **'],
    ['入库 T恤 50件 20元', '入库 T恤 50件 **元'],
    ['采购 T恤 x50 @20 供应商 老王', '采购 T恤 x50 @** 供应商 老王'],
    ['进货 T恤 50 件 共 1000 元', '进货 T恤 50 件 共 ** 元'],
    ['昨天 进货 T恤 五十件 单价二十', '昨天 进货 T恤 五十件 单价**'],
    ['进货 十三香 三十四块七毛五 10包', '进货 十三香 **块**毛** 10包'],
    ['进货 可乐 3箱 ¥120，短裤 30条 15元', '进货 可乐 3箱 ¥**，短裤 30条 **元'],
    ['3月5日 进货 T恤 1.5万件 单价20/件', '3月5日 进货 T恤 1.5万件 单价**/件'],
    ['进货 T恤 50 20', '进货 T恤 ** **'],
    ['进货 T恤 50件 1,000元', '进货 T恤 50件 **,**元'],
    ['撤销 #12', '撤销 #12'],
  ])('%s → %s', (text, masked) => {
    expect(maskCost(text)).toBe(masked);
  });

  it('leaves no price of a purchase line readable, however it is written', () => {
    const forms = [(p: string) => `单价 ${p}`, (p: string) => `${p}元`, (p: string) => `@${p}`, (p: string) => `¥${p}`, (p: string) => `共${p}块`, (p: string) => `进价:${p}`, (p: string) => ` ${p}`];
    for (let i = 0; i < 500; i++) {
      const price = `${(i * 7919) % 100000}${i % 3 === 0 ? '' : `.${String(i % 100).padStart(2, '0')}`}`;
      const form = forms[i % forms.length] as (p: string) => string;
      const text = `进货 T恤 白色 ${(i % 9) + 1} 件 ${form(price)}`;
      expect(maskCost(text), text).not.toContain(price);
    }
  });
});
