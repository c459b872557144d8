/**
 * Message-wide fields of a write (channel, counterparty, locations). They may sit in any item
 * segment — usually the last (`…，短裤 30条 15元 供应商 老王`) — and apply to every item.
 */
export interface WriteFields {
  channel?: string;
  counterparty?: string;
  location?: string;
  /** Transfer destination. */
  to?: string;
}

/**
 * A small parser for one field, chrono-style: a global `pattern()` and an `extract()` that fills
 * the field and says whether the match is consumed (removed before items are read).
 */
export interface FieldParser {
  pattern(): RegExp;
  extract(match: RegExpExecArray, fields: WriteFields): boolean;
}

/** Replaces `[start, end)` with spaces so later positions stay valid for the item lexer. */
export function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

// Every field starts with a keyword or a channel word; text without these skips all regexes.
const FIELD_HINT = /[供厂客顾买从在到至调发渠平淘天京拼抖快小微线闲视仓>→]/;

/**
 * Runs the field parsers over one segment in order, filling `fields` (first value wins) and
 * returning the segment with consumed fields masked out.
 */
export function extractFields(text: string, parsers: readonly FieldParser[], fields: WriteFields): string {
  if (!FIELD_HINT.test(text)) return text;
  let out = text;
  for (const parser of parsers) {
    const re = parser.pattern();
    re.lastIndex = 0;
    for (let m = re.exec(out); m !== null; m = re.exec(out)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (parser.extract(m, fields)) out = mask(out, m.index, m.index + m[0].length);
    }
  }
  return out;
}
