import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/bot/help.ts';
import { buildCatalogue, suggestProducts } from '../../../src/bot/parse/index.ts';
import { catalogue, parse } from './fixtures.ts';

describe('suggestProducts', () => {
  it('finds by initials', () => expect(suggestProducts('tx', catalogue)[0]).toBe('T恤'));
  it('finds by sound when a character is wrong', () => expect(suggestProducts('T血', catalogue)[0]).toBe('T恤'));
  it('finds by characters', () => expect(suggestProducts('短库', catalogue)[0]).toBe('短裤'));
  it('finds by pinyin prefix', () => expect(suggestProducts('duanku', catalogue)[0]).toBe('短裤'));
  it('finds through aliases, returning the canonical name', () => expect(suggestProducts('可口可', catalogue)).toContain('可乐'));
  it('respects max and returns distinct names', () => {
    const s = suggestProducts('T恤', catalogue, 2);
    expect(s.length).toBeLessThanOrEqual(2);
    expect(new Set(s).size).toBe(s.length);
  });
  it('returns nothing for unrelated names', () => expect(suggestProducts('挖掘机', catalogue)).toStrictEqual([]));
  it('works on an empty catalogue', () => expect(suggestProducts('T恤', buildCatalogue([]))).toStrictEqual([]));
});

describe('helpText', () => {
  it('lists every intent without a topic', () => {
    const text = helpText();
    for (const word of ['进货', '出货', '退货', '退供', '盘点', '调拨', '查', '撤销', '改', '日报', '设置', '别名', '帮助']) {
      expect(text).toContain(word);
    }
  });

  it('details one intent for a topic word or intent name', () => {
    expect(helpText('进货')).toContain('采购 T恤 x50 @20 供应商 老王');
    expect(helpText('purchase')).toBe(helpText('进货'));
    expect(helpText('撤销')).toContain('撤销 #123');
    expect(helpText('报表')).toContain('最近30天');
  });

  it('falls back to the general list for an unknown topic', () => expect(helpText('火箭')).toBe(helpText()));

  it('only teaches messages that parse as commands', () => {
    const lines = [helpText(), ...['purchase', 'sale', 'customerReturn', 'supplierReturn', 'stocktake', 'transfer', 'query', 'undo', 'correct', 'report', 'setting', 'alias', 'help'].map((t) => helpText(t))]
      .join('\n')
      .split('\n');
    const examples = lines
      .map((l) => /^ {2}(.+)$/.exec(l)?.[1] ?? /^• [^：]+：(.+?) {2}—/.exec(l)?.[1])
      .filter((e): e is string => e !== undefined);
    expect(examples.length).toBeGreaterThan(25);
    for (const e of examples) expect(parse(e).kind, e).toBe('command');
  });
});
