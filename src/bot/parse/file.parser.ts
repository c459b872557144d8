import { parseError } from './errors.ts';
import { parsePeriod } from './period.ts';
import { commandResult, type IntentParser, type ParseResult } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * The spreadsheet phrases: `导出` (this month's entries and profit), `导出 上月`, `导出 流水 本周`,
 * `导出 库存`; `导入 <path>` (the console's way of sending a file); `确认导入`, `确认导入 跳过`; `取消`.
 * A received file is an `importFile` command too; `importKindOfCaption` reads the words sent with it.
 */

const VERBS = [...INTENT_VERBS.export, ...INTENT_VERBS.importFile, ...INTENT_VERBS.confirmImport, ...INTENT_VERBS.cancelImport];
const PATTERN = verbPattern(VERBS);
const ANY_VERB = new RegExp(VERBS.join('|'));

/** A cheap test that a message may be a file command (one of the verbs appears anywhere in it). */
export function mentionsFileVerb(text: string): boolean {
  return ANY_VERB.test(text);
}
const EXPORT_USAGE = '导出 本月';
/** Words naming what is exported, before the period: `导出 流水 上月`, `导出 利润`. */
const ENTRIES_WORDS = /^(?:流水|利润|报表)\s*/;

function exportCommand(rest: string, ctx: { now: Date; timeZone: string }): ParseResult {
  if (/^库存$/.test(rest)) return commandResult({ intent: 'export', what: 'stock' });
  const text = rest.replace(ENTRIES_WORDS, '') || '本月';
  const period = parsePeriod(text, ctx.now, ctx.timeZone);
  if (period === undefined) {
    return parseError('BAD_PERIOD', `看不懂时段「${text}」。可以写 导出（本月流水和利润）、导出 上月、导出 本周、导出 库存。`, EXPORT_USAGE);
  }
  return commandResult({ intent: 'export', what: 'entries', period });
}

/** See the module comment. */
export const fileParser: IntentParser = wordBoundaryParser({
  intent: 'export',
  verbs: VERBS,
  pattern: PATTERN,
  // `导出来了吗`, `取消了`, `确认导入了吗`: chatter, not the command (`确认导入跳过` is the command run together).
  glued: 'chatter',
  gluedCommand: ({ verb, after }) => verb === '确认导入' && /^跳过\s*$/.test(after),
  extract(input, { verb, after }) {
    const rest = after.trim();
    switch (verb) {
      case '导出':
        return exportCommand(rest, input.ctx);
      case '导入':
        return commandResult(rest === '' ? { intent: 'importFile' } : { intent: 'importFile', path: rest });
      case '确认导入':
        if (rest === '') return commandResult({ intent: 'confirmImport', skipBad: false });
        return rest === '跳过' ? commandResult({ intent: 'confirmImport', skipBad: true }) : null;
      default:
        return rest === '' ? commandResult({ intent: 'cancelImport' }) : null;
    }
  },
});

/**
 * What the words sent with a file say it is: 库存 (opening stock), 流水 (entries), or 订单 / a shop
 * back-end's name (an order export); undefined lets the columns decide.
 */
export function importKindOfCaption(caption: string | undefined): 'stock' | 'entries' | 'orders' | undefined {
  if (caption === undefined) return undefined;
  if (/库存/.test(caption)) return 'stock';
  if (/流水/.test(caption)) return 'entries';
  if (/订单/.test(caption) || orderPlatformOfCaption(caption) !== undefined) return 'orders';
  return undefined;
}

/** The back-ends whose order exports are imported, as the words sent with a file may name them. */
const ORDER_PLATFORMS = /天猫|淘宝|千牛|拼多多|抖店|抖音|京东|微店|快手|小红书/;

/** The shop back-end the words sent with a file name (`快手订单` → 快手), for reading its order export. */
export function orderPlatformOfCaption(caption: string | undefined): string | undefined {
  return caption === undefined ? undefined : ORDER_PLATFORMS.exec(caption)?.[0];
}
