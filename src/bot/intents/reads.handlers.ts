import { stockHealthNow } from '../../core/digest.ts';
import type { ShopRecord, StockRow } from '../../core/ports.ts';
import { batchStockLines } from '../batch-text.ts';
import { MILLI } from '../../core/quantity.ts';
import { repostingBefore } from '../../core/repost.ts';
import { localDate } from '../../core/zoned-time.ts';
import type { Command } from '../command.ts';
import { collectSalesSeries } from '../../core/sales-series.ts';
import { digestReply, overstockText, renderDigest, shortageText } from '../digest.ts';
import { collectDigestPicture, digestPictureView } from '../pictures/digest-picture.ts';
import { PICTURE_KINDS } from '../pictures/picture-replies.ts';
import { profitPictureView, salesPictureView } from '../pictures/report-pictures.ts';
import { qty, yuanGrouped } from '../format.ts';
import { refusalText } from '../refusals.ts';
import { REPOSTING_NOTE, stockLine, entryText } from '../replies.ts';
import { ledgerReport, renderReport } from '../reports.ts';
import type { Handler, HandlerServices } from './handler.ts';

/** Lines of a long list before it is cut, so a reply fits a phone screen. */
const MAX_LIST = 30;

/** 查: stock, cost, shortages and overstock. */
export const queryHandler: Handler<'query'> = async (command, { shop, seeCost, reply, bot }) => reply(await query(bot, shop, command, seeCost));

/** 日报, 销量, 利润, 流水 …: the reports; with 图, a picture too (日报, 销量, 利润). */
export const reportHandler: Handler<'report'> = async (command, { shop, seeCost, now, reply, bot }) => {
  if (command.picture !== true) return reply(await report(bot, shop, command, seeCost, now));
  const daily = dailyDate(command, shop);
  if (daily !== undefined) {
    // One digest for both: the picture and its caption show the same figures.
    const content = await collectDigestPicture(bot.digest, shop, now, daily.date);
    const text = renderDigest(content.digest, { seeCost });
    return { ...reply(text), picture: { name: `日报-${content.digest.date}.png`, view: digestPictureView(content, seeCost ? 'owner' : 'staff') } };
  }
  const text = await report(bot, shop, command, seeCost, now);
  const period = command.period;
  // 利润 is refused to all but owners by the text above; nothing is drawn for them. A product's figures have no chart.
  if (period === undefined || command.product !== undefined || (command.kind === 'profit' && !seeCost)) return reply(text);
  if (command.kind !== 'sales' && command.kind !== 'profit') return reply(`${text}\n${PICTURE_KINDS}`);
  const series = await collectSalesSeries(bot.digest, shop.id, period.from, period.to, shop.timeZone);
  const view = command.kind === 'sales' ? salesPictureView(shop, period, series) : profitPictureView(shop, period, series);
  return { ...reply(text), picture: { name: `${command.kind === 'sales' ? '销量' : '利润'}-${period.label}.png`, view } };
};

/** The local date of a one-day 日报 (undefined: today), or undefined when the command is not one. */
function dailyDate(command: Extract<Command, { intent: 'report' }>, shop: ShopRecord): { date: string | undefined } | undefined {
  const period = command.period;
  if (command.kind !== 'daily' || (period !== undefined && !isOneDay(period))) return undefined;
  return { date: period ? localDate(period.from, shop.timeZone) : undefined };
}

const isOneDay = (period: { from: Date; to: Date }): boolean => period.to.getTime() - period.from.getTime() <= 25 * 3_600_000;

async function query(bot: HandlerServices, shop: ShopRecord, command: Extract<Command, { intent: 'query' }>, seeCost: boolean): Promise<string> {
  if (command.filter === 'shortage' || command.filter === 'overstock') {
    const health = await stockHealthNow(bot.digest, shop.id, bot.clock.now());
    if (command.filter === 'shortage') {
      const rows = health.shortages;
      if (rows.length === 0) return '✅ 没有缺货、低于预警或快卖完的商品。';
      return [`⚠️ 缺货/低库存 ${rows.length} 种：`, ...rows.slice(0, MAX_LIST).map(shortageText), ...more(rows.length)].join('\n');
    }
    const rows = health.overstock;
    if (rows.length === 0) return '✅ 没有积压或滞销的商品。';
    return [`📦 积压/滞销 ${rows.length} 种：`, ...rows.slice(0, MAX_LIST).map((o) => overstockText(o, health.settings.noSaleDays)), ...more(rows.length)].join('\n');
  }
  if (command.field === 'cost' && command.product !== undefined) return await costQuery(bot, shop, command.product, seeCost);
  if (command.products !== undefined) {
    const answers: string[] = [];
    for (const p of command.products) {
      const result = await bot.service.stock(shop.id, p.product);
      answers.push(result.ok ? await productStock(bot, shop, result.value, seeCost) : await bot.refusal(result, shop.id, 'query'));
    }
    return answers.join('\n');
  }
  if (command.product !== undefined) {
    const result = await bot.service.stock(shop.id, command.product);
    if (!result.ok) return await bot.refusal(result, shop.id, 'query');
    return await productStock(bot, shop, result.value, seeCost);
  }
  const rows = await bot.store.stock(shop.id);
  if (rows.length === 0) return '📦 还没有库存。先进货，例：进货 T恤 50 件 单价 20';
  const byProduct = new Map<number, typeof rows>();
  for (const r of rows) byProduct.set(r.productId, [...(byProduct.get(r.productId) ?? []), r]);
  const lines = [...byProduct.values()].map((group) => `· ${stockLine(group, seeCost)}`);
  const units = rows.reduce((s, r) => s + r.qtyMilli, 0);
  const value = rows.reduce((s, r) => s + r.value, 0);
  const head = `📦 库存 ${byProduct.size} 种，共 ${qty(units, '')} 个单位${seeCost ? `，金额 ${yuanGrouped(value)} 元` : ''}`;
  return [head, ...lines.slice(0, MAX_LIST), ...more(lines.length)].join('\n');
}

