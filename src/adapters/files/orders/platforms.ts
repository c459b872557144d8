import { normalizeHeader } from '../headers.ts';

/**
 * The order exports of the shop back-ends, by their header rows. Each layout names the columns an
 * order line is read from (the first candidate present wins) and the rule for the amount recorded.
 *
 * Where each layout comes from (public material; see tests/fixtures/orders/README.md):
 * - 拼多多 商家后台 订单查询 → 导出: column names as read by several public scripts that process the
 *   export (pandas and SQL schemas naming 订单号, 商品, 订单状态, 商品总价(元), 店铺优惠折扣(元),
 *   平台优惠折扣(元), 邮费(元), 用户实付金额(元), 商家实收金额(元), 商品数量(件), 支付时间, 拼单成功时间,
 *   发货时间, 确认收货时间, 商品id, 商品规格, 样式ID, 商家编码-SKU维度, 商家编码-商品维度, 售后状态).
 *   One row per order (拼多多 orders hold one SKU).
 * - 抖店 订单管理 → 导出 (商品维度, one row per 子订单): 主订单编号, 子订单编号, 选购商品, 商品规格,
 *   商品数量, 商品ID, 商家编码, 商品单价, 订单应付金额, 订单提交时间, 支付完成时间, 订单状态, 售后状态,
 *   取消原因 — from public scripts processing the export and the 抖店 help page on 商品维度 reports;
 *   that 订单应付金额 is per 子订单 in the 商品维度 report is our reading, not verified on a real file.
 * - 淘宝/天猫 千牛 已卖出的宝贝 → 批量导出, 子订单 (宝贝) sheet: 主订单编号, 子订单编号, 商品标题, 商品ID,
 *   商品属性, 商品价格, 购买数量, 买家实付金额, 订单状态, 退款状态, 退款金额, 发货时间 — from a public
 *   importer of the 千牛 export; the older 宝贝报表 (订单编号, 标题, 价格, 购买数量, 外部系统编号, 商品属性,
 *   套餐信息, 备注, 订单状态, 商家编码) from public converters of it. The pay-time column of the 子订单
 *   sheet (订单付款时间) is assumed: the importer we read took times from the 主订单 sheet.
 * - 京东 商家后台 订单导出: 订单号, 商品ID, 商品名称, 订购数量, 支付方式, 下单时间, 京东价, 订单金额,
 *   结算金额, 余额支付, 应付金额, 订单状态, 订单类型, …, 运费金额, 付款确认时间, …, 货号 — the header
 *   list quoted in a public order collector. Order amounts repeat on every line of an order.
 * - 微店, 快手小店, 小红书: no public export was found; these layouts are GUESSED from the column names
 *   the other back-ends use. They are recognised by a guessed signature or when the file name (or
 *   --platform / the words sent with the file) names the platform.
 */

export type PlatformId = 'taobao' | 'pinduoduo' | 'douyin' | 'jd' | 'weidian' | 'kuaishou' | 'xiaohongshu';

export type OrderField =
  | 'orderNo'
  | 'subOrderNo'
  | 'title'
  | 'spec'
  | 'skuCode'
  | 'itemId'
  | 'quantity'
  | 'unitPrice'
  | 'lineAmount'
  | 'orderAmount'
  | 'refundAmount'
  | 'status'
  | 'refundStatus'
  | 'paidAt'
  | 'createdAt'
  | 'refundedAt';

export interface OrderLayout {
  id: PlatformId;
  /** The platform as the summary names it. */
  label: string;
  /** The sales channel recorded on every entry (one of the chat's channel words). */
  channel: string;
  /** Header sets that identify the export: a file is this layout when one set is all present. */
  signatures: readonly (readonly string[])[];
  /** Candidate headers for each field, best first. */
  columns: Readonly<Partial<Record<OrderField, readonly string[]>>>;
  /** The amount rule, as the summary and help say it. */
  amountRule: string;
  /** False for layouts guessed without a public example. */
  verified: boolean;
}

