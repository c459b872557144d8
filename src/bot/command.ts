import { z } from 'zod';

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
  /** This item's own channel, customer/supplier or location, when items of one message differ. */
  channel: z.string().optional(),
  counterparty: z.string().optional(),
  location: z.string().optional(),
  /** Words written with the item that are not fields (`顾客要白色的`, `单号 778899`). */
  note: z.string().optional(),
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

export const commandSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('purchase'), ...writeBase }),
  z.object({ intent: z.literal('sale'), ...writeBase }),
  z.object({ intent: z.literal('customerReturn'), ...writeBase }),
  z.object({ intent: z.literal('supplierReturn'), ...writeBase }),
  z.object({ intent: z.literal('stocktake'), ...writeBase }),
  z.object({ intent: z.literal('transfer'), ...writeBase, to: z.string().min(1) }),
  z.object({
    intent: z.literal('query'),
    /** Product name (resolved like items), or undefined for all stock. */
    product: z.string().optional(),
    known: z.boolean().optional(),
    filter: z.enum(['shortage', 'overstock']).optional(),
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
  }),
  z.object({
    intent: z.literal('report'),
    kind: z.enum(['daily', 'profit', 'sales', 'top', 'slow']),
    period: periodSchema.optional(),
    byChannel: z.boolean().optional(),
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
  }),
  z.object({ intent: z.literal('alias'), product: z.string().min(1), known: z.boolean(), aliases: z.array(z.string().min(1)).min(1) }),
  z.object({ intent: z.literal('help'), topic: z.string().optional() }),
]);
export type Command = z.infer<typeof commandSchema>;
export type Intent = Command['intent'];
