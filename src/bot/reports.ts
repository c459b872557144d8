import { grossProfit, margin, slowMovers, topProducts } from '../core/analysis.ts';
import type { StockHealthNow } from '../core/digest.ts';
import type { EntryView, ShopRecord, StockRow } from '../core/ports.ts';
import type { ChannelSalesRow, ProductSalesRow, ReportQueries } from '../core/report-queries.ts';
import type { Command, Period } from './command.ts';
import { percent, qty, yuanGrouped } from './format.ts';
import { localDay, localTime, startOfDayAt } from '../core/zoned-time.ts';
import { parsePeriod } from './parse/index.ts';
import { refusalText } from './refusals.ts';

/**
 * The analysis replies (销量 / 利润 / 畅销 / 滞销 / 日报, each optionally 按渠道) as compact text tables
 * that fit a phone screen. Cost, gross profit and stock value appear only when `seeCost` is true.
 */

type ReportCommand = Extract<Command, { intent: 'report' }>;

/** Columns of a table line; lines stay within this many half-width characters where possible. */
const WIDTH = 32;
/** Rows of a product list before it is cut. */
const LIST = 10;
const DAY_MS = 86_400_000;

/**
 * Renders one report command for a shop. `stockRows` is the shop's stock (for 滞销); `health` judges
 * 缺货, 积压 and 滞销 by the one stock rule, 滞销 over the shop's no-sale days unless given others.
 */
export async function renderReport(
  queries: ReportQueries,
  stockRows: readonly StockRow[],
  health: (noSaleDays?: number) => Promise<StockHealthNow>,
  shop: ShopRecord,
  command: ReportCommand,
  seeCost: boolean,
  now: Date,
): Promise<string> {
  if (command.kind === 'profit' && !seeCost) return refusalText({ code: 'PROFIT_OWNER_ONLY' });
  const period = command.period ?? defaultPeriod(command.kind, shop, now);
  switch (command.kind) {
    case 'slow':
      return await slowReport(queries, stockRows, health, shop, command.period, seeCost, now);
    case 'daily':
      return await dailyReport(queries, await health(), shop, period, seeCost);
    case 'weekly':
    case 'monthly':
      return await periodReport(queries, await health(), shop, command.kind === 'weekly' ? '周报' : '月报', period, seeCost);
    case 'ledger':
      // The engine answers 流水 from the entries themselves (ledgerReport); it always has a period.
      return '🧾 要看哪天的流水？例：今天的流水、昨天的流水、上周的流水';
    default:
      if (command.product !== undefined) return await productSalesReport(queries, shop, command.product, period, seeCost);
      if (command.byChannel) return await channelReport(queries, shop, command.kind, period, seeCost);
      if (command.kind === 'profit') return await profitReport(queries, shop, period);
      if (command.kind === 'top') return await topReport(queries, shop, period, seeCost);
      return await salesReport(queries, shop, period, seeCost);
  }
}

function span(period: Period, shop: ShopRecord): string {
  return `${period.label}（${localDay(period.from, shop.timeZone)}–${localDay(new Date(period.to.getTime() - 1), shop.timeZone)}）`;
}

async function salesReport(queries: ReportQueries, shop: ShopRecord, period: Period, seeCost: boolean): Promise<string> {
  const totals = await queries.salesTotals(shop.id, period.from, period.to);
  const rows = (await queries.salesByProduct(shop.id, period.from, period.to)).filter((r) => r.soldMilli !== 0 || r.revenue !== 0);
  const lines = [`📈 销量 ${span(period, shop)}`, `销售额 ${yuanGrouped(totals.revenue)} 元，${totals.sales} 笔${totals.refunds > 0 ? `（已扣退款 ${yuanGrouped(totals.refunds)}）` : ''}`];
  if (seeCost && totals.revenue !== 0) lines.push(profitLine(totals.revenue, totals.cost));
  if (rows.length === 0) return [...lines, '（这段时间没有销售）'].join('\n');
  lines.push(
    ...table(
      ['商品', '数量', '销售额'],
      rows.slice(0, LIST).map((r) => [r.product, qty(r.soldMilli, r.unit), yuanGrouped(r.revenue)]),
    ),
  );
  if (rows.length > LIST) lines.push(`…共 ${rows.length} 种。发「畅销 ${period.label}」看排行，完整清单请导出`);
  return lines.join('\n');
}

