import { html } from 'hono/html';
import { grossProfit } from '../../core/analysis.ts';
import { collectDigest } from '../../core/digest.ts';
import type { ChannelSalesRow, ProductSalesRow } from '../../core/report-queries.ts';
import { localDate, localDay } from '../../core/zoned-time.ts';
import type { Period } from '../../bot/command.ts';
import { digestWindow, overstockText, shortageText } from '../../bot/digest.ts';
import { percent, qty, yuanGrouped } from '../../bot/format.ts';
import { parsePeriod } from '../../bot/parse/index.ts';
import { refusalText } from '../../bot/refusals.ts';
import { chartSlot } from './charts.ts';
import type { Viewer, WebViewDeps } from './deps.ts';
import { table, type Html } from './layout.ts';
import { periodHelp, readPeriod } from './periods.ts';

export interface ReportQuery {
  kind?: string | undefined;
  period?: string | undefined;
}

type Kind = 'daily' | 'sales' | 'profit';
const TABS: readonly [Kind, string, string][] = [
  ['daily', '日报', '今天'],
  ['sales', '销量', '本月'],
  ['profit', '利润', '本月'],
];

const channelName = (r: Pick<ChannelSalesRow, 'channel'>): string => r.channel ?? '未注明渠道';
const span = (p: Period, zone: string) => `${p.label}（${localDay(p.from, zone)}–${localDay(new Date(p.to.getTime() - 1), zone)}）`;

/**
 * 报表: the same figures as 日报, 销量 and 利润 in the chat, from the same core functions (the digest's
 * collectDigest, the report queries, grossProfit), as tables with their charts (chartSlot). Profit,
 * cost and stock value only in the owner's view; 利润 in the staff view is the chat's refusal.
 */
export async function reportsPage(deps: WebViewDeps, viewer: Viewer, query: ReportQuery): Promise<Html> {
  const kind: Kind = query.kind === 'sales' || query.kind === 'profit' ? query.kind : 'daily';
  const { shop } = viewer;
  const now = deps.clock.now();
  const fallback = TABS.find(([k]) => k === kind)?.[2] ?? '今天';
  const read = readPeriod(query.period, now, shop.timeZone);
  const period = read.ok ? (read.period ?? parsePeriod(fallback, now, shop.timeZone)) : undefined;
  const tabs = html`<nav class="tabs">${TABS.filter(([k]) => k !== 'profit' || viewer.seeCost).map(
    ([k, label]) => html`<a href="/reports?kind=${k}"${k === kind ? html` class="on"` : ''}>${label}</a>`,
  )}</nav>`;
  const form = html`<form class="filters" method="get" action="/reports">
<input type="hidden" name="kind" value="${kind}">
<label>${kind === 'daily' ? '日期' : '时段'}<input name="period" value="${query.period ?? ''}" placeholder="${kind === 'daily' ? '今天、昨天、11月20日' : '本月、上周、最近7天、11月1日到11月20日'}"></label>
<button class="primary" type="submit">看</button>
${viewer.seeCost && kind !== 'daily' && period ? html`<a class="button secondary" href="/export/entries.xlsx?period=${encodeURIComponent(period.label)}" download>下载流水和利润 xlsx</a>` : ''}
</form>`;
  let body: Html;
  if (!read.ok || !period) body = html`<p class="notice bad">${periodHelp(read.ok ? fallback : read.text)}</p>`;
  else if (kind === 'daily') body = await daily(deps, viewer, period);
  else if (kind === 'profit' && !viewer.seeCost) body = html`<p class="notice bad">${refusalText({ code: 'PROFIT_OWNER_ONLY' })}</p>`;
  else if (kind === 'profit') body = await profit(deps, viewer, period);
  else body = await sales(deps, viewer, period);
  return html`<h1>报表</h1>${tabs}${form}<div id="results">${body}</div>`;
}

