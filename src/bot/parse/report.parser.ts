import type { Command } from '../command.ts';
import { parseError } from './errors.ts';
import { parsePeriod } from './period.ts';
import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * Reports: `日报`, `利润 本月`, `销量 上周`, `畅销 最近7天`, `销量 本月 按渠道`, and with the
 * period first as people also say it: `本月利润`, `上周销量`; `图` at the end asks for a picture
 * (`日报 图`, `销量 本月 图`). Without a period:
 * 日报/报表 → 今天, 周报 → 本周, 月报 → 本月, 利润/销量 → 本月, 畅销/滞销 → 最近30天.
 */

type Kind = Extract<Command, { intent: 'report' }>['kind'];

const KIND: Readonly<Record<string, Kind>> = {
  日报: 'daily', 报表: 'daily', 周报: 'weekly', 月报: 'monthly',
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
// `日报 图`, `销量 本月 图`, `利润 图表`: the answer as a picture.
const PICTURE = /(?:^|\s)(?:图|图片|图表|画图)$/;
// `这个月利润多少`, `本月销量怎么样`: the question words add nothing.
const ASK_TAIL = /(?:(?:是)?(?:多少|怎么样|如何|咋样)(?:钱)?|发一下|发下|发我|来一份|看看|看一下)[?吗呢啊]*$/;

/** See the module comment. */
export const reportParser: IntentParser = wordBoundaryParser({
  intent: 'report',
  verbs: INTENT_VERBS.report,
  hint: HINT,
  pattern: PATTERN,
  // `利润本月` is a report; `利润太低了` is talk: the period decides.
  glued: 'own',
  extract(input, { after, glued }, match) {
    const verb = match.groups?.['verb'] ?? '';
    const kind = KIND[verb];
    if (kind === undefined) return null;
    let rest = after;
    let picture = false;
    if (PICTURE.test(rest.trim())) {
      picture = true;
      rest = rest.trim().replace(PICTURE, '');
    }
    let byChannel = false;
    if (BY_CHANNEL.test(rest)) {
      byChannel = true;
      rest = rest.replace(BY_CHANNEL, ' ');
    }
    rest = rest.trim().replace(/[?!.]+$/, '').replace(ASK_TAIL, '').trim();
    const written = rest.length > 0 ? rest : (match.groups?.['period'] ?? input.leadingDate?.trim());
    const text = written ?? DEFAULT_PERIOD[verb] ?? '今天';
    const period = parsePeriod(text, input.ctx.now, input.ctx.timeZone);
    if (period === undefined) {
      if (glued && !byChannel) return null; // 利润太低了: chatter
      return parseError('BAD_PERIOD', `看不懂时间段「${text}」。可以写 今天、昨天、本周、上周、本月、上个月、最近7天、11月1日到11月20日。`, `${verb} 本月`);
    }
    const command: Command = { intent: 'report', kind, period };
    if (byChannel) command.byChannel = true;
    if (picture) command.picture = true;
    return commandResult(command);
  },
});

const QUESTION_PERIOD = `(?:${PERIOD_FIRST}|这周|这星期|本星期|这礼拜)`;
// `今天卖了多少`, `今天几单`, `卫衣这个月卖了多少件`, `这周卖得最好的`, `昨天的流水`, `各渠道卖了多少`.
const QUESTION = new RegExp(
  `^(?:看一下|看下|看看|查一下|查下|查)?\\s*(?:(?<product>[^\\s\\d]+?)\\s*)??(?<period>${QUESTION_PERIOD})?\\s*的?\\s*(?:` +
    `(?<channel>各渠道|各平台|每个渠道|每个平台|分渠道)?\\s*(?:一共)?(?:卖了|卖出了?|销售了|出了|卖)?\\s*(?:多少|几)(?:钱|单|笔|件|个|条|双|根|瓶|箱|盒|斤)?(?:了)?` +
    `|(?<top>(?:谁|哪个|哪款)?卖得最好的?|卖的最好的?|卖得最多的?|卖的最多的?|最畅销的?|卖最好的?)(?:是)?(?:啥|什么|哪个|哪些|哪几个)?` +
    `|(?<ledger>流水|记录|明细|账单|进出记录|出入库记录)` +
    `)\\s*[?吗呢啊]*$`,
);
const QUESTION_HINT = /(?:多少|几|最好|最多|畅销|流水|记录|明细|账单)[^\s]{0,3}$/;

/** Reports asked as a question rather than named: see QUESTION. */
export const reportQuestionParser: IntentParser = {
  intent: 'report',
  verbs: [],
  hint: QUESTION_HINT,
  pattern: () => QUESTION,
  extract(input, match) {
    const g = match.groups ?? {};
    const periodWord = g['period'] ?? input.leadingDate?.trim();
    const productWord = g['product'];
    const ledger = g['ledger'] !== undefined;
    // `记录` and `流水` need a day or period, or they are just words.
    if (periodWord === undefined && (ledger || productWord === undefined) && g['channel'] === undefined) return null;
    let product: string | undefined;
    if (productWord !== undefined) {
      const found = input.ctx.catalogue.resolve(productWord);
      if (found === undefined) return null;
      product = found.name;
    }
    const kind: Kind = ledger ? 'ledger' : g['top'] !== undefined ? 'top' : 'sales';
    const text = periodWord ?? (kind === 'top' ? '最近30天' : '本月');
    const period = parsePeriod(text, input.ctx.now, input.ctx.timeZone);
    if (period === undefined) return null;
    const command: Command = { intent: 'report', kind, period };
    if (product !== undefined) command.product = product;
    if (g['channel'] !== undefined) command.byChannel = true;
    return commandResult(command);
  },
};
