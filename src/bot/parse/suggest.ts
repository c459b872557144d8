import { createRequire } from 'node:module';
import type * as PinyinPro from 'pinyin-pro';

const load = createRequire(import.meta.url);
let pinyinPro: typeof PinyinPro | undefined;
/** pinyin-pro (≈50 ms to load) is loaded by the first suggestion, not by every start-up. */
function pinyinLib(): typeof PinyinPro {
  pinyinPro ??= load('pinyin-pro') as typeof PinyinPro;
  return pinyinPro;
}
import { compactKey, type Catalogue } from './catalogue.ts';

/**
 * "Did you mean": the catalogue names closest to an unknown one, by characters and by sound, so
 * `T血` (a wrong character with the same pinyin) and `tx` (initials) both find `T恤`.
 */

interface Entry {
  /** Canonical product name to suggest. */
  name: string;
  key: string;
  /** Full pinyin without tones, e.g. `txu`. */
  sound: string;
  /** Initials, e.g. `tx`. */
  initials: string;
}

// Pinyin for the whole catalogue is computed on the first suggestion, not on every build:
// suggestions are rare (only after a refusal) and big catalogues are rebuilt often.
const entriesCache = new WeakMap<Catalogue, Entry[]>();

function sounds(key: string): { sound: string; initials: string } {
  const { pinyin } = pinyinLib();
  const full = pinyin(key, { toneType: 'none', type: 'array', v: true });
  const first = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array' });
  return { sound: full.join('').toLowerCase(), initials: first.join('').toLowerCase() };
}

function entriesOf(catalogue: Catalogue): Entry[] {
  let entries = entriesCache.get(catalogue);
  if (entries === undefined) {
    entries = [];
    for (const p of catalogue.products) {
      for (const n of [p.name, ...p.aliases]) {
        const key = compactKey(n);
        if (key.length === 0) continue;
        entries.push({ name: p.name, key, ...sounds(key) });
      }
    }
    entriesCache.set(catalogue, entries);
  }
  return entries;
}

/** Levenshtein distance over UTF-16 units; names are short, so the simple O(n·m) form is fine. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 0 : 1 - distance(a, b) / longest;
}

const LETTERS_ONLY = /^[a-z]+$/;

function score(query: { key: string; sound: string; initials: string }, e: Entry): number {
  let best = Math.max(similarity(query.key, e.key), similarity(query.sound, e.sound));
  if (query.key.length >= 2 && (e.key.includes(query.key) || query.key.includes(e.key))) best = Math.max(best, 0.8);
  if (LETTERS_ONLY.test(query.key)) {
    // Typed initials (`tx`, `dk`) or the start of the pinyin (`duank`).
    if (e.initials === query.key) best = Math.max(best, 0.95);
    else if (query.key.length >= 2 && e.initials.startsWith(query.key)) best = Math.max(best, 0.75);
    if (query.key.length >= 2 && e.sound.startsWith(query.key)) best = Math.max(best, 0.85);
  }
  return best;
}

/** Below this a name is not shown: a wrong suggestion is worse than none. */
const THRESHOLD = 0.5;

/**
 * Up to `max` catalogue names closest to `name`, best first; empty when nothing is close.
 * Used by handlers to answer an unknown product name with "did you mean …".
 */
export function suggestProducts(name: string, catalogue: Catalogue, max = 3): string[] {
  const key = compactKey(name);
  if (key.length === 0 || max <= 0) return [];
  const query = { key, ...sounds(key) };
  const best = new Map<string, number>();
  for (const e of entriesOf(catalogue)) {
    const s = score(query, e);
    if (s < THRESHOLD) continue;
    if ((best.get(e.name) ?? -1) < s) best.set(e.name, s);
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([n]) => n);
}

/**
 * How close a new name is to a known one, stricter than suggestions: by characters (`卫衣衣` holds
 * 卫衣), or the very same sound (`T血`/`T恤` typed by pinyin), or the initials typed in full. Sounds
 * that are merely alike are not enough: 毛衣 (maoyi) and 帽子 (maozi) are two products.
 */
function nearScore(query: { key: string; sound: string; initials: string }, e: Entry): number {
  let best = similarity(query.key, e.key);
  if (query.key.length >= 2 && (e.key.includes(query.key) || query.key.includes(e.key))) best = Math.max(best, 0.8);
  if (query.sound === e.sound) best = Math.max(best, 0.9);
  if (LETTERS_ONLY.test(query.key) && e.initials === query.key) best = Math.max(best, 0.95);
  return best;
}

/** Above this an unknown name is too close to a known one to create a product without asking. */
const NEAR_DUPLICATE = 0.8;

/**
 * Known products an unknown name is most likely a variant or a typo of (`卫衣衣` → 卫衣, `T血` →
 * T恤): a purchase under such a name asks before it creates a second product.
 */
export function nearDuplicates(name: string, catalogue: Catalogue, max = 3): string[] {
  const key = compactKey(name);
  if (key.length < 2) return [];
  const query = { key, ...sounds(key) };
  const best = new Map<string, number>();
  for (const e of entriesOf(catalogue)) {
    const s = nearScore(query, e);
    if (s >= NEAR_DUPLICATE && (best.get(e.name) ?? -1) < s) best.set(e.name, s);
  }
  return [...best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max).map(([n]) => n);
}
