import { MAX_QUANTITY, parseError, tooLarge } from './errors.ts';
import { readEntryNo } from './entry-no.ts';
import { parseMoney } from './money.ts';
import { readNumberAt } from './numbers.ts';
import type { Command } from '../command.ts';
import { commandResult, type IntentParser, type ParseError } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * 改 / 修改 / 更正: corrects one field of an earlier entry (`改 #123 数量 4`, `改 #123 单价 25`).
 * The ledger appends a reversing entry and a new one; nothing is rewritten.
 */

const PATTERN = verbPattern(INTENT_VERBS.correct);
const FIELD = /^(?:的\s*)?(数量|件数|单价|价格|价钱|进价|售价|价)\s*(?:改成|改为|改|为|成|[:=])?\s*/;
const QUANTITY_TAIL = /^\s*(?:[件个条双包箱盒瓶支台套只张本把斤克]|公斤|kg|g)?\s*$/;
const EXAMPLE = '改 #123 数量 4';

type Change = { field: 'quantity' | 'unitPrice'; value: number };

const NEXT_FIELD = /\s*(?:[,，;；]\s*)?(?=(?:的\s*)?(?:数量|件数|单价|价格|价钱|进价|售价|价)\s*(?:改成|改为|改|为|成|[:=])?\s*[\d¥一二两三四五六七八九十])/;

/** One `数量 4` / `单价 25`: the change, or a refusal. */
function readChange(entryNo: number, fieldWord: string, value: string): Change | ParseError {
  if (fieldWord === '数量' || fieldWord === '件数') {
    const example = `改 #${entryNo} 数量 4`;
    const negative = value.startsWith('-');
    const n = readNumberAt(value, negative ? 1 : 0);
    if (n === undefined || !QUANTITY_TAIL.test(value.slice(n.end))) {
      return parseError('MISSING_QUANTITY', '要写改成多少，例如 数量 4。', example);
    }
    if (negative || n.value <= 0) return parseError('ZERO_QUANTITY', '数量必须大于 0。', example);
    if (n.value > MAX_QUANTITY) return tooLarge('数量', n.raw, example);
    return { field: 'quantity', value: n.value };
  }
  const example = `改 #${entryNo} 单价 25`;
  const money = parseMoney(value);
  if (money === undefined) return parseError('BAD_PRICE', '要写改成多少钱，例如 单价 25。', example);
  if (!money.ok) {
    return money.code === 'TOO_LARGE'
      ? tooLarge('金额', value, example)
      : parseError('BAD_PRICE', `单价「${value}」不对：不能是负数，最多两位小数。`, example);
  }
  if (money.cents <= 0) return parseError('BAD_PRICE', '单价必须大于 0。', example);
  return { field: 'unitPrice', value: money.cents };
}

/** See the module comment. */
export const correctParser: IntentParser = wordBoundaryParser({
  intent: 'correct',
  verbs: INTENT_VERBS.correct,
  pattern: PATTERN,
  // 改天, 改一下, 修改好了: sentences, not corrections.
  glued: 'chatter',
  extract(_input, { after }) {
    const entry = readEntryNo(after.trim(), EXAMPLE);
    if ('kind' in entry) return entry;
    let rest = entry.rest;
    const changes: Change[] = [];
    do {
      const f = FIELD.exec(rest);
      if (f === null) {
        return parseError('BAD_CORRECTION', `只能改「数量」或「单价」，例如 改 #${entry.entryNo} 数量 4。`, `改 #${entry.entryNo} 数量 4 单价 59`);
      }
      rest = rest.slice(f[0].length);
      const next = NEXT_FIELD.exec(rest);
      const value = (next === null ? rest : rest.slice(0, next.index)).trim();
      rest = next === null ? '' : rest.slice(next.index + next[0].length);
      const change = readChange(entry.entryNo, f[1] ?? '', value);
      if ('kind' in change) return change;
      if (changes.some((c) => c.field === change.field)) {
        return parseError('BAD_CORRECTION', `「${f[1]}」写了两次，请只写一次。`, `改 #${entry.entryNo} 数量 4 单价 59`);
      }
      changes.push(change);
    } while (rest.trim().length > 0);
    changes.sort((a, b) => (a.field === b.field ? 0 : a.field === 'quantity' ? -1 : 1));
    const first = changes[0] as Change;
    const command: Command = { intent: 'correct', entryNo: entry.entryNo, field: first.field, value: first.value };
    if (changes.length > 1) command.changes = changes;
    return commandResult(command);
  },
});
