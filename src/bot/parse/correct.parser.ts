import { MAX_QUANTITY, parseError, tooLarge } from './errors.ts';
import { readEntryNo } from './entry-no.ts';
import { parseMoney } from './money.ts';
import { readNumberAt } from './numbers.ts';
import { isWordChar } from './text.ts';
import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';

/**
 * 改 / 修改 / 更正: corrects one field of an earlier entry (`改 #123 数量 4`, `改 #123 单价 25`).
 * The ledger appends a reversing entry and a new one; nothing is rewritten.
 */

const PATTERN = verbPattern(INTENT_VERBS.correct);
const FIELD = /^(?:的\s*)?(数量|件数|单价|价格|价钱|进价|售价|价)\s*(?:改成|改为|改|为|成|[:=])?\s*/;
const QUANTITY_TAIL = /^\s*(?:[件个条双包箱盒瓶支台套只张本把斤克]|公斤|kg|g)?\s*$/;
const EXAMPLE = '改 #123 数量 4';

/** See the module comment. */
export const correctParser: IntentParser = {
  intent: 'correct',
  verbs: INTENT_VERBS.correct,
  pattern: () => PATTERN,
  extract(input, match) {
    const after = input.body.slice(match[0].length);
    // 改天, 改一下, 修改好了: sentences, not corrections.
    if (isWordChar(after[0])) return null;
    const entry = readEntryNo(after.trim(), EXAMPLE);
    if ('kind' in entry) return entry;
    const f = FIELD.exec(entry.rest);
    if (f === null) {
      return parseError('BAD_CORRECTION', `只能改「数量」或「单价」，例如 改 #${entry.entryNo} 数量 4。`, `改 #${entry.entryNo} 数量 4`);
    }
    const value = entry.rest.slice(f[0].length).trim();
    if (f[1] === '数量' || f[1] === '件数') {
      const example = `改 #${entry.entryNo} 数量 4`;
      const negative = value.startsWith('-');
      const n = readNumberAt(value, negative ? 1 : 0);
      if (n === undefined || !QUANTITY_TAIL.test(value.slice(n.end))) {
        return parseError('MISSING_QUANTITY', '要写改成多少，例如 数量 4。', example);
      }
      if (negative || n.value <= 0) return parseError('ZERO_QUANTITY', '数量必须大于 0。', example);
      if (n.value > MAX_QUANTITY) return tooLarge('数量', n.raw, example);
      return commandResult({ intent: 'correct', entryNo: entry.entryNo, field: 'quantity', value: n.value });
    }
    const example = `改 #${entry.entryNo} 单价 25`;
    const money = parseMoney(value);
    if (money === undefined) return parseError('BAD_PRICE', '要写改成多少钱，例如 单价 25。', example);
    if (!money.ok) {
      return money.code === 'TOO_LARGE'
        ? tooLarge('金额', value, example)
        : parseError('BAD_PRICE', `单价「${value}」不对：不能是负数，最多两位小数。`, example);
    }
    if (money.cents <= 0) return parseError('BAD_PRICE', '单价必须大于 0。', example);
    return commandResult({ intent: 'correct', entryNo: entry.entryNo, field: 'unitPrice', value: money.cents });
  },
};
