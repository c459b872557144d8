import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, period, utc } from './fixtures.ts';

// Reference: Friday 2026-11-27 in Asia/Shanghai (UTC+8); local midnight is 16:00Z the day before.
const TODAY = period('2026-11-26T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '今天');
const THIS_MONTH = period('2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', '本月');
const LAST_30 = period('2026-10-28T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '最近30天');

const cases: Array<[string, Command]> = [
  // Defaults per report.
  ['日报', { intent: 'report', kind: 'daily', period: TODAY }],
  ['报表', { intent: 'report', kind: 'daily', period: TODAY }],
  ['周报', { intent: 'report', kind: 'weekly', period: period('2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '本周') }],
  ['月报', { intent: 'report', kind: 'monthly', period: THIS_MONTH }],
  ['利润', { intent: 'report', kind: 'profit', period: THIS_MONTH }],
  ['销量', { intent: 'report', kind: 'sales', period: THIS_MONTH }],
  ['畅销', { intent: 'report', kind: 'top', period: LAST_30 }],
  ['滞销', { intent: 'report', kind: 'slow', period: LAST_30 }],
  ['畅销榜', { intent: 'report', kind: 'top', period: LAST_30 }],
  // Periods after the verb.
  ['利润 本月', { intent: 'report', kind: 'profit', period: THIS_MONTH }],
  ['销量 上周', { intent: 'report', kind: 'sales', period: period('2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z', '上周') }],
  ['畅销 最近7天', { intent: 'report', kind: 'top', period: period('2026-11-20T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '最近7天') }],
  ['销量 本月 按渠道', { intent: 'report', kind: 'sales', period: THIS_MONTH, byChannel: true }],
  ['销量按渠道', { intent: 'report', kind: 'sales', period: THIS_MONTH, byChannel: true }],
  ['利润 上个月', { intent: 'report', kind: 'profit', period: period('2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '上个月') }],
  ['利润 今年', { intent: 'report', kind: 'profit', period: period('2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '今年') }],
  ['利润 去年', { intent: 'report', kind: 'profit', period: period('2024-12-31T16:00:00.000Z', '2025-12-31T16:00:00.000Z', '去年') }],
  ['销量 去年12月', { intent: 'report', kind: 'sales', period: period('2025-11-30T16:00:00.000Z', '2025-12-31T16:00:00.000Z', '去年12月') }],
  ['销量 今年3月', { intent: 'report', kind: 'sales', period: period('2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '今年3月') }],
  ['销量 3月', { intent: 'report', kind: 'sales', period: period('2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '3月') }],
  ['销量 11月1日到11月20日', { intent: 'report', kind: 'sales', period: period('2026-10-31T16:00:00.000Z', '2026-11-20T16:00:00.000Z', '11月1日到11月20日') }],
  ['销量 11月1日到20日', { intent: 'report', kind: 'sales', period: period('2026-10-31T16:00:00.000Z', '2026-11-20T16:00:00.000Z', '11月1日到20日') }],
  ['利润 2026-11-01到2026-11-20', { intent: 'report', kind: 'profit', period: period('2026-10-31T16:00:00.000Z', '2026-11-20T16:00:00.000Z', '2026-11-01到2026-11-20') }],
  ['销量 最近一周', { intent: 'report', kind: 'sales', period: period('2026-11-20T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '最近一周') }],
  ['销量 近30天', { intent: 'report', kind: 'sales', period: period('2026-10-28T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '近30天') }],
  ['滞销 最近一个月', { intent: 'report', kind: 'slow', period: period('2026-10-27T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '最近一个月') }],
  ['销售额 本月', { intent: 'report', kind: 'sales', period: THIS_MONTH }],
  ['毛利 本周', { intent: 'report', kind: 'profit', period: period('2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '本周') }],
  ['日报 昨天', { intent: 'report', kind: 'daily', period: period('2026-11-25T16:00:00.000Z', '2026-11-26T16:00:00.000Z', '昨天') }],
  ['日报 前天', { intent: 'report', kind: 'daily', period: period('2026-11-24T16:00:00.000Z', '2026-11-25T16:00:00.000Z', '前天') }],
  ['销量 上周五', { intent: 'report', kind: 'sales', period: period('2026-11-19T16:00:00.000Z', '2026-11-20T16:00:00.000Z', '上周五') }],
  ['销量 11月20日', { intent: 'report', kind: 'sales', period: period('2026-11-19T16:00:00.000Z', '2026-11-20T16:00:00.000Z', '11月20日') }],
  // Period first, as people also say it.
  ['本月利润', { intent: 'report', kind: 'profit', period: THIS_MONTH }],
  ['上周销量', { intent: 'report', kind: 'sales', period: period('2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z', '上周') }],
  ['今天日报', { intent: 'report', kind: 'daily', period: TODAY }],
  ['昨天 日报', { intent: 'report', kind: 'daily', period: period('2026-11-25T16:00:00.000Z', '2026-11-26T16:00:00.000Z', '昨天') }],
  ['最近7天的畅销', { intent: 'report', kind: 'top', period: period('2026-11-20T16:00:00.000Z', '2026-11-27T16:00:00.000Z', '最近7天') }],
  // As a picture.
  ['日报 图', { intent: 'report', kind: 'daily', period: TODAY, picture: true }],
  ['日报 昨天 图', { intent: 'report', kind: 'daily', period: period('2026-11-25T16:00:00.000Z', '2026-11-26T16:00:00.000Z', '昨天'), picture: true }],
  ['销量 本月 图', { intent: 'report', kind: 'sales', period: THIS_MONTH, picture: true }],
  ['利润 本月 图', { intent: 'report', kind: 'profit', period: THIS_MONTH, picture: true }],
  ['利润 图表', { intent: 'report', kind: 'profit', period: THIS_MONTH, picture: true }],
  ['本月销量 图片', { intent: 'report', kind: 'sales', period: THIS_MONTH, picture: true }],
];

describe('report', () => {
  it.each(cases)('%s', (text, command) => expectCommand(text, command));

  it('uses the shop zone for boundaries (New York, across the DST change in March)', () => {
    expectCommand(
      '销量 本月',
      { intent: 'report', kind: 'sales', period: period('2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z', '本月') },
      { now: utc('2026-03-15T15:00:00Z'), timeZone: 'America/New_York' },
    );
  });
});
