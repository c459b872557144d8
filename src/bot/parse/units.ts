import type { CatalogueProduct } from './catalogue.ts';

/**
 * Unit words. Counted units (件 箱 瓶 …) must carry whole quantities; measured units (斤 kg 米 …)
 * may be fractional and convert among themselves without any per-product setting.
 */

/** Units that count whole things; a fractional quantity in one of these is a typo. */
export const COUNT_UNITS: ReadonlySet<string> = new Set([
  '件', '个', '条', '双', '包', '箱', '盒', '瓶', '支', '台', '套', '只', '张', '本', '把', '顶',
  '袋', '罐', '桶', '听', '提', '卷', '片', '副', '对', '枚', '根', '颗', '粒', '份', '组', '打',
  '捆', '扎', '盆', '株', '幅', 'pcs',
]);

/**
 * Packaging units: how many pieces one holds differs per product, so using one on a product
 * without a conversion (`设置 可乐 1箱=24瓶`) is refused instead of silently counted as 1.
 */
export const PACKAGE_UNITS: ReadonlySet<string> = new Set(['箱', '盒', '包', '袋', '提', '打', '捆', '扎', '组']);

type Family = 'weight' | 'length' | 'volume';

// Size of each measured unit in the smallest unit of its family (克, 毫米, 毫升).
const MEASURES: Readonly<Record<string, { family: Family; size: number }>> = {
  斤: { family: 'weight', size: 500 },
  公斤: { family: 'weight', size: 1000 },
  千克: { family: 'weight', size: 1000 },
  kg: { family: 'weight', size: 1000 },
  克: { family: 'weight', size: 1 },
  g: { family: 'weight', size: 1 },
  两: { family: 'weight', size: 50 },
  吨: { family: 'weight', size: 1e6 },
  米: { family: 'length', size: 1000 },
  厘米: { family: 'length', size: 10 },
  cm: { family: 'length', size: 10 },
  毫米: { family: 'length', size: 1 },
  mm: { family: 'length', size: 1 },
  升: { family: 'volume', size: 1000 },
  毫升: { family: 'volume', size: 1 },
  ml: { family: 'volume', size: 1 },
};

const KNOWN_UNITS: ReadonlySet<string> = new Set([...COUNT_UNITS, ...Object.keys(MEASURES)]);

/** True for units whose quantities may be fractional (weights, lengths, volumes, custom units). */
export function allowsFraction(unit: string): boolean {
  return !COUNT_UNITS.has(unit);
}

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
    const words = new Set([...KNOWN_UNITS, ...extra]);
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

/** How a written unit relates to a product's own unit. */
export type Conversion =
  | { ok: true; factor: number }
  | { ok: false; reason: 'needs-conversion' | 'incompatible' };

/**
 * Factor from `written` to the product's base unit: 1 for the same unit, the catalogue factor
 * (箱 → 24), a measure ratio (公斤 → 斤 is 2), or 1 for loose piece words (个 for 件) since
 * staff use them interchangeably. Packaging without a set conversion and mixed measures
 * (斤 for a product kept in 件) cannot be converted.
 */
export function conversionFactor(written: string, product: CatalogueProduct): Conversion {
  if (written === product.unit) return { ok: true, factor: 1 };
  const custom = product.units[written];
  if (custom !== undefined && custom > 0) return { ok: true, factor: custom };
  const from = MEASURES[written];
  const to = MEASURES[product.unit];
  if (from !== undefined && to !== undefined) {
    return from.family === to.family ? { ok: true, factor: from.size / to.size } : { ok: false, reason: 'incompatible' };
  }
  if (from !== undefined || to !== undefined) return { ok: false, reason: 'incompatible' };
  if (PACKAGE_UNITS.has(written)) return { ok: false, reason: 'needs-conversion' };
  return { ok: true, factor: 1 };
}
