import { z } from 'zod';
import { WRITE_INTENT_NAMES } from './intents/write-intents.ts';

/**
 * The typed result of parsing one chat message. Every parser in `src/bot/parse` produces one of
 * these (or nothing); handlers consume them. Quantities here are plain numbers in the unit the
 * product is kept in (conversions such as 1箱=24瓶 are already applied); money is integer 分.
 */

/** A period for reports, in UTC instants; `to` is exclusive. `label` is how the user said it. */
export const periodSchema = z.object({
  from: z.date(),
  to: z.date(),
  label: z.string(),
});
export type Period = z.infer<typeof periodSchema>;

/** One product line of a write command (`T恤 50件 单价 20`). */
export const itemSchema = z.object({
  /** Product name as resolved against the catalogue (canonical name when it matched one). */
  product: z.string().min(1),
  /** True when `product` matched a catalogue name or alias; false for a new/unknown name. */
  known: z.boolean(),
  /** Quantity in the product's own unit after conversion; positive (zero only for a stocktake: `盘点 T恤 0`). */
  quantity: z.number().nonnegative(),
  /** Unit as written (`件`, `箱`), or undefined when none was written. */
  unit: z.string().optional(),
  /** Unit price in 分, when a unit price (单价 X, X元, @X, 每件 X) was given. */
  unitPrice: z.number().int().nonnegative().optional(),
  /** Exact total in 分, when a total (共 / 总价 / 合计 X) was given. */
  total: z.number().int().nonnegative().optional(),
  /** The quantity as written (`3箱`, `1斤2两`) when it was not in the product's unit. */
  writtenQuantity: z.string().optional(),
  /** The price number as written, in 分: per `unit` (a unit price) or the line total. */
  writtenPrice: z.object({ cents: z.number().int().nonnegative(), unit: z.string().optional(), total: z.boolean() }).optional(),
  /** The price was written so it reads one way only (`每箱48`, `48元/箱`, `共 1000`): not questioned. */
  priceSure: z.literal(true).optional(),
  /** Percent of the price charged (`8折` → 80), against the written price or the set 售价. */
  rate: z.number().int().min(1).max(99).optional(),
  /** 分 off the line (`优惠5元`). */
  discount: z.number().int().nonnegative().optional(),
  /** 分 of freight written on this line (`运费10元`), spread over the message's items as landed cost. */
  freight: z.number().int().nonnegative().optional(),
  /** This item's own channel, customer/supplier or location, when items of one message differ. */
  channel: z.string().optional(),
  counterparty: z.string().optional(),
  location: z.string().optional(),
  /** Words written with the item that are not fields (`顾客要白色的`, `单号 778899`). */
  note: z.string().optional(),
  /** The batch named (`批次 A1101`): goods come into it or are taken from it. */
  batch: z.string().min(1).optional(),
  /** Goods coming in: the start of their last good day and of the day they were made, in the shop's zone. */
  expiresAt: z.date().optional(),
  producedAt: z.date().optional(),
  /** `进货 新品 X …`: the writer says X is a new product, so no "did you mean" question. */
  newProduct: z.literal(true).optional(),
});
export type Item = z.infer<typeof itemSchema>;

const writeBase = {
  /** When it happened, if the message said (昨天, 3月5日); otherwise now. */
  occurredAt: z.date().optional(),
  items: z.array(itemSchema).min(1),
  /** Sales channel for every item without its own: 淘宝 京东 拼多多 …, or as written (微信, 得物). */
  channel: z.string().optional(),
  /** Supplier (供应商 X) or customer (客户 X). */
  counterparty: z.string().optional(),
  /** Stock location (从 X仓 / 在 X仓), default location when absent. */
  location: z.string().optional(),
};

type WriteName = (typeof WRITE_INTENT_NAMES)[number];

/** Fields a write intent has beyond the shared ones: 调拨 names where the goods go. */
const writeExtra = { transfer: { to: z.string().min(1) } } as const;
type WriteExtra<I extends WriteName> = I extends keyof typeof writeExtra ? (typeof writeExtra)[I] : Record<never, never>;

function writeSchema<I extends WriteName>(intent: I) {
  const extra = (writeExtra as Partial<Record<WriteName, object>>)[intent] ?? {};
  return z.object({ intent: z.literal(intent), ...writeBase, ...(extra as WriteExtra<I>) });
}

type WriteSchemas<T extends readonly WriteName[]> = { -readonly [K in keyof T]: T[K] extends WriteName ? ReturnType<typeof writeSchema<T[K]>> : never };

