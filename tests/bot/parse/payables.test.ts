import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import type { ParseErrorCode } from '../../../src/bot/parse/index.ts';
import { expectCommand, parse, period } from './fixtures.ts';

/** 一件代发's terms in 设置, 取消代发, and 应付 with a supplier and a period (NOW is Friday 2026-11-27 in Shanghai). */

const THIS_MONTH = period('2026-10-31T16:00:00Z', '2026-11-30T16:00:00Z', '本月');
const LAST_MONTH = period('2026-09-30T16:00:00Z', '2026-10-31T16:00:00Z', '上月');
const PHONE = { intent: 'setting', key: 'mode', product: 'iPhone 15 手机壳', known: true, value: 'dropship' } as const;

const commands: Array<[string, Command]> = [
  ['设置 手机壳 代发 供应商 老李 进价 6', { ...PHONE, supplier: '老李', cost: 600 }],
  ['设置 手机壳 一件代发 供应商 老李 进价 6.5元', { ...PHONE, supplier: '老李', cost: 650 }],
  ['设置 手机壳 代发 进价 6 供应商 老李', { ...PHONE, supplier: '老李', cost: 600 }],
  ['设置 手机壳 代发 供应商：老李，进价：6', { ...PHONE, supplier: '老李', cost: 600 }],
  ['设置 手机壳 代发 供应商 老李进价6', { ...PHONE, supplier: '老李', cost: 600 }],
  ['设置 手机壳 代发 供应商 老李', { ...PHONE, supplier: '老李' }],
  ['设置 手机壳 代发 成本 6', { ...PHONE, cost: 600 }],
  ['设置 手机壳 模式 代发 供应商 老李 进价 6', { ...PHONE, supplier: '老李', cost: 600 }],
  ['设置 手机壳 代发', PHONE],
  ['设置 数据线 代发 供应商 老李 进价 3', { intent: 'setting', key: 'mode', product: '数据线', known: false, value: 'dropship', supplier: '老李', cost: 300 }],
  ['设置 手机壳 取消代发', { ...PHONE, value: 'normal' }],
  ['设置 手机壳 正常', { ...PHONE, value: 'normal' }],
  ['设置 手机壳 取消预售', { ...PHONE, value: 'normal' }],
  ['应付', { intent: 'payables', period: THIS_MONTH }],
  ['应付 本月', { intent: 'payables', period: THIS_MONTH }],
  ['应付 老李', { intent: 'payables', supplier: '老李', period: THIS_MONTH }],
  ['应付 老李 本月', { intent: 'payables', supplier: '老李', period: THIS_MONTH }],
  ['应付 老李 上月', { intent: 'payables', supplier: '老李', period: LAST_MONTH }],
  ['应付 供应商 老李 上月', { intent: 'payables', supplier: '老李', period: LAST_MONTH }],
  ['应付 老李上月', { intent: 'payables', supplier: '老李', period: LAST_MONTH }],
  ['应付 上月', { intent: 'payables', period: LAST_MONTH }],
  ['应付款 老李 本月多少？', { intent: 'payables', supplier: '老李', period: THIS_MONTH }],
  ['应付账款 老李', { intent: 'payables', supplier: '老李', period: THIS_MONTH }],
  ['应付 老李 最近7天', { intent: 'payables', supplier: '老李', period: period('2026-11-20T16:00:00Z', '2026-11-27T16:00:00Z', '最近7天') }],
  ['应付 老李 11月1日到11月20日', { intent: 'payables', supplier: '老李', period: period('2026-10-31T16:00:00Z', '2026-11-20T16:00:00Z', '11月1日到11月20日') }],
];

describe('dropship settings and 应付', () => {
  it.each(commands)('%s', (text, command) => expectCommand(text, command));
});

// A verb run into a sentence is talk.
const chatter = ['应付不过来了', '应付一下就行了', '应付老板检查'];

const refusals: Array<[string, ParseErrorCode]> = [
  ['设置 手机壳 代发 进价 abc', 'BAD_SETTING'],
  ['设置 手机壳 代发 进价 -6', 'BAD_PRICE'],
  ['设置 手机壳 代发 进价 6.555', 'BAD_PRICE'],
  ['设置 手机壳 代发 供应商', 'BAD_SETTING'],
  ['设置 手机壳 代发 明天发货', 'BAD_SETTING'],
  ['设置 手机壳 代发 进价 6 进价 7', 'BAD_SETTING'],
  ['设置 手机壳 预售 供应商 老李', 'BAD_SETTING'],
  ['设置 手机壳 正常 供应商 老李', 'BAD_SETTING'],
  ['应付 老李 13月', 'BAD_PERIOD'],
  ['应付 老李 好不好', 'BAD_PERIOD'],
  [`应付 ${'李'.repeat(31)}`, 'TOO_LONG'],
];

describe('what is not a dropship setting or 应付', () => {
  it.each(chatter)('%j is chatter', (text) => expect(parse(text)).toStrictEqual({ kind: 'none' }));

  it.each(refusals)('%s → %s, with an example that parses', (text, code) => {
    const result = parse(text);
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.code).toBe(code);
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
    expect(result.example).toBeDefined();
    expect(parse(result.example ?? '').kind).toBe('command');
  });
});
