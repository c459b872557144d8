import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPrice } from '../../src/core/plausibility.ts';
import { linePrice, spreadFreight } from '../../src/core/pricing.ts';
import { isCountUnit, normalizeUnit, toBaseMilli, unitConversion } from '../../src/core/units.ts';

const walnut = { unit: '斤', units: {} };
const sprite = { unit: '瓶', units: { 箱: 24 } };
const eggs = { unit: '个', units: {} };

describe('the one unit vocabulary', () => {
  it('converts weights exactly: 1斤 = 500 g = 10两, kg = 2斤', () => {
    expect(unitConversion('g', walnut)).toEqual({ ok: true, num: 1, den: 500 });
    expect(unitConversion('两', walnut)).toEqual({ ok: true, num: 1, den: 10 });
    expect(unitConversion('公斤', walnut)).toEqual({ ok: true, num: 2, den: 1 });
    expect(unitConversion('千克', walnut)).toEqual({ ok: true, num: 2, den: 1 });
    expect(unitConversion('克', { unit: 'kg', units: {} })).toEqual({ ok: true, num: 1, den: 1000 });
  });

  it('knows 打 is 12 of a counted unit, and needs a setting for packaging', () => {
    expect(unitConversion('打', eggs)).toEqual({ ok: true, num: 12, den: 1 });
    expect(unitConversion('箱', eggs)).toEqual({ ok: false, reason: 'needs-conversion' });
    expect(unitConversion('箱', sprite)).toEqual({ ok: true, num: 24, den: 1 });
    // A product kept in 箱 is never sold by the 瓶 one for one.
    expect(unitConversion('瓶', { unit: '箱', units: {} })).toEqual({ ok: false, reason: 'needs-conversion' });
    expect(unitConversion('斤', eggs)).toEqual({ ok: false, reason: 'incompatible' });
  });

  it('adds quantity parts exactly in thousandths', () => {
    expect(toBaseMilli([{ value: 1, unit: '斤' }, { value: 2, unit: '两' }], walnut)).toEqual({ ok: true, milli: 1200 });
    expect(toBaseMilli([{ value: 3, unit: '箱' }, { value: 6, unit: '瓶' }], sprite)).toEqual({ ok: true, milli: 78000 });
    expect(toBaseMilli([{ value: 0.5, unit: 'kg' }], walnut)).toEqual({ ok: true, milli: 1000 });
    expect(toBaseMilli([{ value: 1, unit: 'g' }], { unit: '吨', units: {} })).toEqual({ ok: false, reason: 'precision' });
  });

  it('reads spreadsheet units with the same words', () => {
    expect(normalizeUnit('KG')).toBe('kg');
    expect(normalizeUnit('pcs')).toBe('件');
    expect(normalizeUnit('dozen')).toBe('打');
    expect(normalizeUnit('坨')).toBeUndefined();
    expect(isCountUnit('箱')).toBe(true);
    expect(isCountUnit('斤')).toBe(false);
  });
});

describe('line prices', () => {
  it('applies a rate per unit and takes a discount and freight off or onto the line', () => {
    expect(linePrice({ rate: 80 }, 3000, 5900)).toEqual({ unitPrice: 4720, amount: 14160, listPrice: 4720 });
    expect(linePrice({ unitPrice: 5900, discount: 500 }, 3000, undefined)).toEqual({ unitPrice: 5733, amount: 17200, listPrice: 5900 });
    expect(linePrice({ unitPrice: 5900, discount: 20000 }, 3000, undefined)).toEqual({ problem: 'discount' });
    expect(linePrice({ discount: 500 }, 3000, undefined)).toEqual({ problem: 'missing' });
    expect(linePrice({}, 3000, undefined)).toBeUndefined();
  });

  it('spreads freight so the shares add up to the freight exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 1000 }), unitPrice: fc.integer({ min: 0, max: 100_000 }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (lines, freight) => {
          const items = lines.map((l, i): { quantity: number; unitPrice: number; freight?: number } => (i === 0 ? { ...l, freight } : l));
          const spread = spreadFreight(items);
          expect(spread.reduce((s, i) => s + (i.freight ?? 0), 0)).toBe(freight);
          for (const i of spread) expect(i.freight ?? 0).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('plausibility', () => {
  it('asks about a price per 克 even when nothing is known of the product', () => {
    const v = checkPrice({ quantityMilli: 1000, cents: 1600, total: false, unit: 'g' }, walnut, {}, true);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.others.map((r) => r.kind)).toContain('total');
  });

  it('records an ordinary price when nothing is known', () => {
    expect(checkPrice({ quantityMilli: 10_000, cents: 59000, total: false }, eggs, {}, true)).toEqual({ ok: true });
  });

  it('asks only when another reading fits within 5×', () => {
    const known = { salePrice: 5900 };
    expect(checkPrice({ quantityMilli: 10_000, cents: 59000, total: false }, eggs, known, true).ok).toBe(false);
    expect(checkPrice({ quantityMilli: 3000, cents: 17700, total: false }, eggs, known, true)).toEqual({ ok: true });
    const far = checkPrice({ quantityMilli: 1000, cents: 99000, total: false }, eggs, known, true);
    expect(far.ok && far.far !== undefined).toBe(true);
  });
});