/** Columns the guessed layouts share: the names the documented back-ends use. */
const GENERIC: OrderLayout['columns'] = {
  orderNo: ['订单编号', '订单号', '主订单编号', '主订单号'],
  subOrderNo: ['子订单编号', '子订单号', '商品订单号'],
  title: ['商品名称', '商品标题', '商品', '宝贝标题'],
  spec: ['商品规格', '规格', '规格名称', 'SKU名称', '型号', '商品属性'],
  skuCode: ['商家编码', 'SKU编码', '规格编码', '商品编码', '货号'],
  itemId: ['商品ID', '商品id'],
  quantity: ['商品数量', '购买数量', '成交数量', '数量', '件数'],
  unitPrice: ['商品单价', '成交单价', '单价', '商品价格', '价格'],
  lineAmount: ['实收款', '实付款', '实付金额', '商品实付金额', '买家实付金额'],
  refundAmount: ['退款金额'],
  status: ['订单状态', '状态'],
  refundStatus: ['售后状态', '退款状态'],
  paidAt: ['付款时间', '支付时间', '订单支付时间', '支付完成时间'],
  createdAt: ['下单时间', '订单创建时间', '创建时间', '订单提交时间'],
  refundedAt: ['退款时间', '售后完成时间', '退款完成时间'],
};

export const ORDER_LAYOUTS: readonly OrderLayout[] = [
  {
    id: 'douyin',
    label: '抖店',
    channel: '抖音',
    signatures: [['主订单编号', '子订单编号', '选购商品'], ['主订单编号', '选购商品', '商品数量']],
    columns: {
      orderNo: ['主订单编号'],
      subOrderNo: ['子订单编号'],
      title: ['选购商品'],
      spec: ['商品规格'],
      skuCode: ['商家编码', '货号'],
      itemId: ['商品ID'],
      quantity: ['商品数量'],
      unitPrice: ['商品单价', '商品金额'],
      lineAmount: ['订单应付金额'],
      status: ['订单状态'],
      refundStatus: ['售后状态'],
      paidAt: ['支付完成时间'],
      createdAt: ['订单提交时间'],
      refundedAt: ['售后完成时间'],
    },
    amountRule: '抖店按每个子订单的「订单应付金额」记（买家为这件商品实付的钱）；没有这列时按 商品单价 × 数量',
    verified: true,
  },
  {
    id: 'taobao',
    label: '淘宝/天猫',
    channel: '淘宝',
    signatures: [['主订单编号', '子订单编号', '商品标题'], ['订单编号', '标题', '购买数量', '外部系统编号'], ['订单编号', '宝贝标题', '购买数量']],
    columns: {
      orderNo: ['主订单编号', '订单编号'],
      subOrderNo: ['子订单编号'],
      title: ['商品标题', '宝贝标题', '标题'],
      spec: ['商品属性', '销售属性', '套餐信息'],
      skuCode: ['商家编码', 'SKU商家编码', '外部系统编号'],
      itemId: ['商品ID'],
      quantity: ['购买数量', '宝贝数量'],
      unitPrice: ['商品价格', '价格'],
      lineAmount: ['买家实付金额', '实付金额'],
      refundAmount: ['退款金额'],
      status: ['订单状态', '子订单状态'],
      refundStatus: ['退款状态', '售后状态'],
      paidAt: ['订单付款时间', '付款时间'],
      // The 子订单 sheet may carry no order time (the importer we read took times from the 主订单 sheet);
      // then the ship time is the sale's date, and an unshipped paid line is listed, not guessed.
      createdAt: ['订单创建时间', '创建时间', '下单时间', '发货时间'],
      refundedAt: ['退款完成时间', '退款时间'],
    },
    amountRule: '淘宝/天猫按每个子订单的「买家实付金额」记；没有这列时按 商品价格 × 购买数量',
    verified: true,
  },
  {
    id: 'pinduoduo',
    label: '拼多多',
    channel: '拼多多',
    signatures: [['订单号', '商家实收金额', '商品数量'], ['订单号', '商家编码-SKU维度']],
    columns: {
      orderNo: ['订单号'],
      title: ['商品'],
      spec: ['商品规格'],
      skuCode: ['商家编码-SKU维度', '商家编码-商品维度'],
      itemId: ['样式ID', '商品id'],
      quantity: ['商品数量(件)', '商品数量'],
      lineAmount: ['商家实收金额(元)', '商家实收金额'],
      unitPrice: [],
      status: ['订单状态'],
      refundStatus: ['售后状态'],
      paidAt: ['支付时间', '拼单成功时间', '订单成交时间'],
      createdAt: ['订单成交时间'],
    },
    amountRule: '拼多多按「商家实收金额」记',
    verified: true,
  },
  {
    id: 'jd',
    label: '京东',
    channel: '京东',
    signatures: [['订单号', '商品ID', '订购数量', '京东价'], ['订单号', '订购数量', '京东价']],
    columns: {
      orderNo: ['订单号'],
      title: ['商品名称'],
      skuCode: ['货号', '商家SKU'],
      itemId: ['商品ID'],
      quantity: ['订购数量'],
      unitPrice: ['京东价'],
      orderAmount: ['结算金额', '应付金额'],
      status: ['订单状态'],
      paidAt: ['付款确认时间'],
      createdAt: ['下单时间'],
    },
    amountRule: '京东的金额按订单写（每行重复）：按订单的「结算金额」记，按各行 京东价 × 订购数量 分摊到各行，合计到分',
    verified: true,
  },
  {
    id: 'weidian',
    label: '微店',
    channel: '微店',
    signatures: [['订单编号', '商品名称', '实收款']],
    columns: GENERIC,
    amountRule: '微店（表头为推测）按「实收款 / 实付金额」记；没有时按 单价 × 数量',
    verified: false,
  },
  {
    id: 'kuaishou',
    label: '快手小店',
    channel: '快手',
    signatures: [['订单号', '成交数量', '实付款']],
    columns: GENERIC,
    amountRule: '快手小店（表头为推测）按「实付款」记；没有时按 成交单价 × 成交数量',
    verified: false,
  },
  {
    id: 'xiaohongshu',
    label: '小红书',
    channel: '小红书',
    signatures: [['订单号', '规格名称', '实付金额']],
    columns: GENERIC,
    amountRule: '小红书（表头为推测）按「实付金额」记；没有时按 单价 × 数量',
    verified: false,
  },
];

