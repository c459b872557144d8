import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandSchema } from '../../../src/bot/command.ts';
import type { ParseResult } from '../../../src/bot/parse/index.ts';
import { parse } from './fixtures.ts';

const ERROR_CODES = new Set([
  'MISSING_QUANTITY', 'ZERO_QUANTITY', 'TOO_LARGE', 'FRACTIONAL_QUANTITY', 'BAD_PRICE', 'SEVERAL_PRICES',
  'UNKNOWN_UNIT', 'FUTURE_DATE', 'TOO_LONG', 'MISSING_PRODUCT', 'BAD_ENTRY_NO', 'BAD_SETTING', 'BAD_TIMEZONE',
  'BAD_PERIOD', 'MISSING_TARGET', 'BAD_CORRECTION', 'SEVERAL_VERBS', 'HINT_VERB', 'HINT_UNDO', 'AMBIGUOUS_PRODUCT', 'SEVERAL_QUANTITIES',
]);

/** A result is valid when it is one of the four kinds and every command satisfies the contract. */
function assertValid(result: ParseResult): void {
  switch (result.kind) {
    case 'batch':
      expect(result.results.length).toBeGreaterThan(1);
      for (const r of result.results) assertValid(r);
      break;
    case 'command':
      commandSchema.parse(result.command);
      break;
    case 'error':
      expect(ERROR_CODES.has(result.code)).toBe(true);
      expect(result.message.length).toBeGreaterThan(0);
      break;
    case 'none':
      expect(Object.keys(result)).toStrictEqual(['kind']);
      break;
    default:
      throw new Error(`unexpected result ${JSON.stringify(result)}`);
  }
}

const VERBS = [
  '进货', '入库', '采购', '出货', '卖了', '发货', '退货', '客退', '退供', '盘点', '调拨', '查', '查询', '库存',
  '撤销', '改', '日报', '利润', '销量', '畅销', '设置', '别名', '帮助', '?', '/help', '/stock', '@jxcbot 进货',
  '昨天 进货', '明天 出货', '本月利润',
];
const PIECES = [
  'T恤', 'T恤 白色 L', '白T', '可乐', '苹果', '卫衣', ' ', '  ', '5', '50', '0', '-3', '2.5', '2.555', '1,000', '1.5万',
  '99999999999999999999', '五十', '两', '三两', '半', '件', '箱', '斤', 'kg', '匹', '单价', '@', '¥', '每件', '元', '块',
  '毛', '共', '合计', '退款', '数量', 'x', '×', '*', '#', '#12', '=', '1箱=24瓶', '，', ',', ';', '、', '\n', '。',
  '到', '从', '在', '天猫仓', '淘宝', '供应商', '老王', '客户', '昨天', '明天', '3月5日', '上周五', '下午3点',
  '最近7天', '按渠道', '预警', '售价', '交期', '预售', '时区', 'Asia/Shanghai', 'Mars/X', '日报', '21:00', '?', '吗',
  '\u200B', '\u0000', '😀', "'; DROP TABLE t; --", '%s', '\\', '"', '\uD800',
];

const tail = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((parts) => parts.join(''));

describe('parseMessage never throws and always returns a valid result', () => {
  it('on arbitrary Unicode (binary) strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        assertValid(parse(text));
        assertValid(parse(`进货 ${text}`));
      }),
      { numRuns: 3000 },
    );
  });

  it('on verbs followed by random tails of grammar pieces', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), tail, fc.boolean(), (verb, rest, spaced) => {
        assertValid(parse(`${verb}${spaced ? ' ' : ''}${rest}`));
      }),
      { numRuns: 5000 },
    );
  });

  it('on verbs followed by arbitrary strings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), fc.string({ unit: 'grapheme', maxLength: 40 }), (verb, rest) => {
        assertValid(parse(`${verb} ${rest}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('on very long inputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERBS), fc.string({ unit: 'binary', minLength: 1900, maxLength: 2600 }), (verb, rest) => {
        assertValid(parse(`${verb} ${rest}`));
      }),
      { numRuns: 50 },
    );
  });
});