/** 日报: the digest of one day (the first day of the period typed), as the chat's 日报 shows it. */
async function daily(deps: WebViewDeps, viewer: Viewer, period: Period): Promise<Html> {
  const { shop, seeCost } = viewer;
  const d = await collectDigest(deps.digest, shop, digestWindow(deps.clock.now(), shop.timeZone, localDate(period.from, shop.timeZone)));
  const summary: (string | number)[][] = [
    ['销售笔数', d.sales.salesCount],
    ['销售额', `${yuanGrouped(d.sales.revenue)} 元`],
    ['有库存的商品', `${d.stock.skus} 种`],
  ];
  if (seeCost) {
    summary.push(['库存金额（按平均成本）', `${yuanGrouped(d.stock.value)} 元`]);
    for (const [label, p] of [['当日', d.profit.day], ['本月至今', d.profit.month]] as const) {
      summary.push([`${label}毛利`, `${yuanGrouped(p.grossProfit)} 元（营收 ${yuanGrouped(p.revenue)}，成本 ${yuanGrouped(p.cost)}，毛利率 ${percent(p.grossProfit, p.revenue)}）`]);
    }
  }
  const channels = d.channels.map((c) => ({ channel: c.channel ?? '未注明渠道', count: c.salesCount, revenue: c.revenue }));
  const moves = d.movements.map((m) => [m.product, qty(m.purchasedMilli, m.unit), qty(m.soldMilli, m.unit), qty(m.customerReturnMilli, m.unit), qty(m.supplierReturnMilli, m.unit), qty(m.adjustedMilli, m.unit)]);
  return html`<h2>日报 ${localDay(d.dayFrom, shop.timeZone)}</h2>
${table(['项目', '数值'], summary, { numeric: [1] })}
<h2>按渠道</h2>
${chartSlot({ kind: 'salesByChannel', title: '按渠道销售额', rows: channels }, deps.charts)}
${channels.length === 0 ? html`<p class="muted">这天没有销售。</p>` : table(['渠道', '笔数', '销售额'], channels.map((c) => [c.channel, c.count, yuanGrouped(c.revenue)]), { numeric: [1, 2] })}
<h2>出入库</h2>
${moves.length === 0 ? html`<p class="muted">这天没有进出库记录。</p>` : table(['商品', '进货', '出货', '客退', '退供', '盘点'], moves, { numeric: [1, 2, 3, 4, 5] })}
<h2>缺货/低库存</h2>
${d.shortages.length === 0 ? html`<p class="muted">没有缺货。</p>` : table(['商品', '库存', '说明'], d.shortages.map((s) => [s.product, qty(s.qtyMilli, s.unit), shortageText(s).replace(/^·\s*/, '')]), { numeric: [1] })}
<h2>积压/滞销</h2>
${d.overstock.length === 0 ? html`<p class="muted">没有积压。</p>` : table(['商品', '库存', '说明'], d.overstock.map((o) => [o.product, qty(o.qtyMilli, o.unit), overstockText(o, d.settings.noSaleDays).replace(/^·\s*/, '')]), { numeric: [1] })}`;
}

const marginOf = (r: { revenue: number; cost: number }) => percent(r.revenue - r.cost, r.revenue);

/** 销量: the period's sales by channel and by product (owners also see cost and gross profit). */
async function sales(deps: WebViewDeps, viewer: Viewer, period: Period): Promise<Html> {
  const { shop, seeCost } = viewer;
  const totals = await deps.reports.salesTotals(shop.id, period.from, period.to);
  const channels = (await deps.reports.salesByChannel(shop.id, period.from, period.to)).filter((r) => r.sales !== 0 || r.revenue !== 0);
  const products = (await deps.reports.salesByProduct(shop.id, period.from, period.to)).filter((r) => r.soldMilli !== 0 || r.revenue !== 0);
  const head = html`<h2>销量 ${span(period, shop.timeZone)}</h2>
<p>销售额 <strong>${yuanGrouped(totals.revenue)}</strong> 元，${totals.sales} 笔${totals.refunds > 0 ? `（已扣退款 ${yuanGrouped(totals.refunds)}）` : ''}${seeCost && totals.revenue !== 0 ? `；毛利 ${yuanGrouped(totals.revenue - totals.cost)} 元，毛利率 ${marginOf(totals)}` : ''}</p>`;
  if (products.length === 0 && channels.length === 0) return html`${head}<p class="notice">这段时间没有销售。</p>`;
  return html`${head}
<h2>按渠道</h2>
${chartSlot({ kind: 'salesByChannel', title: '按渠道销售额', rows: channels.map((r) => ({ channel: channelName(r), revenue: r.revenue })) }, deps.charts)}
${channelTable(channels, seeCost)}
<h2>按商品</h2>
${chartSlot({ kind: 'salesByProduct', title: '按商品销售额', rows: products.map((r) => ({ product: r.product, revenue: r.revenue })) }, deps.charts)}
${productTable(products, seeCost)}`;
}