async function profitReport(queries: ReportQueries, shop: ShopRecord, period: Period): Promise<string> {
  const totals = await queries.salesTotals(shop.id, period.from, period.to);
  const lines = [`💰 利润 ${span(period, shop)}`, `销售额 ${yuanGrouped(totals.revenue)} 元，${totals.sales} 笔`, profitLine(totals.revenue, totals.cost)];
  const rows = (await queries.salesByProduct(shop.id, period.from, period.to)).filter((r) => r.revenue !== 0 || r.cost !== 0);
  if (rows.length === 0) return lines.join('\n');
  const ranked = [...rows].sort((a, b) => grossProfit(b) - grossProfit(a) || b.revenue - a.revenue);
  lines.push(
    ...table(
      ['商品', '毛利', '毛利率'],
      ranked.slice(0, LIST).map((r) => [r.product, yuanGrouped(grossProfit(r)), marginText(r)]),
    ),
  );
  if (ranked.length > LIST) lines.push(`…共 ${ranked.length} 种。按渠道看：利润 ${period.label} 按渠道`);
  return lines.join('\n');
}

async function topReport(queries: ReportQueries, shop: ShopRecord, period: Period, seeCost: boolean): Promise<string> {
  const rows = await queries.salesByProduct(shop.id, period.from, period.to);
  const byQty = topProducts(rows, 'quantity', LIST);
  const lines = [`🔥 畅销 ${span(period, shop)}`];
  if (byQty.length === 0) return [...lines, '（这段时间没有销售）'].join('\n');
  lines.push('按销量：', ...ranking(byQty.map((r) => [r.product, qty(r.soldMilli, r.unit)])));
  if (seeCost) {
    const byProfit = topProducts(rows, 'profit', LIST);
    if (byProfit.length > 0) lines.push('按毛利：', ...ranking(byProfit.map((r) => [r.product, yuanGrouped(grossProfit(r))])));
  }
  return lines.join('\n');
}

async function channelReport(queries: ReportQueries, shop: ShopRecord, kind: ReportCommand['kind'], period: Period, seeCost: boolean): Promise<string> {
  const rows = (await queries.salesByChannel(shop.id, period.from, period.to)).filter((r) => r.sales !== 0 || r.revenue !== 0);
  const title = { sales: '📈 销量', profit: '💰 利润', top: '🔥 畅销', daily: '📋 日报', weekly: '📋 周报', monthly: '📋 月报', slow: '🐢 滞销', ledger: '🧾 流水' }[kind];
  const lines = [`${title} 按渠道 ${span(period, shop)}`];
  if (rows.length === 0) return [...lines, '（这段时间没有销售）'].join('\n');
  const total = rows.reduce(
    (t, r) => ({ ...t, sales: t.sales + r.sales, revenue: t.revenue + r.revenue, cost: t.cost + r.cost }),
    { channel: '合计', sales: 0, revenue: 0, cost: 0 },
  );
  const name = (r: Pick<ChannelSalesRow, 'channel'>) => r.channel ?? '未填';
  const all = rows.length > 1 ? [...rows, total] : rows;
  if (seeCost) {
    lines.push(...table(['渠道', '笔数', '销售额', '毛利', '毛利率'], all.map((r) => [name(r), String(r.sales), yuanGrouped(r.revenue), yuanGrouped(r.revenue - r.cost), marginText(r)])));
  } else {
    lines.push(...table(['渠道', '笔数', '销售额'], all.map((r) => [name(r), String(r.sales), yuanGrouped(r.revenue)])));
  }
  return lines.join('\n');
}

