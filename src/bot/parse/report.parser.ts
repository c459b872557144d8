import type { Command } from '../command.ts';
import { parseError } from './errors.ts';
import { parsePeriod } from './period.ts';
import { isWordChar } from './text.ts';
import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS } from './verbs.ts';

/**
 * Reports: `日报`, `利润 本月`, `销量 上周`, `畅销 最近7天`, `销量 本月 按渠道`, and with the
 * period first as people also say it: `本月利润`, `上周销量`. Without a period:
 * 日报/报表 → 今天, 周报 → 本周, 月报 → 本月, 利润/销量 → 本月, 畅销/滞销 → 最近30天.
 */

type Kind = Extract<Command, { intent: 'report' }>['kind'];

const KIND: Readonly<Record<string, Kind>> = {
  日报: 'daily', 报表: 'daily', 周报: 'daily', 月报: 'daily',
  销量: 'sales', 销售额: 'sales', 利润: 'profit', 毛利: 'profit', 畅销: 'top', 滞销: 'slow',
};

const DEFAULT_PERIOD: Readonly<Record<string, string>> = {
  日报: '今天', 报表: '今天', 周报: '本周', 月报: '本月',
  销量: '本月', 销售额: '本月', 利润: '本月', 毛利: '本月', 畅销: '最近30天', 滞销: '最近30天',
};

const PERIOD_FIRST =
  '今天|今日|昨天|前天|本周|这周|上周|本月|这个月|上个月|上月|今年|去年|(?:最近|近|过去)(?:\\d{1,4}|[一二两三四五六七八九十]{1,3})?个?(?:天|周|月)|(?:去年|今年)?\\d{1,2}月份?';
const VERBS = [...INTENT_VERBS.report].sort((a, b) => b.length - a.length).join('|');
const PATTERN = new RegExp(`^(?:(?<period>${PERIOD_FIRST})\\s*的?\\s*)?(?<verb>${VERBS})(?:榜|排行榜?|报告|统计|情况|汇总)?`);
const HINT = new RegExp(`^(?:${PERIOD_FIRST})\\s*的?\\s*(?:${VERBS})`);
const BY_CHANNEL = /\s*(?:按|分)(?:渠道|平台)(?:看|分)?\s*/;

/** See the module comment. */
export const reportParser: IntentParser = {
  intent: 'report',
  verbs: INTENT_VERBS.report,
  hint: HINT,
  pattern: () => PATTERN,
  extract(input, match) {
    const verb = match.groups?.['verb'] ?? '';
    const kind = KIND[verb];
    if (kind === undefined) return null;
    const after = input.body.slice(match[0].length);
    let rest = after;
    let byChannel = false;
    if (BY_CHANNEL.test(rest)) {
      byChannel = true;
      rest = rest.replace(BY_CHANNEL, ' ');
    }
    rest = rest.trim().replace(/[?!.]+$/, '');
    const written = rest.length > 0 ? rest : (match.groups?.['period'] ?? input.leadingDate?.trim());
    const text = written ?? DEFAULT_PERIOD[verb] ?? '今天';
    const period = parsePeriod(text, input.ctx.now, input.ctx.timeZone);
    if (period === undefined) {
      if (isWordChar(after[0]) && !byChannel) return null; // 利润太低了: chatter
      return parseError('BAD_PERIOD', `看不懂时间段「${text}」。可以写 今天、昨天、本周、上周、本月、上个月、最近7天、11月1日到11月20日。`, `${verb} 本月`);
    }
    const command: Command = { intent: 'report', kind, period };
    if (byChannel) command.byChannel = true;
    return commandResult(command);
  },
};