/** 利润 (owners): gross profit over the period, by product (best first) and by channel. */
async function profit(deps: WebViewDeps, viewer: Viewer, period: Period): Promise<Html> {
  const { shop } = viewer;
  const totals = await deps.reports.salesTotals(shop.id, period.from, period.to);
  const products = (await deps.reports
      .salesByProduct(shop.id, period.from, period.to))
    .filter((r) => r.revenue !== 0 || r.cost !== 0)
    .sort((a, b) => grossProfit(b) - grossProfit(a) || b.revenue - a.revenue);
  const channels = (await deps.reports.salesByChannel(shop.id, period.from, period.to)).filter((r) => r.sales !== 0 || r.revenue !== 0);
  return html`<h2>利润 ${span(period, shop.timeZone)}</h2>
${table(['销售额', '成本', '毛利', '毛利率', '笔数'], [[yuanGrouped(totals.revenue), yuanGrouped(totals.cost), yuanGrouped(totals.revenue - totals.cost), marginOf(totals), totals.sales]], { numeric: [0, 1, 2, 3, 4] })}
<h2>按商品</h2>
${chartSlot({ kind: 'profitByProduct', title: '按商品毛利', rows: products.map((r) => ({ product: r.product, grossProfit: grossProfit(r) })) }, deps.charts)}
${products.length === 0 ? html`<p class="muted">这段时间没有销售。</p>` : productTable(products, true)}
<h2>按渠道</h2>
${channelTable(channels, true)}`;
}

function channelTable(rows: readonly ChannelSalesRow[], seeCost: boolean): Html {
  if (rows.length === 0) return html`<p class="muted">这段时间没有销售。</p>`;
  const sum = rows.reduce((t, r) => ({ sales: t.sales + r.sales, revenue: t.revenue + r.revenue, cost: t.cost + r.cost }), { sales: 0, revenue: 0, cost: 0 });
  if (seeCost) {
    return table(
      ['渠道', '笔数', '销售额', '毛利', '毛利率'],
      rows.map((r) => [channelName(r), r.sales, yuanGrouped(r.revenue), yuanGrouped(r.revenue - r.cost), marginOf(r)]),
      { numeric: [1, 2, 3, 4], total: rows.length > 1 ? ['合计', sum.sales, yuanGrouped(sum.revenue), yuanGrouped(sum.revenue - sum.cost), marginOf(sum)] : undefined },
    );
  }
  return table(['渠道', '笔数', '销售额'], rows.map((r) => [channelName(r), r.sales, yuanGrouped(r.revenue)]), {
    numeric: [1, 2],
    total: rows.length > 1 ? ['合计', sum.sales, yuanGrouped(sum.revenue)] : undefined,
  });
}

function productTable(rows: readonly ProductSalesRow[], seeCost: boolean): Html {
  if (seeCost) {
    return table(
      ['商品', '数量', '笔数', '销售额', '成本', '毛利', '毛利率'],
      rows.map((r) => [r.product, qty(r.soldMilli, r.unit), r.sales, yuanGrouped(r.revenue), yuanGrouped(r.cost), yuanGrouped(grossProfit(r)), marginOf(r)]),
      { numeric: [1, 2, 3, 4, 5, 6] },
    );
  }
  return table(['商品', '数量', '笔数', '销售额'], rows.map((r) => [r.product, qty(r.soldMilli, r.unit), r.sales, yuanGrouped(r.revenue)]), { numeric: [1, 2, 3] });
}
