import { defineIntent, RECORDERS } from './intent.ts';

/* The intents that record ledger entries. They share the item grammar (src/bot/parse/write-command.ts)
   and their confirmations carry the 撤销 button on every chat that has buttons. */

export const purchase = defineIntent({
  intent: 'purchase',
  verbs: ['进货', '入库', '采购', '到货', '补货', '买入'],
  colloquial: ['进了', '进', '到了', '到的', '补了', '入库了', '采购了', '送来了', '送来', '发来了', '发来'],
  label: '进货',
  help: {
    summary: '进货入库（可写单价、总价、供应商）',
    examples: ['进货 T恤 50件 单价 20', '采购 T恤 x50 @20 供应商 老王', '进货 T恤 50件 20元，短裤 30条 15元', '昨天 进货 T恤 五十件 共 1000 元'],
    notes: [
      '单价可写 单价 20、20元、@20、¥20、每件 20；总价写 共/总价/合计 1000。',
      '新商品名会自动建档；名字和已有商品很像时会先问一句，确实是新商品就写「进货 新品 卫衣衣 10件 35」。',
      '平常的说法也行：「老板，今天到了50件T恤，单价20」「T恤到货50件 20一件」「进T恤50件20」。',
      '批次和效期：「进货 牛奶 100箱 单价 30 批次 A1101 到期 2027-05-01」，或写生产日期和保质期「… 生产 2026-11-01 保质期 6个月」；日期也可写 2027.5.1、27年5月1日。',
    ],
  },
  permission: RECORDERS,
  writes: true,
  // An unknown name is allowed — the handler creates the product.
  parse: {
    fields: ['batch', 'batchDates', 'sourceLocation', 'arrivalLocation', 'counterparty', 'channel', 'barePlace'],
    example: (name, unit) => `进货 ${name} 50${unit} 单价 20`,
  },
});

export const sale = defineIntent({
  intent: 'sale',
  verbs: ['出货', '出库', '销售', '卖出', '卖了', '发货', '售出'],
  colloquial: ['卖给', '卖', '出了', '出', '发了', '卖掉'],
  label: '出货',
  topicWords: ['出售', '卖'],
  help: {
    summary: '出货卖出（不写价格就用设置的售价）',
    examples: ['出货 T恤 3件 单价 59', '卖了 T恤 3件 59元 淘宝', '出库 T恤 3'],
    notes: [
      '渠道：淘宝 天猫 京东 拼多多 抖音 快手 小红书 微店 线下（tb pdd dy jd 也认），微信、朋友圈、得物等照写的记。',
      '每个商品可以有自己的渠道和客户：「卖了 T恤 1件 59 淘宝，短裤 1条 39 京东」；写在最前面或最后的对所有商品有效。',
      '后面多写的话记成备注：「卖了 T恤 1件 59 顾客要白色的」「… 单号 778899」（单号不会当成价格）。',
      '日期、渠道可以写在前面：「25号 拼多多 卖出 T恤 2件 59」；也可以写「京东卖了T恤2件59」。',
      '库存不够会拒绝，预售和代发商品除外。',
      '有批次的商品先出没标批次的老货，再按先到期先出；已过期的批次只在点名（卖了 牛奶 3箱 批次 A1101）或别的不够时才出，并会提醒。',
    ],
  },
  permission: RECORDERS,
  writes: true,
  // No price is fine: the handler uses the set sale price.
  parse: {
    fields: ['batch', 'batchDates', 'sourceLocation', 'counterparty', 'channel', 'barePlace'],
    example: (name, unit) => `出货 ${name} 3${unit} 单价 59`,
  },
});

export const customerReturn = defineIntent({
  intent: 'customerReturn',
  verbs: ['退货', '客退'],
  colloquial: ['退了', '退回来', '退回', '退', '客退了'],
  label: '客户退货',
  topicWords: ['退款', 'return'],
  help: {
    summary: '客户退货回库',
    examples: ['退货 T恤 1件', '退货 T恤 1件 退款 59', '客退 T恤 2件 每件 59'],
    notes: ['「退款 59」是退给客户的总金额；按件退写「每件 59」。'],
  },
  permission: RECORDERS,
  writes: true,
  // `退款 59` is the amount refunded, kept as the exact total.
  parse: {
    fields: ['batch', 'batchDates', 'sourceLocation', 'arrivalLocation', 'counterparty', 'channel', 'barePlace'],
    example: (name, unit) => `退货 ${name} 1${unit} 退款 59`,
  },
});

export const supplierReturn = defineIntent({
  intent: 'supplierReturn',
  verbs: ['退供', '退厂'],
  colloquial: ['退供应商', '退给供应商', '退回供应商', '退回厂家', '退给厂家', '退回给', '退给'],
  label: '退给供应商',
  topicWords: ['退供应商'],
  help: {
    summary: '退回给供应商',
    examples: ['退供 T恤 5件', '退厂 T恤 5件 供应商 老王'],
  },
  permission: RECORDERS,
  writes: true,
  parse: {
    fields: ['batch', 'batchDates', 'sourceLocation', 'counterparty', 'barePlace'],
    example: (name, unit) => `退供 ${name} 5${unit}`,
  },
});

export const stocktake = defineIntent({
  intent: 'stocktake',
  verbs: ['盘点'],
  colloquial: ['盘了下', '盘了一下', '盘一下', '盘了'],
  label: '盘点',
  help: {
    summary: '盘点，把库存改成实际数量（自动记盘盈/盘亏）',
    examples: ['盘点 T恤 45', '盘点 可乐 3箱', '盘点 T恤 45 在 门店'],
    notes: ['同一商品放在几个地方时，要写盘的是哪里（在 门店），不写会先问。', '只盘一个批次写「盘点 牛奶 45 批次 A1101」：差额只算这个批次的。'],
  },
  permission: RECORDERS,
  writes: true,
  // The number is the counted on-hand quantity, not a change; the handler books 盘盈/盘亏.
  parse: {
    fields: ['batch', 'batchDates', 'sourceLocation', 'countWords', 'barePlace'],
    example: (name) => `盘点 ${name} 45`,
  },
});

export const transfer = defineIntent({
  intent: 'transfer',
  verbs: ['调拨', '调货', '移库'],
  colloquial: ['调回', '调'],
  label: '调拨',
  help: {
    summary: '在仓库之间调拨',
    examples: ['调拨 T恤 20件 到 天猫仓', '调拨 T恤 20件 从 总仓 到 天猫仓', '调拨 T恤 5件 门店→仓库'],
    notes: ['「仓库」「总仓」指默认仓（店里没有叫这个名字的地方时）。'],
  },
  permission: RECORDERS,
  writes: true,
  // The destination is required; the source defaults to the main location.
  parse: {
    fields: ['batch', 'batchDates', 'arrowTransfer', 'sourceLocation', 'transferTarget', 'bareTarget'],
    example: (name, unit) => `调拨 ${name} 20${unit} 到 天猫仓`,
  },
});
