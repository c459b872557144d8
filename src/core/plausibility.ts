import { mulDivRound } from './money.ts';
import { MILLI } from './quantity.ts';
import { unitConversion, type ProductUnits } from './units.ts';

/**
 * A written price that could mean two things is not guessed. Before a line is recorded its
 * reading (the number per the unit it was written with, or the line total) is compared with what
 * the shop knows of the product — the set 售价, recent prices and the average cost. When the
 * reading is more than `FAR`× away from every one of them and another reading fits (the number
 * was the line total, the price per the product's unit, or per an outer unit such as 箱), both
 * readings go back to the writer and nothing is recorded.
 */

/** How far (either way) a price may be from what the shop knows before it is questioned. */
export const FAR = 5;

/** A measured unit this many times smaller than the product's unit is never priced per itself without asking (16 元 a 克 of 核桃). */
const TINY_UNIT = 100;

/** One way to read the price number of a line. */
export interface PriceReading {
  kind: 'perUnit' | 'total';
  /** The unit the number is per (for `perUnit`). */
  unit?: string | undefined;
  /** The number as written, in 分. */
  cents: number;
  /** What the reading means per the product's unit, in 分 (rounded for display). */
  perBase: number;
  /** The line amount under this reading, in 分. */
  amount: number;
}

/** The line as parsed: quantity in the product's unit, and the price number with its unit. */
export interface PricedLine {
  quantityMilli: number;
  /** The number as written, in 分. */
  cents: number;
  /** The number is the line total (`共 100`) rather than a unit price. */
  total: boolean;
  /** The unit a unit price is per; the product's unit when absent. */
  unit?: string | undefined;
}

/** What the shop knows of a product's price, per its unit, in 分. */
export interface PriceKnowledge {
  salePrice?: number | null | undefined;
  averageCost?: number | null | undefined;
  lastCost?: number | null | undefined;
  recent?: readonly number[] | undefined;
}

/** The verdict: record the line, or ask which reading was meant. */
export type Plausibility =
  | { ok: true; far?: undefined }
  /** Recorded as written (no other reading fits), but far from what the shop knows: said so in the reply. */
  | { ok: true; far: { written: PriceReading; references: Reference[] } }
  | { ok: false; written: PriceReading; others: PriceReading[]; references: Reference[] };

function reading(line: PricedLine, product: ProductUnits, kind: 'perUnit' | 'total', unit?: string): PriceReading | undefined {
  if (kind === 'total') {
    return { kind, cents: line.cents, perBase: mulDivRound(line.cents, MILLI, line.quantityMilli), amount: line.cents };
  }
  const c = unitConversion(unit ?? product.unit, product);
  if (!c.ok) return undefined;
  // cents per `unit` = cents × den / num per base unit.
  const perBaseExact = (line.cents * c.den) / c.num;
  const amount = mulDivRound(line.cents * c.den, line.quantityMilli, c.num * MILLI);
  return { kind, unit: unit === product.unit ? undefined : unit, cents: line.cents, perBase: Math.round(perBaseExact), amount };
}

function fits(perBase: number, refs: readonly Reference[]): boolean {
  return refs.some((r) => perBase * FAR >= r.cents && perBase <= r.cents * FAR);
}

function sameReading(a: PriceReading, b: PriceReading): boolean {
  return a.amount === b.amount;
}

/**
 * Checks one priced line of a product. `references` are the known prices to compare with (the
 * caller picks them per intent: 售价 and recent sale prices for a sale, costs for a purchase).
 */
export function checkPrice(line: PricedLine, product: ProductUnits, knowledge: PriceKnowledge, forSale: boolean): Plausibility {
  if (line.cents === 0 || line.quantityMilli <= 0) return { ok: true };
  const written = line.total ? reading(line, product, 'total') : reading(line, product, 'perUnit', line.unit);
  if (written === undefined) return { ok: true };

  const candidates: PriceReading[] = [];
  const add = (r: PriceReading | undefined) => {
    if (r !== undefined && !sameReading(r, written) && !candidates.some((c) => sameReading(c, r))) candidates.push(r);
  };
  if (line.total) add(reading(line, product, 'perUnit'));
  else {
    add(reading(line, product, 'total'));
    if (line.unit !== undefined && line.unit !== product.unit) add(reading(line, product, 'perUnit'));
    else for (const outer of Object.keys(product.units)) add(reading(line, product, 'perUnit', outer));
  }
  const refs = references(knowledge, forSale);
  if (candidates.length === 0) return refs.length === 0 || fits(written.perBase, refs) ? { ok: true } : { ok: true, far: { written, references: refs } };

  if (refs.length === 0) {
    // Nothing to compare with: only a price per a tiny unit (克 of a product sold by the 斤) is
    // too unlikely to record without asking.
    const c = line.unit === undefined || line.total ? undefined : unitConversion(line.unit, product);
    const tiny = c !== undefined && c.ok && c.den >= TINY_UNIT * c.num;
    return tiny ? { ok: false, written, others: candidates, references: [] } : { ok: true };
  }
  if (fits(written.perBase, refs)) return { ok: true };
  const others = candidates.filter((r) => fits(r.perBase, refs));
  return others.length === 0 ? { ok: true, far: { written, references: refs } } : { ok: false, written, others, references: refs };
}

/** A known price worth comparing with, per the product's unit, and what it is. */
export interface Reference {
  label: '售价' | '近期售价' | '近期进价' | '平均成本' | '上次进价';
  cents: number;
  /** A cost: shown only to those who may see cost. */
  cost: boolean;
}

/**
 * The known prices worth comparing with, per the product's unit. Knowing more only adds
 * references, so a price that fits what is cheap to read (售价, 上次进价) fits the full list too.
 */
export function references(k: PriceKnowledge, forSale: boolean): Reference[] {
  const recent = k.recent !== undefined && k.recent.length > 0 ? median(k.recent) : undefined;
  const sale: Reference | undefined = k.salePrice == null ? undefined : { label: '售价', cents: k.salePrice, cost: false };
  const average: Reference | undefined = k.averageCost == null ? undefined : { label: '平均成本', cents: k.averageCost, cost: true };
  const last: Reference | undefined = k.lastCost == null || k.lastCost === k.averageCost ? undefined : { label: '上次进价', cents: k.lastCost, cost: true };
  const list: (Reference | undefined)[] = forSale
    ? [sale, recent === undefined ? undefined : { label: '近期售价', cents: recent, cost: false }, average, last]
    : [average, last, recent === undefined ? undefined : { label: '近期进价', cents: recent, cost: true }, sale];
  return list.filter((r): r is Reference => r !== undefined && r.cents > 0);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
