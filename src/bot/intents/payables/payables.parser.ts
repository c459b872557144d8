import type { Command } from '../../command.ts';
import { parseError } from '../../parse/errors.ts';
import { parsePeriod } from '../../parse/period.ts';
import { commandResult, type IntentParser } from '../../parse/types.ts';
import { INTENT_VERBS, verbPattern } from '../../parse/verbs.ts';
import { wordBoundaryParser } from '../../parse/word-boundary.ts';

/**
 * 应付: `应付` (every supplier, 本月), `应付 老李`, `应付 老李 上月`, `应付 本周`, `应付 老李上月`.
 * The period goes through the report periods' parser; without one it is 本月. A verb run into a word
 * (`应付不过来`) is talk, not a question.
 */

type PayablesCommand = Extract<Command, { intent: 'payables' }>;

const DEFAULT_PERIOD = '本月';
const ASK_TAIL = /\s*(?:是多少|有多少|多少钱?|还欠多少|欠多少|一共|总共)?\s*[?？吗呢啊]*$/;
// A period glued to the supplier's name (`老李上月`) ends in one of these.
const PERIOD_END = /(?:天|日|号|周|星期|礼拜|月|月份|年)$/;
const MAX_SUPPLIER = 30;

/** The supplier (if any) and the period's words. */
function read(text: string, now: Date, timeZone: string): { supplier?: string; periodText: string } {
  if (text.length === 0) return { periodText: DEFAULT_PERIOD };
  if (parsePeriod(text, now, timeZone) !== undefined) return { periodText: text };
  const space = text.search(/\s/);
  if (space > 0) return { supplier: text.slice(0, space), periodText: text.slice(space).trim() };
  if (PERIOD_END.test(text)) {
    for (let i = 1; i < text.length; i++) {
      if (parsePeriod(text.slice(i), now, timeZone) !== undefined) return { supplier: text.slice(0, i), periodText: text.slice(i) };
    }
  }
  return { supplier: text, periodText: DEFAULT_PERIOD };
}

/** See the module comment. */
export const payablesParser: IntentParser = wordBoundaryParser({
  intent: 'payables',
  verbs: INTENT_VERBS.payables,
  pattern: verbPattern(INTENT_VERBS.payables),
  glued: 'chatter',
  extract(input, { verb, after }) {
    const text = after.trim().replace(ASK_TAIL, '').replace(/^供应商\s*/, '').trim();
    const example = '应付 老李 本月';
    const r = read(text, input.ctx.now, input.ctx.timeZone);
    const supplier = r.supplier?.replace(/^(?:供应商|给)\s*/, '');
    if (supplier !== undefined && (supplier.length === 0 || supplier.length > MAX_SUPPLIER)) {
      return parseError('TOO_LONG', `「${r.supplier ?? ''}」不像供应商的名字（最多 ${MAX_SUPPLIER} 个字）。`, example);
    }
    const period = parsePeriod(r.periodText, input.ctx.now, input.ctx.timeZone);
    if (period === undefined) {
      return parseError('BAD_PERIOD', `看不懂时间段「${r.periodText}」。可以写 本月、上月、本周、最近30天、11月1日到11月20日。`, `${verb} ${supplier ?? '老李'} 本月`);
    }
    const command: PayablesCommand = { intent: 'payables', period };
    if (supplier !== undefined) command.supplier = supplier;
    return commandResult(command);
  },
});