async function slowReport(
  queries: ReportQueries,
  stockRows: readonly StockRow[],
  health: (noSaleDays?: number) => Promise<StockHealthNow>,
  shop: ShopRecord,
  period: Period | undefined,
  seeCost: boolean,
  now: Date,
): Promise<string> {
  const judged = await health(period ? Math.max(1, Math.round((period.to.getTime() - period.from.getTime()) / DAY_MS)) : undefined);
  const days = judged.settings.noSaleDays;
  const slowIds = new Set(judged.overstock.filter((o) => o.reasons.includes('noSale')).map((o) => o.productId));
  const slow = slowMovers(stockRows, await queries.lastSales(shop.id, now), now, slowIds);
  if (slow.length === 0) return `✅ 没有滞销：有库存、满 ${days} 天的商品在最近 ${days} 天都卖出过。`;
  const value = slow.reduce((s, p) => s + p.value, 0);
  const lines = [`🐢 滞销：${days} 天没卖出、仍有库存 ${slow.length} 种${seeCost ? `，压着 ${yuanGrouped(value)} 元` : ''}`];
  const idle = (d: number | null) => (d === null ? '从未卖出' : `${d}天前`);
  if (seeCost) lines.push(...table(['商品', '库存', '金额', '上次卖出'], slow.slice(0, LIST).map((p) => [p.product, qty(p.qtyMilli, p.unit), yuanGrouped(p.value), idle(p.idleDays)])));
  else lines.push(...table(['商品', '库存', '上次卖出'], slow.slice(0, LIST).map((p) => [p.product, qty(p.qtyMilli, p.unit), idle(p.idleDays)])));
  if (slow.length > LIST) lines.push(`…共 ${slow.length} 种，完整清单请导出：npx jxc export stock --format xlsx`);
  return lines.join('\n');
}

async function dailyReport(queries: ReportQueries, health: StockHealthNow, shop: ShopRecord, period: Period, seeCost: boolean): Promise<string> {
  const totals = await queries.salesTotals(shop.id, period.from, period.to);
  const rows = (await queries.salesByProduct(shop.id, period.from, period.to)).filter((r) => r.soldMilli !== 0 || r.revenue !== 0);
  const lines = [`📋 日报 ${localDay(period.from, shop.timeZone)}`];
  if (totals.sales === 0 && rows.length === 0) lines.push('今天没有销售。');
  else {
    lines.push(`销售 ${totals.sales} 笔，销售额 ${yuanGrouped(totals.revenue)} 元`);
    lines.push(...table(['商品', '数量', '销售额'], rows.slice(0, LIST).map((r) => [r.product, qty(r.soldMilli, r.unit), yuanGrouped(r.revenue)])));
    if (seeCost) lines.push(profitLine(totals.revenue, totals.cost));
  }
  const short = health.shortages;
  if (short.length > 0) lines.push(`⚠️ 缺货/低库存：${short.slice(0, LIST).map((r) => `${r.product} ${qty(r.qtyMilli, r.unit)}`).join('，')}`);
  const over = health.overstock;
  if (over.length > 0) lines.push(`📦 积压：${over.slice(0, LIST).map((r) => `${r.product} ${qty(r.qtyMilli, r.unit)}`).join('，')}`);
  return lines.join('\n');
}

/** `卫衣 这个月卖了多少`: one product's sales over the period. */
async function productSalesReport(queries: ReportQueries, shop: ShopRecord, product: string, period: Period, seeCost: boolean): Promise<string> {
  const row = (await queries.salesByProduct(shop.id, period.from, period.to)).find((r) => r.product === product);
  if (row === undefined || (row.soldMilli === 0 && row.revenue === 0)) return `📈 ${product} ${span(period, shop)}：没有卖出。`;
  const returned = row.returnedMilli > 0 ? `（已扣客退 ${qty(row.returnedMilli, row.unit)}）` : '';
  const lines = [`📈 ${product} ${span(period, shop)}：卖出 ${qty(row.soldMilli, row.unit)}${returned}，${row.sales} 笔，销售额 ${yuanGrouped(row.revenue)} 元`];
  if (seeCost && row.revenue !== 0) lines.push(profitLine(row.revenue, row.cost));
  return lines.join('\n');
}

/**
 * 周报 / 月报: the period's sales against the period before, by channel, the best sellers, and
 * (owners) gross profit, then what is short or piling up now.
 */
