import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { importKindOfCaption, orderPlatformOfCaption } from '../../../src/bot/parse/index.ts';
import { expectCommand, parse, period } from './fixtures.ts';

// Reference: Friday 2026-11-27 in Asia/Shanghai.
const THIS_MONTH = period('2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', '本月');
const LAST_MONTH = period('2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '上月');

const cases: Array<[string, Command]> = [
  ['导出', { intent: 'export', what: 'entries', period: THIS_MONTH }],
  ['导出 本月', { intent: 'export', what: 'entries', period: THIS_MONTH }],
  ['导出 上月', { intent: 'export', what: 'entries', period: LAST_MONTH }],
  ['导出 流水 上月', { intent: 'export', what: 'entries', period: LAST_MONTH }],
  ['导出 利润', { intent: 'export', what: 'entries', period: THIS_MONTH }],
  ['导出 本周', { intent: 'export', what: 'entries', period: period('2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '本周') }],
  ['导出 库存', { intent: 'export', what: 'stock' }],
  ['/导出 库存', { intent: 'export', what: 'stock' }],
  ['@jxcbot 导出 库存', { intent: 'export', what: 'stock' }],
  ['导入', { intent: 'importFile' }],
  ['导入 /home/me/期初库存.xlsx', { intent: 'importFile', path: '/home/me/期初库存.xlsx' }],
  ['确认导入', { intent: 'confirmImport', skipBad: false }],
  ['确认导入 跳过', { intent: 'confirmImport', skipBad: true }],
  ['确认导入跳过', { intent: 'confirmImport', skipBad: true }],
  ['取消', { intent: 'cancelImport' }],
];

describe('file phrases', () => {
  it.each(cases)('%s', (text, command) => expectCommand(text, command));

  it('explains a period it cannot read, with an example', () => {
    expect(parse('导出 明天后天大后天')).toMatchObject({ kind: 'error', code: 'BAD_PERIOD', example: '导出 本月' });
  });

  it.each(['导出来了吗', '取消了', '取消订单', '确认导入了吗', '导入完了没', '确认导入 全部'])('leaves chatter alone: %s', (text) => {
    expect(parse(text)).toEqual({ kind: 'none' });
  });
});

describe('the words sent with a file', () => {
  it.each([
    ['期初库存', 'stock'],
    ['这是上个月的流水', 'entries'],
    ['11月订单', 'orders'],
    ['快手', 'orders'],
    ['淘宝库存', 'stock'],
    ['', undefined],
    [undefined, undefined],
  ] as const)('%s → %s', (caption, kind) => expect(importKindOfCaption(caption)).toBe(kind));

  it.each([
    ['天猫订单', '天猫'],
    ['这是快手小店的', '快手'],
    ['11月订单', undefined],
    [undefined, undefined],
  ] as const)('%s names the platform %s', (caption, platform) => expect(orderPlatformOfCaption(caption)).toBe(platform));
});
