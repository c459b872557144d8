import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate, parseMoney, parseQuantity } from '../../../src/adapters/files/cells.ts';
import { formatYuan } from '../../../src/core/money.ts';

describe('money cells become integer 分 without floating point', () => {
  it.each([
    ['20', 2000],
    ['15.7', 1570],
    ['15.70', 1570],
    ['2.550', 255],
    ['¥1,234.50', 123450],
    ['￥20元', 2000],
    ['２０', 2000],
    ['-3', -300],
    ['(5.00)', -500],
    [' 0 ', 0],
    [2.55, 255],
    [0.1 + 0.2, 30],
    [1234567.89, 123456789],
  ])('%j → %d', (cell, cents) => {
    expect(parseMoney(cell)).toEqual({ ok: true, value: cents });
  });

  it.each([
    ['', 'empty'],
    [null, 'empty'],
    ['abc', 'not_number'],
    ['1.2.3', 'not_number'],
    ['12.345', 'precision'],
    [2.345, 'precision'],
  ])('%j is refused (%s)', (cell, reason) => {
    expect(parseMoney(cell)).toEqual({ ok: false, reason });
  });

  it('round-trips every amount the export writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
        expect(parseMoney(formatYuan(cents))).toEqual({ ok: true, value: cents });
      }),
    );
  });
});

describe('quantity cells', () => {
  it.each([
    ['50', { milli: 50_000 }],
    ['2.5', { milli: 2500 }],
    ['0.001', { milli: 1 }],
    ['50件', { milli: 50_000, unit: '件' }],
    ['2.5 kg', { milli: 2500, unit: 'kg' }],
    ['-3', { milli: -3000 }],
    [12, { milli: 12_000 }],
    ['1.5E+4', { milli: 15_000_000 }],
  ])('%j → %j', (cell, value) => {
    expect(parseQuantity(cell)).toEqual({ ok: true, value });
  });

  it('refuses more than three decimals and words', () => {
    expect(parseQuantity('1.0005')).toEqual({ ok: false, reason: 'precision' });
    expect(parseQuantity('很多')).toEqual({ ok: false, reason: 'not_number' });
  });
});

describe('date cells in the shop time zone', () => {
  const tz = 'Asia/Shanghai';
  it.each([
    ['2026-11-01', '2026-10-31T16:00:00.000Z'],
    ['2026-11-01 10:05', '2026-11-01T02:05:00.000Z'],
    ['2026/11/1 10:05:30', '2026-11-01T02:05:30.000Z'],
    ['2026年11月1日', '2026-10-31T16:00:00.000Z'],
    ['20261101', '2026-10-31T16:00:00.000Z'],
    ['2026-11-01T02:05:00.000Z', '2026-11-01T02:05:00.000Z'],
  ])('%j → %s', (cell, iso) => {
    const r = parseDate(cell, tz);
    expect(r.ok && r.value.toISOString()).toBe(iso);
  });

  it('takes an xlsx date as the wall-clock time it shows', () => {
    const r = parseDate(new Date(Date.UTC(2026, 10, 1, 10, 5)), tz);
    expect(r.ok && r.value.toISOString()).toBe('2026-11-01T02:05:00.000Z');
    const serial = parseDate(46_327.5, tz); // 2026-11-01 12:00 as an Excel serial number
    expect(serial.ok && serial.value.toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });

  it('follows daylight saving where the zone has it', () => {
    const winter = parseDate('2011-01-10 09:00:00', 'Europe/London');
    const summer = parseDate('2011-07-10 09:00:00', 'Europe/London');
    expect(winter.ok && winter.value.toISOString()).toBe('2011-01-10T09:00:00.000Z');
    expect(summer.ok && summer.value.toISOString()).toBe('2011-07-10T08:00:00.000Z');
  });

  it.each(['2026-13-01', '2026-02-30', '01/11/2026', '明天', '2026-11-01 25:00'])('refuses %j', (cell) => {
    expect(parseDate(cell, tz)).toEqual({ ok: false, reason: 'bad_date' });
  });
});
