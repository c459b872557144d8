import type { ShelfLife } from '../../core/batches.ts';
import type { WrittenDate } from './batch.ts';
/**
 * Fields of a write besides the item itself (channel, counterparty, location, note). Each item
 * segment has its own; one written before the first item or after the last applies to every item
 * that has none (`…，短裤 30条 15元 供应商 老王`).
 */
export interface WriteFields {
  channel?: string;
  counterparty?: string;
  location?: string;
  /** Transfer destination. */
  to?: string;
  /** Free words kept with the entry (`单号 778899`, `包邮`). */
  note?: string;
  /** `批次 A1101`; the dates and shelf life of goods coming in (src/bot/parse/batch.ts). */
  batch?: string;
  expiresOn?: WrittenDate;
  producedOn?: WrittenDate;
  shelfLife?: ShelfLife;
  /** A batch word that could not be read (`保质期 很久`), refused rather than kept as a note. */
  batchProblem?: string;
}

/**
 * A small parser for one field, chrono-style: a global `pattern()` and an `extract()` that fills
 * the field and says whether the match is consumed (removed before items are read).
 */
export interface FieldParser {
  /** A cheap test on the segment: the pattern is only run when it passes. */
  readonly hint?: RegExp;
  pattern(): RegExp;
  extract(match: RegExpExecArray, fields: WriteFields): boolean;
}

/** Replaces `[start, end)` with spaces so later positions stay valid for the item lexer. */
export function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

// Every field starts with a keyword, a channel word or a place; text without these skips all regexes.
const FIELD_HINT = /[供厂客顾买从在到至调发渠平淘天京拼抖快小微线闲视仓库店档朋得唯有阿美饿直社放入单备注包顺给还实剩电手批效期过失生产出制保(>→]|1[3-9]\d{9}|(?<![A-Za-z])(?:tb|tm|jd|pdd|dy|ks|xhs|wd|xy|wx|vx|taobao|tmall|douyin|qq|1688)(?![A-Za-z])/i;

/**
 * Runs the field parsers over one segment in order, filling `fields` (first value wins) and
 * returning the segment with consumed fields masked out.
 */
export function extractFields(text: string, parsers: readonly FieldParser[], fields: WriteFields): string {
  if (!FIELD_HINT.test(text)) return text;
  let out = text;
  for (const parser of parsers) {
    if (parser.hint !== undefined && !parser.hint.test(out)) continue;
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

/** Adds words to a note, keeping what was written first first. */
export function appendNote(fields: WriteFields, words: string): void {
  const w = words.trim();
  if (w.length === 0) return;
  fields.note = fields.note === undefined ? w : `${fields.note} ${w}`;
}

/**
 * Notes that must be taken out before numbers are read: an order or tracking number (`单号
 * 778899` is never a price), `备注 …`, words in brackets, and shipping words (`包邮`, where 包
 * would read as a unit).
 */
export const noteParser: FieldParser = {
  hint: /[备(单订快运物包电手]|1[3-9]\d{9}/,
  pattern: () => NOTE,
  extract(m, fields) {
    const text = m[1] ?? m[2] ?? m[0];
    appendNote(fields, text);
    return true;
  },
};
const NOTE = /(?<=^|\s|\d|[件个条箱包盒瓶套双支台元块])(?:备注\s*[:=]?\s*([^,;、]+)$|\(([^()]*)\)|(?:快递单号|运单号|订单号|物流单号|单号|订单|快递|运单)\s*[:=#]?\s*[A-Za-z0-9-]{4,}|包邮(?=\s|$)|(?:电话|手机|tel|TEL)?\s*[:：]?\s*1[3-9]\d{9}(?!\d))/g;
