import { parseError } from './errors.ts';
import type { ParseError } from './types.ts';

/** Longest message we look at; longer ones are pastes, not commands, and would only cost time. */
import { MAX_MESSAGE_LENGTH } from '../../core/limits.ts';

export { MAX_MESSAGE_LENGTH };

// Zero-width characters sneak in from copy-paste (WeChat, web pages) and split words invisibly.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Control characters other than tab and newline; newlines separate items so they must survive.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const HORIZONTAL_SPACE = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const LINE_EDGES = / *\n */g;
const PLAIN = /^[\x20-\x7E\u4E00-\u9FFF]*$/;

/**
 * The first refiner: one spelling for every character before any parser looks. NFKC turns
 * full-width digits, letters and punctuation (５０，＠) into ASCII so patterns need one form only.
 * Returns an error for over-long text without touching it further.
 */
export function normalizeMessage(text: string): string | ParseError {
  if (text.length > MAX_MESSAGE_LENGTH && countCodePoints(text) > MAX_MESSAGE_LENGTH) {
    return parseError('TOO_LONG', `消息太长（超过 ${MAX_MESSAGE_LENGTH} 字），请分成几条发送。`, '进货 T恤 50件 单价 20');
  }
  // Most chat lines are already plain ASCII + common CJK; skip the costly passes for them.
  if (PLAIN.test(text)) return text.replace(HORIZONTAL_SPACE, ' ').trim();
  return text
    .normalize('NFKC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(LINE_EDGES, '\n')
    .trim();
}

function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
