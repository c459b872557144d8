/**
 * The one vocabulary of units, used by the chat parser, the ledger and the spreadsheets.
 *
 * - Counted units (件 箱 瓶 …) carry whole quantities.
 * - Measured units convert among themselves with no setting: weight (g 克, 两, 斤, kg 公斤 千克,
 *   吨; 1斤 = 500 g = 10两), length and volume.
 * - 打 is 12 of any counted unit.
 * - Packaging (箱 盒 包 …) holds a different number of pieces per product, so it converts only
 *   through the product's own setting (`设置 雪碧 1箱=24瓶`).
 *
 * Factors are exact fractions (1 g = 1/500 斤), so quantities converted into thousandths never
 * drift.
 */

/** Units that count whole things; a fractional quantity in one of these is a typo. */
export const COUNT_UNITS: ReadonlySet<string> = new Set([
  '件', '个', '条', '双', '包', '箱', '盒', '瓶', '支', '台', '套', '只', '张', '本', '把', '顶',
  '袋', '罐', '桶', '听', '提', '卷', '片', '副', '对', '枚', '根', '颗', '粒', '份', '组', '打',
  '捆', '扎', '盆', '株', '幅', '块', '册', '间', '辆', '头', '匹', '件套', '排', '板', '串', 'pcs',
]);

/**
 * Packaging units: how many pieces one holds differs per product, so using one on a product
 * without a conversion is refused instead of silently counted as 1.
 */
export const PACKAGE_UNITS: ReadonlySet<string> = new Set(['箱', '盒', '包', '袋', '提', '捆', '扎', '组', '件套', '排', '板', '串']);

/** 打 (a dozen) is 12 of any counted unit, with no setting. */
export const DOZEN = '打';
const DOZEN_SIZE = 12;

type Family = 'weight' | 'length' | 'volume' | 'area';

/** Size of each measured unit in the smallest unit of its family (克, 毫米, 毫升). */
const MEASURES: Readonly<Record<string, { family: Family; size: number }>> = {
  克: { family: 'weight', size: 1 },
  g: { family: 'weight', size: 1 },
  两: { family: 'weight', size: 50 },
  斤: { family: 'weight', size: 500 },
  公斤: { family: 'weight', size: 1000 },
  千克: { family: 'weight', size: 1000 },
  kg: { family: 'weight', size: 1000 },
  吨: { family: 'weight', size: 1_000_000 },
  毫米: { family: 'length', size: 1 },
  mm: { family: 'length', size: 1 },
  厘米: { family: 'length', size: 10 },
  cm: { family: 'length', size: 10 },
  米: { family: 'length', size: 1000 },
  毫升: { family: 'volume', size: 1 },
  ml: { family: 'volume', size: 1 },
  升: { family: 'volume', size: 1000 },
  L: { family: 'volume', size: 1000 },
  平方米: { family: 'area', size: 1 },
  '㎡': { family: 'area', size: 1 },
};

/** Units a catalogue may use that are neither counted nor converted (码, 尺 in fabric shops). */
const OTHER_UNITS: readonly string[] = ['码', '尺', '立方米'];

/** English unit words seen in exported catalogues, as the Chinese unit a shop keeps. */
const ENGLISH: Readonly<Record<string, string>> = {
  pcs: '件', pc: '件', piece: '件', pieces: '件', ea: '件', each: '件', unit: '件', units: '件', item: '件', items: '件',
  box: '箱', boxes: '箱', carton: '箱', ctn: '箱', case: '箱', bottle: '瓶', bottles: '瓶', pair: '双', pairs: '双',
  set: '套', sets: '套', pack: '包', packs: '包', pkg: '包', bag: '袋', bags: '袋', dozen: '打', doz: '打', roll: '卷', rolls: '卷',
  kgs: 'kg', kilogram: 'kg', kilograms: 'kg', gram: 'g', grams: 'g', m: '米', meter: '米', metre: '米', liter: '升', litre: '升', l: 'L',
};

/** Every built-in unit word. */
export const KNOWN_UNITS: ReadonlySet<string> = new Set([...COUNT_UNITS, ...Object.keys(MEASURES), ...OTHER_UNITS]);

/** True for units that count whole things (no fractions). */
export function isCountUnit(unit: string): boolean {
  return COUNT_UNITS.has(unit);
}

/** True for units whose quantities may be fractional (weights, lengths, volumes, custom units). */
export function allowsFraction(unit: string): boolean {
  return !COUNT_UNITS.has(unit);
}

/** True for a measured unit (weight, length, volume, area). */
export function isMeasureUnit(unit: string): boolean {
  return MEASURES[unit] !== undefined;
}

