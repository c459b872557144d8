import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand, known, parse, unknown, utc } from './fixtures.ts';

// Batch fields on writes. The reference day is 2026-11-27 in Asia/Shanghai; a date is the start of
// that local day (16:00Z the day before).
const MAY_1 = utc('2027-04-30T16:00:00.000Z');
const NOV_1 = utc('2026-10-31T16:00:00.000Z');
const box = { unit: '箱', writtenQuantity: '10箱', writtenPrice: { cents: 3000, unit: '箱', total: false }, unitPrice: 125 } as const;
const cola = (extra: object) => known('可乐', 240, { ...box, ...extra });

const cases: Array<[string, Command]> = [
  ['进货 可乐 10箱 单价 30 批次 A1101 到期 2027-05-01', { intent: 'purchase', items: [cola({ batch: 'A1101', expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 批号 A1101 效期 2027.5.1', { intent: 'purchase', items: [cola({ batch: 'A1101', expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 批次号:A-11/01 有效期至 2027/5/1', { intent: 'purchase', items: [cola({ batch: 'A-11/01', expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 27年5月1日到期', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 2027年5月1日 过期', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 失效日期 20270501', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 保质期至 2027-05-01', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  // Without a year: the next 5月1日.
  ['进货 可乐 10箱 单价 30 到期 5月1日', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  // A month only: good through its last day.
  ['进货 可乐 10箱 单价 30 效期 2027.04', { intent: 'purchase', items: [cola({ expiresAt: utc('2027-04-29T16:00:00.000Z') })] }],
  // Production date plus shelf life.
  ['进货 可乐 10箱 单价 30 生产 2026-11-01 保质期 6个月', { intent: 'purchase', items: [cola({ producedAt: NOV_1, expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 保质期6个月 生产日期 2026.11.1', { intent: 'purchase', items: [cola({ producedAt: NOV_1, expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 生产于 2026年11月1日 保质期 半年', { intent: 'purchase', items: [cola({ producedAt: NOV_1, expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 生产 11月1日 保质期 181天', { intent: 'purchase', items: [cola({ producedAt: NOV_1, expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 出厂 2026-11-01 有效期 十八个月', { intent: 'purchase', items: [cola({ producedAt: NOV_1, expiresAt: utc('2028-04-30T16:00:00.000Z') })] }],
  // The entry's own date still counts beside the batch's.
  ['昨天 进货 可乐 10箱 单价 30 批次 A1 到期 2027-05-01', { intent: 'purchase', occurredAt: utc('2026-11-26T04:00:00.000Z'), items: [cola({ batch: 'A1', expiresAt: MAY_1 })] }],
  ['进货 可乐 10箱 单价 30 生产 2026-11-01 保质期 6个月 11月25日', { intent: 'purchase', occurredAt: utc('2026-11-25T04:00:00.000Z'), items: [cola({ producedAt: NOV_1, expiresAt: MAY_1 })] }],
  // Each item its own batch; one written in a segment of its own goes to every item.
  [
    '进货 可乐 10箱 单价 30 批次 A1，短裤 5条 20 批次 S2',
    { intent: 'purchase', items: [cola({ batch: 'A1' }), known('短裤', 5, { unit: '条', unitPrice: 2000, batch: 'S2' })] },
  ],
  ['进货 可乐 10箱 单价 30，到期 2027-05-01', { intent: 'purchase', items: [cola({ expiresAt: MAY_1 })] }],
  // With a place and a supplier.
  ['进货 可乐 10箱 单价 30 批次 A1 到期 2027-05-01 到 门店 供应商 老王', { intent: 'purchase', items: [cola({ batch: 'A1', expiresAt: MAY_1 })], location: '门店', counterparty: '老王' }],
  ['进货 牛奶 100 箱 单价 30 批次 A1101 到期 2027-05-01', { intent: 'purchase', items: [unknown('牛奶', 100, { unit: '箱', unitPrice: 3000, batch: 'A1101', expiresAt: MAY_1 })] }],
  // Goods leaving name a batch only.
  ['卖了 T恤 3件 批次 A1101', { intent: 'sale', items: [known('T恤', 3, { unit: '件', batch: 'A1101' })] }],
  ['出货 T恤 3件 单价 59 批号 A1101 淘宝', { intent: 'sale', items: [known('T恤', 3, { unit: '件', unitPrice: 5900, batch: 'A1101' })], channel: '淘宝' }],
  ['退供 T恤 5件 批次 B2', { intent: 'supplierReturn', items: [known('T恤', 5, { unit: '件', batch: 'B2' })] }],
  ['盘点 T恤 45 批次 B2', { intent: 'stocktake', items: [known('T恤', 45, { batch: 'B2' })] }],
  ['调拨 T恤 5件 批次 B2 到 门店', { intent: 'transfer', items: [known('T恤', 5, { unit: '件', batch: 'B2' })], to: '门店' }],
  ['退货 T恤 1件 批次 B2 到期 2027-05-01', { intent: 'customerReturn', items: [known('T恤', 1, { unit: '件', batch: 'B2', expiresAt: MAY_1 })] }],
];

describe('batch fields', () => {
  for (const [text, command] of cases) it(text, () => expectCommand(text, command));
});

describe('batch fields that are refused', () => {
  const refusals: Array<[string, RegExp]> = [
    ['卖了 T恤 3件 到期 2027-05-01', /出库不用写到期日/],
    ['调拨 T恤 3件 到 门店 生产 2026-11-01', /出库不用写到期日/],
    ['进货 可乐 10箱 单价 30 到期 2027-02-30', /日期「到期 2027-02-30」不是有效日期/],
    ['进货 可乐 10箱 单价 30 效期 2027.13.01', /不是有效日期/],
    ['进货 可乐 10箱 单价 30 保质期 6个月', /还要写生产日期/],
    ['进货 可乐 10箱 单价 30 生产 2026-11-01 到期 2026-10-01', /到期日早于生产日期/],
  ];
  for (const [text, message] of refusals) {
    it(text, () => {
      const result = parse(text);
      expect(result).toMatchObject({ kind: 'error', code: 'BAD_BATCH' });
      expect(result.kind === 'error' ? result.message : '').toMatch(message);
    });
  }

  it('never takes a future expiry or a production date for the entry’s date', () => {
    expect(parse('进货 可乐 10箱 单价 30 到期 2027-05-01')).toMatchObject({ kind: 'command', command: { intent: 'purchase' } });
    const made = parse('进货 可乐 10箱 单价 30 生产 2026-11-01');
    expect(made.kind === 'command' && 'occurredAt' in made.command).toBe(false);
  });

  it('keeps chatter about expiry silent, and a bare 批次 word as a note', () => {
    expect(parse('到期了吗')).toEqual({ kind: 'none' });
    expect(parse('牛奶快过期了')).toEqual({ kind: 'none' });
    expect(parse('进货 可乐 10箱 单价 30 批次')).toMatchObject({ kind: 'command', command: { items: [{ note: '批次' }] } });
  });
});
