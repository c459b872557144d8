/**
 * Column recognition by header name, in Chinese or English and in any order. Headers are compared
 * after normalising width, case, spaces and bracketed notes ("成本（元）" → "成本"); an exact synonym
 * wins over a header that merely contains one.
 */

export type StockField =
  | 'product'
  | 'sku'
  | 'unit'
  | 'quantity'
  | 'unitCost'
  | 'totalCost'
  | 'salePrice'
  | 'reorderLevel'
  | 'overstockLevel'
  | 'leadTime'
  | 'location';

export type EntryField =
  | 'date'
  | 'kind'
  | 'product'
  | 'sku'
  | 'unit'
  | 'quantity'
  | 'unitPrice'
  | 'amount'
  | 'channel'
  | 'counterparty'
  | 'location'
  | 'docNo';

const PRODUCT = ['商品', '商品名称', '商品名', '品名', '名称', '产品', '产品名称', '货品', '货品名称', '宝贝名称', 'product', 'productname', 'name', 'item', 'itemname', 'description', 'goods'];
const SKU = ['sku', '编码', '商品编码', '商品编号', '货号', '条码', '商品条码', '条形码', '款号', '商家编码', 'code', 'stockcode', 'itemcode', 'productcode', 'barcode', 'itemno'];
const UNIT = ['单位', '计量单位', 'unit', 'uom'];
const LOCATION = ['仓库', '库位', '仓位', '位置', '存放位置', '仓库名称', 'location', 'warehouse', 'store'];

export const STOCK_FIELDS: Readonly<Record<StockField, readonly string[]>> = {
  product: PRODUCT,
  // In a catalogue 编号 is the product's number; in a ledger it is the entry's (our own export).
  sku: [...SKU, '编号'],
  unit: UNIT,
  quantity: ['数量', '库存', '库存数量', '期初数量', '期初库存', '现有库存', '现存量', '结存数量', '在库数量', '实际库存', 'qty', 'quantity', 'stock', 'onhand', 'stockqty'],
  unitCost: ['成本', '成本价', '单位成本', '进价', '进货价', '采购价', '采购单价', '进货单价', '单价', '平均成本', '均价', 'cost', 'unitcost', 'costprice', 'purchaseprice', 'avgcost'],
  totalCost: ['金额', '总成本', '成本金额', '库存金额', '总金额', '期初金额', '库存成本', 'totalcost', 'value', 'stockvalue', 'amount'],
  salePrice: ['售价', '销售价', '销售单价', '零售价', '卖价', '标价', 'saleprice', 'price', 'retailprice', 'sellingprice'],
  reorderLevel: ['预警', '预警数量', '预警线', '库存预警', '安全库存', '最低库存', '库存下限', '补货点', 'reorderlevel', 'reorderpoint', 'minstock', 'min'],
  overstockLevel: ['积压', '积压线', '最高库存', '库存上限', 'overstock', 'overstocklevel', 'maxstock', 'max'],
  leadTime: ['补货周期', '采购周期', '交期', '到货天数', 'leadtime', 'leadtimedays'],
  location: LOCATION,
};

export const ENTRY_FIELDS: Readonly<Record<EntryField, readonly string[]>> = {
  date: ['日期', '时间', '发生时间', '业务日期', '单据日期', '下单时间', '交易时间', '日期时间', 'date', 'time', 'datetime', 'invoicedate', 'occurredat', 'orderdate'],
  kind: ['类型', '业务类型', '单据类型', '出入库类型', '方向', 'kind', 'type'],
  product: PRODUCT,
  sku: SKU,
  unit: UNIT,
  quantity: ['数量', '件数', 'qty', 'quantity'],
  unitPrice: ['单价', '价格', '售价', '进价', '成交价', '成交单价', 'price', 'unitprice'],
  amount: ['金额', '总额', '总价', '合计', '小计', '成交金额', '实收金额', 'amount', 'total', 'lineamount'],
  channel: ['渠道', '平台', '销售渠道', '店铺', 'channel', 'platform'],
  counterparty: ['往来单位', '客户', '供应商', '对方', '客户名称', '供应商名称', '客户编号', 'customer', 'supplier', 'customerid', 'counterparty', 'vendor'],
  location: LOCATION,
  docNo: ['单号', '单据号', '单据编号', '订单号', '订单编号', '发票号', '票号', 'invoice', 'invoiceno', 'orderno', 'orderid', 'docno', 'reference'],
};

/** What each field is called in messages to the user. */
export const FIELD_LABELS: Readonly<Record<StockField | EntryField, string>> = {
  product: '商品',
  sku: '编码',
  unit: '单位',
  quantity: '数量',
  unitCost: '成本',
  totalCost: '金额',
  salePrice: '售价',
  reorderLevel: '预警',
  overstockLevel: '积压',
  leadTime: '补货周期',
  location: '仓库',
  date: '日期',
  kind: '类型',
  unitPrice: '单价',
  amount: '金额',
  channel: '渠道',
  counterparty: '往来单位',
  docNo: '单号',
};

/** "成本（元）" / "Unit Cost" / "ＳＫＵ" → "成本" / "unitcost" / "sku". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s_\-*:：./#]/g, '');
}

export interface HeaderMatch<F extends string> {
  /** Column index of each recognised field. */
  columns: Partial<Record<F, number>>;
  /** Headers that matched no field (ignored). */
  ignored: string[];
  /** Headers that named a field already taken by an earlier column (ignored). */
  repeated: string[];
}

/** Maps header cells to fields: exact synonyms first, then the longest synonym a header contains. */
export function matchHeaders<F extends string>(headers: readonly string[], fields: Readonly<Record<F, readonly string[]>>): HeaderMatch<F> {
  const exact = new Map<string, F>();
  const contained: { word: string; field: F }[] = [];
  for (const [field, words] of Object.entries(fields) as [F, readonly string[]][]) {
    for (const word of words) {
      const key = normalizeHeader(word);
      if (!exact.has(key)) exact.set(key, field);
      // Short Latin words ("min", "name") match inside too many unrelated headers.
      if (/[\u0080-\uffff]/.test(key) || key.length >= 4) contained.push({ word: key, field });
    }
  }
  contained.sort((a, b) => b.word.length - a.word.length);
  const columns: Partial<Record<F, number>> = {};
  const ignored: string[] = [];
  const repeated: string[] = [];
  const normalized = headers.map(normalizeHeader);
  const pending: number[] = [];
  normalized.forEach((key, i) => {
    if (key === '') return;
    const field = exact.get(key);
    if (field === undefined) pending.push(i);
    else if (columns[field] === undefined) columns[field] = i;
    else repeated.push(headers[i] ?? '');
  });
  for (const i of pending) {
    const key = normalized[i] ?? '';
    const hit = contained.find((c) => key.includes(c.word) && columns[c.field] === undefined);
    if (hit) columns[hit.field] = i;
    else ignored.push(headers[i] ?? '');
  }
  return { columns, ignored, repeated };
}

/** True when a row looks like a header for these fields (at least two recognised columns). */
export function looksLikeHeader<F extends string>(cells: readonly string[], fields: Readonly<Record<F, readonly string[]>>): boolean {
  return Object.keys(matchHeaders(cells, fields).columns).length >= 2;
}
