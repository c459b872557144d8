
import { KNOWN_UNITS } from '../../core/units.ts';

/**
 * Reading unit words in chat text. The vocabulary itself (which units count, which convert, 打 =
 * 12) is the core's one definition in src/core/units.ts.
 */

export { allowsFraction } from '../../core/units.ts';

// 块 is money in chat (`20块`), `L` a clothing size (`T恤 3L`), 码 a shoe or clothing size (`42码`) and
// 尺 the start of 尺码 (`39 尺码不合适`), unless a product is kept in them.
const NOT_UNITS_IN_CHAT: ReadonlySet<string> = new Set(['块', 'L', '码', '尺']);
export const CHAT_UNITS: ReadonlySet<string> = new Set([...KNOWN_UNITS].filter((u) => !NOT_UNITS_IN_CHAT.has(u)));

const ASCII_LETTERS = /[A-Za-z]+/y;

/** Unit words arranged for reading at a position without building substrings. */
export interface UnitIndex {
  /** All unit words, for whole-word checks. */
  words: ReadonlySet<string>;
  /** Multi-character CJK units by first character, longest first (公斤, 千克, 厘米 …). */
  multi: ReadonlyMap<string, readonly string[]>;
}

const indexes = new WeakMap<ReadonlySet<string>, UnitIndex>();

/** The built-in units plus `extra` (a catalogue's units), indexed once per catalogue. */
export function unitIndex(extra: ReadonlySet<string>): UnitIndex {
  let idx = indexes.get(extra);
  if (idx === undefined) {
    const words = new Set([...CHAT_UNITS, ...extra]);
    const multi = new Map<string, string[]>();
    for (const w of words) {
      const first = w[0];
      if (w.length < 2 || first === undefined || /^[A-Za-z]/.test(w)) continue;
      const list = multi.get(first) ?? [];
      list.push(w);
      list.sort((a, b) => b.length - a.length);
      multi.set(first, list);
    }
    idx = { words, multi };
    indexes.set(extra, idx);
  }
  return idx;
}

/**
 * Reads a unit word starting exactly at `at`: the longest CJK unit there, or a whole run of
 * ASCII letters (`kg`, `PCS`) lower-cased when it is a unit. Undefined when none is there.
 */
export function readUnit(text: string, at: number, idx: UnitIndex): string | undefined {
  const ch = text[at];
  if (ch === undefined) return undefined;
  const code = ch.charCodeAt(0);
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
    ASCII_LETTERS.lastIndex = at;
    const m = ASCII_LETTERS.exec(text);
    if (m === null) return undefined;
    const word = m[0].toLowerCase();
    if (idx.words.has(word)) return word;
    return idx.words.has(m[0]) ? m[0] : undefined;
  }
  const longer = idx.multi.get(ch);
  if (longer !== undefined) for (const w of longer) if (text.startsWith(w, at)) return w;
  return idx.words.has(ch) ? ch : undefined;
}

/** `readUnit` for callers without an index at hand. */
export function readUnitAt(text: string, at: number, extra: ReadonlySet<string>): string | undefined {
  return readUnit(text, at, unitIndex(extra));
}

export { conversionFactor } from '../../core/units.ts';
