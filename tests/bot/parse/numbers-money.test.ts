import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/bot/parse/money.ts';
import { parseChineseInteger, parseNumber } from '../../../src/bot/parse/numbers.ts';

describe('numbers', () => {
  it.each([
    ['五十', 50], ['两百', 200], ['一百二十', 120], ['三千零五', 3005], ['十五', 15], ['十', 10],
    ['一百五', 150], ['两千三', 2300], ['一万五', 15000], ['一万两千', 12000], ['零', 0], ['一亿', 1e8],
    ['贰拾', 20], ['一百零五', 105],
  ])('parseChineseInteger(%s) = %d', (text, value) => expect(parseChineseInteger(text)).toBe(value));

  it.each(['三二', '十十', '百', '万', '一百十'])('parseChineseInteger(%s) is not a number', (text) => {
    expect(parseChineseInteger(text)).toBeUndefined();
  });

  it.each([
    ['50', 50], ['2.5', 2.5], ['1,000', 1000], ['1.5万', 15000], ['3千', 3000], ['一点五', 1.5], ['半', 0.5], ['50', 50],
  ])('parseNumber(%s) = %d', (text, value) => expect(parseNumber(text)).toBe(value));
});

describe('money', () => {
  it.each([
    ['20', 2000], ['20元', 2000], ['¥20', 2000], ['20.5', 2050], ['20.05元', 2005], ['二十块五', 2050],
    ['三十四块七毛五', 3475], ['8毛', 80], ['8毛5', 85], ['5角', 50], ['1块25', 125], ['两块', 200],
    ['20块钱', 2000], ['1.5万', 1500000], ['0', 0], ['一百', 10000],
  ])('parseMoney(%s) = %d 分', (text, cents) => expect(parseMoney(text)).toStrictEqual({ ok: true, cents }));

  it.each(['20.555', '-5', '负5', '0.001'])('refuses %s as BAD_PRICE', (text) => {
    expect(parseMoney(text)).toStrictEqual({ ok: false, code: 'BAD_PRICE' });
  });

  it('refuses more than 10 亿元 as TOO_LARGE', () => {
    expect(parseMoney('2000000000')).toStrictEqual({ ok: false, code: 'TOO_LARGE' });
  });

  it('is not money when other words follow', () => {
    expect(parseMoney('20 件')).toBeUndefined();
    expect(parseMoney('abc')).toBeUndefined();
  });
});