/** Words that name a platform (file names, --platform, the words sent with a file). */
const PLATFORM_WORDS: readonly { word: RegExp; id: PlatformId; channel?: string }[] = [
  { word: /天猫|tmall/i, id: 'taobao', channel: '天猫' },
  { word: /淘宝|千牛|taobao|^tb$/i, id: 'taobao' },
  { word: /拼多多|pinduoduo|^pdd$|多多/i, id: 'pinduoduo' },
  { word: /抖店|抖音|douyin|^dy$|fxg/i, id: 'douyin' },
  { word: /京东|^jd$|jingdong/i, id: 'jd' },
  { word: /微店|weidian/i, id: 'weidian' },
  { word: /快手|kuaishou|^ks$/i, id: 'kuaishou' },
  { word: /小红书|xiaohongshu|^xhs$|redbook/i, id: 'xiaohongshu' },
];

/** The platform a word or file name names (天猫 keeps its own channel), or undefined. */
export function platformOfWords(text: string | undefined): { layout: OrderLayout; channel: string } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  for (const w of PLATFORM_WORDS) {
    if (w.word.test(text.trim())) {
      const layout = ORDER_LAYOUTS.find((l) => l.id === w.id) as OrderLayout;
      return { layout, channel: w.channel ?? layout.channel };
    }
  }
  return undefined;
}

/** The platform names people may write, for messages. */
export const PLATFORM_NAMES = '淘宝、天猫、拼多多、抖店、京东、微店、快手、小红书';

/** Header cells as compared: width, case, spaces and bracketed units ignored (商品数量(件) = 商品数量). */
export function headerKeys(headers: readonly string[]): string[] {
  return headers.map(normalizeHeader);
}

/** The layouts whose signature the headers carry. */
export function layoutsBySignature(headers: readonly string[]): OrderLayout[] {
  const keys = new Set(headerKeys(headers));
  return ORDER_LAYOUTS.filter((l) => l.signatures.some((set) => set.every((h) => keys.has(normalizeHeader(h)))));
}

/** Column index of each field the headers have, by the layout's candidates (first present wins). */
export function layoutColumns(layout: OrderLayout, headers: readonly string[]): Partial<Record<OrderField, number>> {
  const keys = headerKeys(headers);
  const out: Partial<Record<OrderField, number>> = {};
  for (const [field, names] of Object.entries(layout.columns) as [OrderField, readonly string[]][]) {
    for (const name of names) {
      const i = keys.indexOf(normalizeHeader(name));
      if (i >= 0) {
        out[field] = i;
        break;
      }
    }
  }
  return out;
}

/** A header row of some order export: an order-number column and a quantity column. */
export function looksLikeOrderHeader(cells: readonly string[]): boolean {
  if (layoutsBySignature(cells).length > 0) return true;
  const cols = layoutColumns({ ...(ORDER_LAYOUTS.find((l) => l.id === 'weidian') as OrderLayout), columns: GENERIC }, cells);
  return cols.orderNo !== undefined && cols.quantity !== undefined;
}