async function periodReport(queries: ReportQueries, health: StockHealthNow, shop: ShopRecord, title: string, period: Period, seeCost: boolean): Promise<string> {
  const totals = await queries.salesTotals(shop.id, period.from, period.to);
  const length = period.to.getTime() - period.from.getTime();
  const before = await queries.salesTotals(shop.id, new Date(period.from.getTime() - length), period.from);
  const lines = [`📋 ${title} ${span(period, shop)}`];
  const change = before.revenue > 0 ? `，比前一段${totals.revenue >= before.revenue ? '多' : '少'} ${percent(Math.abs(totals.revenue - before.revenue), before.revenue)}` : '';
  lines.push(`销售 ${totals.sales} 笔，销售额 ${yuanGrouped(totals.revenue)} 元${change}${totals.refunds > 0 ? `（已扣退款 ${yuanGrouped(totals.refunds)}）` : ''}`);
  if (seeCost && totals.revenue !== 0) lines.push(profitLine(totals.revenue, totals.cost));
  const channels = (await queries.salesByChannel(shop.id, period.from, period.to)).filter((r) => r.sales !== 0 || r.revenue !== 0);
  if (channels.length > 0) lines.push(`渠道：${channels.map((r) => `${r.channel ?? '未填'} ${r.sales} 笔 ${yuanGrouped(r.revenue)}`).join('，')}`);
  const best = topProducts(await queries.salesByProduct(shop.id, period.from, period.to), 'quantity', 5);
  if (best.length > 0) lines.push('畅销：', ...ranking(best.map((r) => [r.product, qty(r.soldMilli, r.unit)])));
  const short = health.shortages;
  if (short.length > 0) lines.push(`⚠️ 缺货/低库存：${short.slice(0, LIST).map((r) => `${r.product} ${qty(r.qtyMilli, r.unit)}`).join('，')}`);
  const over = health.overstock;
  if (over.length > 0) lines.push(`📦 积压：${over.slice(0, LIST).map((r) => `${r.product} ${qty(r.qtyMilli, r.unit)}`).join('，')}`);
  return lines.join('\n');
}

/** Lines of 流水 before the list is cut. */
const LEDGER_LINES = 30;

/** `昨天的流水`: the entries of the period, oldest first, one line each. */
export function ledgerReport(entries: readonly EntryView[], shop: ShopRecord, period: Period, seeCost: boolean, line: (e: EntryView, seeCost: boolean) => string): string {
  const head = `🧾 流水 ${span(period, shop)}：${entries.length} 条`;
  if (entries.length === 0) return `${head}。`;
  const shown = entries.slice(0, LEDGER_LINES).map((e) => `#${e.seq} ${localTime(e.occurredAt, shop.timeZone)} ${line(e, seeCost)}`);
  const rest = entries.length > LEDGER_LINES ? [`…还有 ${entries.length - LEDGER_LINES} 条，完整流水请导出：npx jxc export entries --format xlsx`] : [];
  return [head, ...shown, ...rest].join('\n');
}

function profitLine(revenue: number, cost: number): string {
  return `毛利 ${yuanGrouped(revenue - cost)} 元（成本 ${yuanGrouped(cost)}，毛利率 ${percent(revenue - cost, revenue)}）`;
}

function marginText(r: Pick<ProductSalesRow, 'revenue' | 'cost'>): string {
  const m = margin(r.revenue, r.cost);
  return m === null ? '—' : `${(m * 100).toFixed(1)}%`;
}

/** The period a report covers when the message names none. */
function defaultPeriod(kind: ReportCommand['kind'], shop: ShopRecord, now: Date): Period {
  const word = kind === 'profit' || kind === 'monthly' ? '本月' : kind === 'top' ? '最近30天' : kind === 'weekly' ? '本周' : '今天';
  const period = parsePeriod(word, now, shop.timeZone);
  if (period) return period;
  const from = startOfDayAt(now, shop.timeZone);
  return { from, to: new Date(from.getTime() + DAY_MS), label: '今天' };
}

/** Width on a monospace screen: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += wide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

function wide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x1f300
  );
}

/** Cuts text to a display width, marking the cut with an ellipsis. */
function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = wide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

function pad(text: string, width: number, right: boolean): string {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? gap + text : text + gap;
}

/**
 * A text table: the first column (names) is left-aligned and cut to what the line width leaves,
 * the other columns are right-aligned numbers.
 */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const rest = widths.slice(1).reduce((s, w) => s + w + 1, 0);
  widths[0] = Math.min(widths[0] ?? 0, Math.max(6, WIDTH - rest));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? pad(fit(c, widths[0] as number), widths[0] as number, false) : pad(c, widths[i] as number, true)))
      .join(' ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** "1 T恤 30件" with the rank, name and figure aligned. */
function ranking(rows: readonly (readonly [string, string])[]): string[] {
  const figure = Math.max(...rows.map((r) => displayWidth(r[1])));
  const rank = String(rows.length).length;
  const nameWidth = Math.max(6, WIDTH - figure - rank - 2);
  const longest = Math.min(nameWidth, Math.max(...rows.map((r) => displayWidth(r[0]))));
  return rows.map(([name, value], i) => `${String(i + 1).padStart(rank)} ${pad(fit(name, longest), longest, false)} ${pad(value, figure, true)}`.trimEnd());
}