/** One schema per write intent of the registry (src/bot/intents/write-intents.ts), as a tuple so `Command` keeps each one's type. */
const writeSchemas = WRITE_INTENT_NAMES.map(writeSchema) as unknown as WriteSchemas<typeof WRITE_INTENT_NAMES>;

export const commandSchema = z.discriminatedUnion('intent', [
  ...writeSchemas,
  z.object({
    intent: z.literal('query'),
    /** Product name (resolved like items), or undefined for all stock. */
    product: z.string().optional(),
    known: z.boolean().optional(),
    /** Several products at once (`查 卫衣，帆布包`); `product` is the first of them. */
    products: z.array(z.object({ product: z.string().min(1), known: z.boolean() })).min(2).optional(),
    filter: z.enum(['shortage', 'overstock']).optional(),
    /** `卫衣 进价多少`: the purchase cost rather than the stock (owners only). */
    field: z.literal('cost').optional(),
  }),
  z.object({
    intent: z.literal('undo'),
    /** `撤销 #123`; undefined means "my last message" or the replied-to entry. */
    entryNo: z.number().int().positive().optional(),
  }),
  z.object({
    intent: z.literal('correct'),
    entryNo: z.number().int().positive(),
    field: z.enum(['quantity', 'unitPrice']),
    /** Quantity (unit) or 分 (unitPrice). */
    value: z.number().positive(),
    /** Both fields in one message (`改 #12 数量 2 单价 60`): every change, the first one also above. */
    changes: z.array(z.object({ field: z.enum(['quantity', 'unitPrice']), value: z.number().positive() })).min(2).optional(),
  }),
  z.object({
    intent: z.literal('report'),
    /** weekly/monthly: the 周报/月报; ledger: the entries themselves (流水). */
    kind: z.enum(['daily', 'weekly', 'monthly', 'profit', 'sales', 'top', 'slow', 'ledger']),
    period: periodSchema.optional(),
    byChannel: z.boolean().optional(),
    /** One product's figures only (`卫衣 这个月卖了多少`). */
    product: z.string().optional(),
    /** `日报 图`, `销量 本月 图`, `利润 本月 图`: answered with a picture, the text as its caption. */
    picture: z.literal(true).optional(),
  }),
  z.object({
    intent: z.literal('setting'),
    key: z.enum([
      'reorderLevel',
      'overstockLevel',
      'salePrice',
      'leadTime',
      'mode',
      'unitConversion',
      'digestTime',
      'timeZone',
      'sku',
    ]),
    product: z.string().optional(),
    known: z.boolean().optional(),
    /** Numbers for levels/prices (prices in 分), strings for the rest (`21:00`, `presale`). */
    value: z.union([z.number(), z.string()]),
    /** For unitConversion: `1箱=24瓶` gives unit 箱, factor 24 (base unit 瓶 in `value`). */
    unit: z.string().optional(),
    factor: z.number().positive().optional(),
    /** For mode 一件代发: the supplier who ships it (`供应商 老李`). */
    supplier: z.string().min(1).optional(),
    /** For mode 一件代发: the unit cost agreed with the supplier in 分 (`进价 6`). */
    cost: z.number().int().nonnegative().optional(),
  }),
  z.object({
    intent: z.literal('payables'),
    /** One supplier (`应付 老李`), or every supplier when absent. */
    supplier: z.string().min(1).optional(),
    /** 本月 when none is written. */
    period: periodSchema,
  }),
  z.object({ intent: z.literal('alias'), product: z.string().min(1), known: z.boolean(), aliases: z.array(z.string().min(1)).min(1) }),
  z.object({ intent: z.literal('help'), topic: z.string().optional() }),
  /** 网页: a one-time sign-in link to the web view (private chats). */
  z.object({ intent: z.literal('web') }),
  // Spreadsheets (src/bot/files): owners, in their private chat.
  z.object({ intent: z.literal('export'), what: z.enum(['entries', 'stock']), period: periodSchema.optional() }),
  /**
   * A spreadsheet sent to the bot, or on the console `导入 <path>`; `kind` when the words say 库存, 流水
   * or 订单; `platform` when they name the shop back-end an order export comes from (快手, 天猫 …).
   */
  z.object({ intent: z.literal('importFile'), path: z.string().min(1).optional(), kind: z.enum(['stock', 'entries', 'orders']).optional(), platform: z.string().min(1).optional() }),
  z.object({ intent: z.literal('confirmImport'), skipBad: z.boolean() }),
  z.object({ intent: z.literal('cancelImport') }),
]);
export type Command = z.infer<typeof commandSchema>;
export type Intent = Command['intent'];
