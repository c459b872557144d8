import { describe, expect, it } from 'vitest';
import type { ParseErrorCode } from '../../../src/bot/parse/index.ts';
import { parse } from './fixtures.ts';

// Chatter in a shop group: must be ignored silently. A command starts with a verb, after an
// optional date word or @mention; a verb run into an ordinary sentence is chatter too.
const chatter = [
  '你好',
  '今天天气不错',
  '谁进货了吗？',
  '到货了吗',
  '发货了没',
  '卖了好多啊',
  '今天进货了吗',
  '进货了吗？',
  '老板在吗',
  '哈哈哈',
  '好的收到',
  '收到，谢谢',
  '明天几点开会',
  '这个颜色好看',
  '查一下快递',
  '查看一下订单',
  '库存不够了',
  '我们还有多少',
  '你的还剩多少',
  '改天再说',
  '改一下吧',
  '撤回了吗',
  '利润太低了',
  '销量不错啊',
  '设置好了吗',
  '说明一下',
  '帮助一下他',
  '别名叫什么',
  '盘点完了吗',
  '调拨的事明天说',
  '退货的那个客户呢',
  '50件',
  '👍👍',
  "'; DROP TABLE items; --",
  "SELECT * FROM stock WHERE 1=1",
  '<script>alert(1)</script>',
  '/foo',
  '/help@otherbot',
  '@小王',
  '',
  '   ',
  '\u200B\u200B',
  '\u0000\u0001\u0002',
  'ok',
  '好',
  '天猫仓到了吗',
];

// Commands that cannot be recorded as written: a refusal with the right code.
const refusals: Array<[string, ParseErrorCode]> = [
  ['进货 T恤', 'MISSING_QUANTITY'],
  ['进货 T恤 单价 20', 'MISSING_QUANTITY'],
  ['进货 卫衣', 'MISSING_QUANTITY'],
  ['出货 T恤 件', 'MISSING_QUANTITY'],
  ['进货', 'MISSING_PRODUCT'],
  ['进货 50件', 'MISSING_PRODUCT'],
  ['进货 单价 20', 'MISSING_PRODUCT'],
  ['进货 T恤 0件', 'ZERO_QUANTITY'],
  ['进货 T恤 -5件', 'ZERO_QUANTITY'],
  ['盘点 T恤 -1', 'ZERO_QUANTITY'],
  ['改 #12 数量 0', 'ZERO_QUANTITY'],
  ['进货 T恤 2000000000件', 'TOO_LARGE'],
  ['进货 T恤 5件 单价 2000000000', 'TOO_LARGE'],
  ['进货 T恤 5件 共 99999999999', 'TOO_LARGE'],
  ['进货 可乐 50000000箱', 'TOO_LARGE'],
  ['进货 T恤 2.5件', 'FRACTIONAL_QUANTITY'],
  ['出货 T恤 1.5', 'FRACTIONAL_QUANTITY'],
  ['出货 可乐 0.3箱', 'FRACTIONAL_QUANTITY'],
  ['进货 卫衣 2.5', 'FRACTIONAL_QUANTITY'],
  ['进货 T恤 5件 单价 20.555', 'BAD_PRICE'],
  ['进货 T恤 5件 单价 -20', 'BAD_PRICE'],
  ['进货 T恤 5件 共 10.001', 'BAD_PRICE'],
  ['改 #12 单价 0', 'BAD_PRICE'],
  ['改 #12 单价 abc', 'BAD_PRICE'],
  ['设置 T恤 售价 59.999', 'BAD_PRICE'],
  ['进货 T恤 50件 单价 20 单价 25', 'SEVERAL_PRICES'],
  ['进货 T恤 50件 20元 @25', 'SEVERAL_PRICES'],
  ['进货 T恤 50 20 25', 'SEVERAL_PRICES'],
  ['进货 T恤 5件 共 100 合计 120', 'SEVERAL_PRICES'],
  ['进货 T恤 50坨', 'UNKNOWN_UNIT'],
  ['进货 T恤 50坨 单价 20', 'UNKNOWN_UNIT'],
  ['进货 T恤 2箱', 'UNKNOWN_UNIT'],
  ['进货 T恤 3斤', 'UNKNOWN_UNIT'],
  ['进货 苹果 3件', 'UNKNOWN_UNIT'],
  ['明天 进货 T恤 5件', 'FUTURE_DATE'],
  ['进货 T恤 5件 明天', 'FUTURE_DATE'],
  ['12月1日 进货 T恤 5件', 'FUTURE_DATE'],
  ['下午3点 进货 T恤 5件', 'FUTURE_DATE'],
  ['下周一 出货 T恤 5件', 'FUTURE_DATE'],
  ['进货 ' + 'T恤 5件，'.repeat(400), 'TOO_LONG'],
  ['x'.repeat(2001), 'TOO_LONG'],
  ['撤销 #abc', 'BAD_ENTRY_NO'],
  ['撤销 #0', 'BAD_ENTRY_NO'],
  ['撤销#12.5', 'BAD_ENTRY_NO'],
  ['改 数量 4', 'BAD_ENTRY_NO'],
  ['改 #abc 数量 4', 'BAD_ENTRY_NO'],
  ['设置 T恤 颜色 红', 'BAD_SETTING'],
  ['设置', 'BAD_SETTING'],
  ['设置 T恤 预警 abc', 'BAD_SETTING'],
  ['设置 T恤 交期 一周', 'BAD_SETTING'],
  ['设置 T恤 模式 火箭', 'BAD_SETTING'],
  ['设置 可乐 1箱=0瓶', 'BAD_SETTING'],
  ['设置 可乐 1箱=1箱', 'BAD_SETTING'],
  ['设置 日报 25:00', 'BAD_SETTING'],
  ['设置 日报 明天', 'BAD_SETTING'],
  ['别名 T恤', 'BAD_SETTING'],
  ['设置 预警 10', 'MISSING_PRODUCT'],
  ['别名', 'MISSING_PRODUCT'],
  ['设置 时区 Mars/Base', 'BAD_TIMEZONE'],
  ['设置 时区 UTC+99', 'BAD_TIMEZONE'],
  ['利润 好不好', 'BAD_PERIOD'],
  ['销量 13月', 'BAD_PERIOD'],
  ['调拨 T恤 20件', 'MISSING_TARGET'],
  ['改 #12 颜色 红', 'BAD_CORRECTION'],
  ['进货 T恤 5件，出货 短裤 3条', 'SEVERAL_VERBS'],
];

describe('chatter is not a command', () => {
  it.each(chatter)('%j', (text) => expect(parse(text)).toStrictEqual({ kind: 'none' }));
});

describe('refusals', () => {
  it.each(refusals)('%s → %s', (text, code) => {
    const result = parse(text);
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.code).toBe(code);
    // Every refusal says what is wrong in Chinese.
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('gives a corrected example that itself parses', () => {
    for (const [text] of refusals) {
      const result = parse(text);
      if (result.kind !== 'error' || result.example === undefined || result.code === 'TOO_LONG') continue;
      expect(parse(result.example).kind, `${text} → ${result.example}`).toBe('command');
    }
  });

  it('names the product and the problem', () => {
    const result = parse('进货 T恤 2.5件');
    expect(result).toMatchObject({ kind: 'error', code: 'FRACTIONAL_QUANTITY', example: '进货 T恤 50件 单价 20' });
    if (result.kind === 'error') expect(result.message).toContain('T恤');
    expect(parse('进货 T恤 2箱')).toMatchObject({ code: 'UNKNOWN_UNIT', example: '设置 T恤 1箱=24件' });
  });
});
