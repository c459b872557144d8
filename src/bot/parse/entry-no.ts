import { parseError } from './errors.ts';
import type { ParseError } from './types.ts';

const ENTRY = /^#?\s*(\d{1,15})(?![\d.])/;

/**
 * Reads an entry number (`#123`, `123`) at the start of `text`: the number and the rest, or a
 * refusal for `#abc`, `#0`, `#12.5`. Entry numbers are what the bot printed after `✅ #`.
 */
export function readEntryNo(text: string, example: string): { entryNo: number; rest: string } | ParseError {
  const m = ENTRY.exec(text);
  const n = m === null ? NaN : Number(m[1]);
  if (m === null || !Number.isSafeInteger(n) || n <= 0) {
    const shown = text.split(/\s/)[0] ?? '';
    if (shown.length === 0 || !/^[#\d]/.test(shown)) {
      return parseError('BAD_ENTRY_NO', '缺少单号：要写 # 加上回复里的数字。', example);
    }
    return parseError('BAD_ENTRY_NO', `单号「${shown}」不对，应该是 # 加上回复里的数字。`, example);
  }
  return { entryNo: n, rest: text.slice(m[0].length).trim() };
}