/** The unit as the ledger keeps it (`KG` → `kg`, `pcs` → `件`), or undefined for a word that is not a unit. */
export function normalizeUnit(text: string): string | undefined {
  const unit = text.normalize('NFKC').trim();
  const lower = unit.toLowerCase();
  // English words first: a spreadsheet's `pcs` is the shop's 件.
  const english = ENGLISH[lower];
  if (english !== undefined) return english;
  if (KNOWN_UNITS.has(unit)) return unit;
  return KNOWN_UNITS.has(lower) ? lower : undefined;
}

/** What a product knows of its units: the unit stock is kept in, and its own conversions (箱 → 24). */
export interface ProductUnits {
  unit: string;
  /** Extra unit → how many base units one holds (may be fractional for measured goods). */
  units: Readonly<Record<string, number>>;
}

/** 1 written unit = num / den base units, exactly. */
export type UnitConversion =
  | { ok: true; num: number; den: number }
  | { ok: false; reason: 'needs-conversion' | 'incompatible' };

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x || 1;
}

function ratio(num: number, den: number): UnitConversion {
  const g = gcd(num, den);
  return { ok: true, num: num / g, den: den / g };
}

/** A decimal factor (24, 2.5) as an exact fraction in thousandths. */
function fromDecimal(factor: number): UnitConversion {
  return ratio(Math.round(factor * 1000), 1000);
}

/**
 * How a written unit relates to a product's own unit: the same unit, the product's conversion
 * (箱 → 24), a measure ratio (公斤 → 斤 is 2, 克 → 斤 is 1/500), a dozen (打 → 12), or 1 for loose
 * piece words (个 for 件) since staff use them interchangeably. Packaging without a set
 * conversion and mixed families (斤 for a product kept in 件) cannot be converted.
 */
export function unitConversion(written: string, product: ProductUnits): UnitConversion {
  if (written === product.unit) return { ok: true, num: 1, den: 1 };
  const custom = product.units[written];
  if (custom !== undefined && custom > 0) return fromDecimal(custom);
  const from = MEASURES[written];
  const to = MEASURES[product.unit];
  if (from !== undefined && to !== undefined) {
    return from.family === to.family ? ratio(from.size, to.size) : { ok: false, reason: 'incompatible' };
  }
  if (from !== undefined || to !== undefined) return { ok: false, reason: 'incompatible' };
  if (written === DOZEN) return { ok: true, num: DOZEN_SIZE, den: 1 };
  // Packaging on either side: how many pieces a 箱 holds is the product's setting, never 1.
  if (PACKAGE_UNITS.has(written) || PACKAGE_UNITS.has(product.unit)) return { ok: false, reason: 'needs-conversion' };
  return { ok: true, num: 1, den: 1 };
}

/** The factor of `unitConversion` as a plain number (for display and settings). */
export function conversionFactor(written: string, product: ProductUnits): { ok: true; factor: number } | { ok: false; reason: 'needs-conversion' | 'incompatible' } {
  const c = unitConversion(written, product);
  return c.ok ? { ok: true, factor: c.num / c.den } : c;
}

/**
 * `milli` thousandths of the written unit in thousandths of the base unit, or undefined when the
 * result is not a whole number of thousandths (1 g of a product kept in 两 is 0.02 两: fine;
 * 1 g in 吨 is not).
 */
export function convertMilli(milli: number, c: { num: number; den: number }): number | undefined {
  const scaled = milli * c.num;
  if (!Number.isSafeInteger(scaled)) return undefined;
  return scaled % c.den === 0 ? scaled / c.den : undefined;
}

/** One written part of a quantity (`3箱` of `3箱6瓶`). */
export interface QuantityPart {
  value: number;
  unit: string | undefined;
}

/** A written quantity in thousandths of the product's own unit, or why it cannot be one. */
export type BaseQuantity =
  | { ok: true; milli: number }
  | { ok: false; reason: 'needs-conversion' | 'incompatible'; unit: string }
  | { ok: false; reason: 'precision' };

/**
 * Adds up the parts of a quantity (`1斤2两`, `3箱6瓶`, `一箱半`, `0.5kg`) in thousandths of the
 * product's unit, exactly. A part without a unit counts in the product's unit. `product` is
 * undefined for a name the shop does not know yet: its quantity stays in the unit written.
 */
export function toBaseMilli(parts: readonly QuantityPart[], product: ProductUnits | undefined): BaseQuantity {
  let total = 0;
  for (const part of parts) {
    const written = Math.round(part.value * 1000);
    if (Math.abs(written - part.value * 1000) > 1e-6) return { ok: false, reason: 'precision' };
    if (product === undefined || part.unit === undefined) {
      total += written;
      continue;
    }
    const c = unitConversion(part.unit, product);
    if (!c.ok) return { ok: false, reason: c.reason, unit: part.unit };
    const milli = convertMilli(written, c);
    if (milli === undefined) return { ok: false, reason: 'precision' };
    total += milli;
  }
  return { ok: true, milli: total };
}
