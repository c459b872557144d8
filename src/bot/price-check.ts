import { checkPrice, type PriceKnowledge, type PricedLine } from '../core/plausibility.ts';
import { spreadFreight } from '../core/pricing.ts';
import { averageCost } from '../core/valuation.ts';
import type { InventoryStore } from '../core/ports.ts';
import { MILLI } from '../core/quantity.ts';
import type { Command, Item } from './command.ts';
import type { Catalogue } from './parse/index.ts';
import { farPriceWarning, freightRefusal, priceDoubtReply } from './replies.ts';

/**
 * The write path's checks before anything is recorded: freight is spread over a purchase's lines
 * (or refused elsewhere), and each written price is compared with what the shop knows of the
 * product (src/core/plausibility.ts). Returns the items to record, or the reply that asks instead.
 */

type WriteCommand = Extract<Command, { items: Item[] }>;

const PRICED: ReadonlySet<string> = new Set(['purchase', 'sale', 'customerReturn', 'supplierReturn']);

/** The line as the plausibility rule sees it, or undefined when no price was written. */
function pricedLine(item: Item): PricedLine | undefined {
  const quantityMilli = Math.round(item.quantity * MILLI);
  if (item.writtenPrice !== undefined) return { quantityMilli, cents: item.writtenPrice.cents, total: item.writtenPrice.total, unit: item.writtenPrice.unit };
  if (item.unitPrice !== undefined) return { quantityMilli, cents: item.unitPrice, total: false };
  if (item.total !== undefined) return { quantityMilli, cents: item.total, total: true };
  return undefined;
}

/** Checks a write command; `items` are what to record when `reply` is undefined. */
export async function checkWrite(
  store: InventoryStore,
  catalogue: Catalogue,
  shopId: number,
  command: WriteCommand,
  seeCost: boolean,
): Promise<{ items: Item[]; warnings: string[]; reply?: undefined } | { reply: string }> {
  const warnings: string[] = [];
  let items = command.items;
  if (items.some((i) => (i.freight ?? 0) > 0)) {
    if (command.intent !== 'purchase') {
      const first = items[0];
      const unit = (first?.known === true ? catalogue.resolve(first.product)?.unit : first?.unit) ?? '件';
      return { reply: freightRefusal(command.intent, first?.product ?? 'T恤', unit) };
    }
    items = spreadFreight(items);
  }
  if (!PRICED.has(command.intent)) return { items, warnings };
  const forSale = command.intent === 'sale' || command.intent === 'customerReturn';
  for (const item of items) {
    const line = pricedLine(item);
    const product = item.known ? catalogue.resolve(item.product) : undefined;
    if (line === undefined || product === undefined || item.priceSure === true) continue;
    const record = await store.transaction((uow) => uow.findProduct(shopId, product.name));
    if (record === undefined) continue;
    // What the product row says is enough when the price fits it; stock and recent prices are
    // read only for a price that does not.
    const cheap: PriceKnowledge = { salePrice: record.salePrice, lastCost: record.lastCost };
    let verdict = checkPrice(line, product, cheap, forSale);
    if (!verdict.ok || verdict.far !== undefined || (record.salePrice === null && record.lastCost === null)) {
      const rows = await store.stock(shopId, record.id);
      const balance = { qtyMilli: rows.reduce((s, r) => s + r.qtyMilli, 0), value: rows.reduce((s, r) => s + r.value, 0) };
      const knowledge: PriceKnowledge = {
        ...cheap,
        averageCost: averageCost(balance),
        recent: await store.recentUnitPrices(record.id, forSale ? 'sale' : 'purchase', 5),
      };
      verdict = checkPrice(line, product, knowledge, forSale);
    }
    if (!verdict.ok) return { reply: priceDoubtReply(command.intent, item, product.unit, verdict, seeCost) };
    if (verdict.far !== undefined) warnings.push(farPriceWarning(item, product.unit, verdict.far.written, verdict.far.references, seeCost));
  }
  return { items, warnings };
}
