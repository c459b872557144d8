import { describe, expect, it } from 'vitest';
import { ENTRY_FIELDS, matchHeaders, normalizeHeader, STOCK_FIELDS } from '../../../src/adapters/files/headers.ts';

describe('recognising columns by their header', () => {
  it('reads Chinese headers in any order, with notes in brackets', () => {
    const m = matchHeaders(['仓库', '成本（元）', '品名', '期初库存', '安全库存数', '零售价', '备注', '货号'], STOCK_FIELDS);
    expect(m.columns).toEqual({ location: 0, unitCost: 1, product: 2, quantity: 3, reorderLevel: 4, salePrice: 5, sku: 7 });
    expect(m.ignored).toEqual(['备注']);
  });

  it('reads English headers, whatever their case and spacing', () => {
    const m = matchHeaders(['Product Name', 'SKU', 'Qty', 'Unit Cost', 'Sale Price', 'Reorder Level', 'Max Stock', 'Warehouse', 'UOM'], STOCK_FIELDS);
    expect(m.columns).toEqual({ product: 0, sku: 1, quantity: 2, unitCost: 3, salePrice: 4, reorderLevel: 5, overstockLevel: 6, location: 7, unit: 8 });
  });

  it('prefers an exact name to a header that only contains one', () => {
    const m = matchHeaders(['库存金额', '库存'], STOCK_FIELDS);
    expect(m.columns).toEqual({ totalCost: 0, quantity: 1 });
  });

  it('reads an invoice-line export (the online-retail columns) as a ledger', () => {
    const m = matchHeaders(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'], ENTRY_FIELDS);
    expect(m.columns).toEqual({ docNo: 0, sku: 1, product: 2, quantity: 3, date: 4, unitPrice: 5, counterparty: 6 });
    expect(m.ignored).toEqual(['Country']);
  });

  it('reads the headers of our own entries export', () => {
    const m = matchHeaders(['编号', '时间', '类型', '商品', '仓库', '数量', '单价', '金额', '成本', '渠道', '往来单位', '经办人', '撤销的编号'], ENTRY_FIELDS);
    expect(m.columns).toMatchObject({ date: 1, kind: 2, product: 3, location: 4, quantity: 5, unitPrice: 6, amount: 7, channel: 9, counterparty: 10 });
  });

  it('ignores the dropship columns of our own entries export rather than reading them as the counterparty or price', () => {
    const m = matchHeaders(['编号', '时间', '类型', '商品', '仓库', '数量', '单价', '金额', '成本', '渠道', '往来单位', '经办人', '撤销的编号', '备注', '代发供应商', '代发进价'], ENTRY_FIELDS);
    expect(m.columns).toMatchObject({ unitPrice: 6, counterparty: 10 });
    expect(m.ignored).toEqual(expect.arrayContaining(['代发供应商', '代发进价']));
  });

  it('keeps the first of two columns for one field', () => {
    const m = matchHeaders(['商品', '名称', '数量'], STOCK_FIELDS);
    expect(m.columns.product).toBe(0);
    expect(m.repeated).toEqual(['名称']);
  });

  it('normalises width, case and punctuation', () => {
    expect(normalizeHeader(' ＳＫＵ ')).toBe('sku');
    expect(normalizeHeader('Unit_Cost (GBP)')).toBe('unitcost');
    expect(normalizeHeader('进价【含税】')).toBe('进价');
  });
});
