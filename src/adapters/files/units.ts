import { COUNT_UNITS } from '../../core/quantity.ts';

/** Measured units: fractional quantities are fine in these. */
const MEASURE_UNITS = ['斤', '公斤', '千克', 'kg', '克', 'g', '两', '吨', '米', '厘米', 'cm', '毫米', 'mm', '升', '毫升', 'ml', 'L', '平方米', '㎡', '立方米', '码', '尺'];

/** Other counted units seen in Chinese catalogues, beyond the ones the core counts. */
const MORE_COUNT_UNITS = ['枚', '颗', '粒', '打', '捆', '扎', '盆', '株', '幅', '册', '间', '辆', '头', '匹', '件套', '排', '板', '串'];

/** English unit words in exported catalogues, as the Chinese unit a shop keeps. */
const ENGLISH: Readonly<Record<string, string>> = {
  pcs: '件', pc: '件', piece: '件', pieces: '件', ea: '件', each: '件', unit: '件', units: '件', item: '件', items: '件',
  box: '箱', boxes: '箱', carton: '箱', ctn: '箱', case: '箱', bottle: '瓶', bottles: '瓶', pair: '双', pairs: '双',
  set: '套', sets: '套', pack: '包', packs: '包', pkg: '包', bag: '袋', bags: '袋', dozen: '打', doz: '打', roll: '卷', rolls: '卷',
  kgs: 'kg', kilogram: 'kg', kilograms: 'kg', gram: 'g', grams: 'g', m: '米', meter: '米', metre: '米', liter: '升', litre: '升',
};

const KNOWN: ReadonlySet<string> = new Set([...COUNT_UNITS, ...MEASURE_UNITS, ...MORE_COUNT_UNITS]);

/** The unit as the ledger keeps it, or undefined for a word that is not a unit. */
export function normalizeUnit(text: string): string | undefined {
  const unit = text.normalize('NFKC').trim();
  if (KNOWN.has(unit)) return unit;
  const lower = unit.toLowerCase();
  if (KNOWN.has(lower)) return lower;
  return ENGLISH[lower];
}

/** True for units that count whole things (no fractions). */
export function isCountUnit(unit: string): boolean {
  return COUNT_UNITS.has(unit) || MORE_COUNT_UNITS.includes(unit);
}