/** One product's stock line, and under it its batches with what each holds and when it expires. */
async function productStock(bot: HandlerServices, shop: ShopRecord, rows: StockRow[], seeCost: boolean): Promise<string> {
  const head = `📦 ${stockLine(rows, seeCost)}`;
  const first = rows[0];
  if (first === undefined) return head;
  const view = { timeZone: shop.timeZone, warnDays: (await bot.digest.settings(shop.id)).expiryWarnDays, now: bot.clock.now() };
  return [head, ...batchStockLines(rows, await bot.store.batches(shop.id, first.productId), view)].join('\n');
}

/** `卫衣 进价多少`: average cost of the stock and the last purchase price, for owners only. */
async function costQuery(bot: HandlerServices, shop: ShopRecord, name: string, seeCost: boolean): Promise<string> {
  if (!seeCost) return refusalText({ code: 'COST_OWNER_ONLY', product: name });
  const result = await bot.service.stock(shop.id, name);
  if (!result.ok) return await bot.refusal(result, shop.id, 'query');
  const rows = result.value;
  const first = rows[0];
  if (first === undefined) return `📦 ${name}：还没有库存。`;
  const product = (await bot.store.products(shop.id)).find((p) => p.id === first.productId);
  if (product?.mode === 'dropship') {
    const supplier = product.dropshipSupplier ? `，供应商 ${product.dropshipSupplier}` : '，还没设供应商';
    const agreed = product.dropshipCost ?? null;
    const cost = agreed !== null ? `代发进价 ${yuanGrouped(agreed)} 元/${first.unit}` : `还没设代发进价（按最近一次进价${product.lastCost !== null ? ` ${yuanGrouped(product.lastCost)} 元` : ''}算成本）`;
    return `💰 ${first.product}：一件代发${supplier}，${cost}`;
  }
  const qtyMilli = rows.reduce((s, r) => s + r.qtyMilli, 0);
  const value = rows.reduce((s, r) => s + r.value, 0);
  const avg = qtyMilli > 0 ? Math.round((value * MILLI) / qtyMilli) : null;
  const parts = [
    avg === null ? '现在没有库存，算不出均价' : `库存均价 ${yuanGrouped(avg)} 元/${first.unit}`,
    product?.lastCost !== null && product?.lastCost !== undefined ? `最近一次进价 ${yuanGrouped(product.lastCost)} 元` : '还没有进货记录',
  ];
  return `💰 ${first.product}：${parts.join('，')}`;
}

/**
 * A report over a period whose costs a queued repost is still recomputing (an entry was recorded for
 * an earlier date into a long history) says so; the bot finishes such reposts within seconds.
 */
async function report(bot: HandlerServices, shop: ShopRecord, command: Extract<Command, { intent: 'report' }>, seeCost: boolean, now: Date): Promise<string> {
  const text = await reportText(bot, shop, command, seeCost, now);
  const reposting = seeCost && repostingBefore(await bot.store.queuedReposts(shop.id), command.period?.to ?? now);
  return reposting ? `${text}\n${REPOSTING_NOTE}` : text;
}

async function reportText(bot: HandlerServices, shop: ShopRecord, command: Extract<Command, { intent: 'report' }>, seeCost: boolean, now: Date): Promise<string> {
  // 日报 for one day is the digest itself (not counted as the scheduled one); other periods get the report tables.
  const period = command.period;
  const oneDay = period === undefined || isOneDay(period);
  if (command.kind === 'daily' && oneDay) {
    return await digestReply(bot.digest, shop, seeCost, now, period ? localDate(period.from, shop.timeZone) : undefined);
  }
  if (command.kind === 'ledger' && period !== undefined) {
    const entries = await bot.store.entries(shop.id, { from: period.from, to: period.to });
    return ledgerReport(entries, shop, period, seeCost, entryText);
  }
  const health = (noSaleDays?: number) => stockHealthNow(bot.digest, shop.id, now, noSaleDays === undefined ? {} : { noSaleDays });
  return await renderReport(bot.reports, await bot.store.stock(shop.id), health, shop, command, seeCost, now);
}

function more(total: number): string[] {
  return total > MAX_LIST ? [`…共 ${total} 种，完整清单请导出：npx jxc export stock --format csv`] : [];
}
