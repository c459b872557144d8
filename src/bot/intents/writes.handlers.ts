import { batchMoveLines } from '../batch-text.ts';
import type { Command } from '../command.ts';
import { qty, yuanGrouped } from '../format.ts';
import { nearDuplicates } from '../parse/index.ts';
import { checkWrite } from '../price-check.ts';
import { writeReply } from '../replies.ts';
import type { Handler, HandlerServices } from './handler.ts';
import type { WriteIntent } from './index.ts';

/** Every write intent of the registry shares one handler: questions, price checks, then the ledger. */
export const writeHandler: Handler<WriteIntent> = async (c, { shop, source, seeCost, reply, bot }) => {
  if (c.intent === 'stocktake') {
    const question = await whichLocation(bot, shop.id, c);
    if (question !== undefined) return reply(question);
  }
  if (c.intent === 'purchase') {
    const question = await newOrKnown(bot, shop.id, c);
    if (question !== undefined) return reply(question);
  }
  // Freight is spread and doubtful prices are asked about before anything is recorded.
  const checked = await checkWrite(bot.store, await bot.catalogue(shop.id), shop.id, c, seeCost);
  if (checked.reply !== undefined) return reply(checked.reply);
  const result = await bot.service.record(
    shop.id,
    {
      kind: c.intent,
      items: checked.items,
      occurredAt: c.occurredAt,
      channel: c.channel,
      counterparty: c.counterparty,
      location: c.location,
      to: c.intent === 'transfer' ? c.to : undefined,
    },
    source,
  );
  if (!result.ok) return reply(await bot.refusal(result, shop.id, c.intent));
  if (result.value.createdProducts.length > 0) bot.invalidate(shop.id);
  const details = c.intent === 'transfer' ? [] : checked.items;
  const warned = checked.warnings.length > 0 && !result.value.duplicate ? `\n${checked.warnings.join('\n')}` : '';
  const moved = result.value.batches;
  const view = async () => ({ timeZone: shop.timeZone, warnDays: (await bot.digest.settings(shop.id)).expiryWarnDays, now: bot.clock.now() });
  const batches = moved.length > 0 ? batchMoveLines(moved, result.value.entries, await view()) : [];
  const batchText = batches.length > 0 ? `\n${batches.join('\n')}` : '';
  return reply(writeReply(result.value, seeCost, details) + batchText + warned, result.value.entries.map((e) => e.seq), result.value.duplicate);
};

/**
 * `盘点 X 45` for a product kept in several places: the count is for one place, and which one
 * is not guessed. Returns the question, or undefined when every item is clear.
 */
async function whichLocation(bot: HandlerServices, shopId: number, c: Extract<Command, { intent: 'stocktake' }>): Promise<string | undefined> {
  const catalogue = await bot.catalogue(shopId);
  for (const item of c.items) {
    if ((item.location ?? c.location) !== undefined) continue;
    const product = catalogue.resolve(item.product);
    if (product === undefined) continue;
    const rows = (await bot.store.stock(shopId)).filter((r) => r.product === product.name && r.qtyMilli !== 0);
    if (rows.length < 2) continue;
    const places = rows.map((r) => `${r.location} ${qty(r.qtyMilli, r.unit)}`).join('，');
    const other = rows.find((r) => r.location !== rows[0]?.location)?.location ?? rows[0]?.location ?? '门店';
    return `❓ ${product.name} 在 ${rows.length} 个地方有库存（${places}），这次盘的是哪里？请写上地点，没有写的不记账。\n例：盘点 ${product.name} ${item.quantity} 在 ${other}`;
  }
  return undefined;
}

/**
 * A purchase under a new name that is nearly a known one (`卫衣衣`, `T恤白 L`) would silently
 * split one product in two; ask first. `进货 新品 …` says it really is new.
 */
async function newOrKnown(bot: HandlerServices, shopId: number, c: Extract<Command, { intent: 'purchase' }>): Promise<string | undefined> {
  for (const item of c.items) {
    if (item.known || item.newProduct === true) continue;
    const close = nearDuplicates(item.product, await bot.catalogue(shopId), 3);
    const first = close[0];
    if (first === undefined) continue;
    const rest = `${item.quantity}${item.unit ?? ''}${item.unitPrice !== undefined ? ` ${yuanGrouped(item.unitPrice)}` : ''}`;
    return `❓ 「${item.product}」是不是「${close.join('」或「')}」？为了不把一个商品记成两个，这条没有记账。\n是的话写：进货 ${first} ${rest}\n确实是新商品就写：进货 新品 ${item.product} ${rest}`;
  }
  return undefined;
}
