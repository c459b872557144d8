/**
 * The daily digest as a picture: the day's figures, a chart of the last 30 days' sales by channel and
 * the 缺货 / 积压 tables. The same digest as the text (src/bot/digest.ts), with the same reasons
 * (shortageNotes, overstockNotes); the staff copy leaves out stock value, cost and profit entirely.
 */
import type { Audience } from '../../core/access.ts';
import { collectDigest, type Digest, type DigestShop } from '../../core/digest.ts';
import type { DigestQueries } from '../../core/digest-queries.ts';
import { digestSeriesBuckets, DIGEST_SERIES_DAYS, salesSeriesOf, type SalesSeries } from '../../core/sales-series.ts';
import { localClock, localDay } from '../../core/zoned-time.ts';
import { digestWindow, overstockNotes, shortageNotes } from '../digest.ts';
import { percent, qty, yuanGrouped } from '../format.ts';
import type { ChartView, PictureFigure, PictureView, TableView } from './picture-view.ts';

/** Rows per table: a phone screen's worth. */
const MAX_ROWS = 8;
/** Channels with a colour of their own in a chart; the rest are 其他渠道. */
const MAX_CHANNELS = 6;

/** What a digest picture is drawn from: the digest and its 30 days of sales by channel. */
export interface DigestPictureContent {
  digest: Digest;
  sales: SalesSeries;
}

/** Collects a digest and its sales series for one shop and local date (today when not given). */
export async function collectDigestPicture(queries: DigestQueries, shop: DigestShop, now: Date, date?: string): Promise<DigestPictureContent> {
  const digest = await collectDigest(queries, shop, digestWindow(now, shop.timeZone, date));
  return { digest, sales: await digestSales(queries, digest) };
}

/** The 30 days of sales by channel that end with the digest's day. */
export async function digestSales(queries: Pick<DigestQueries, 'channelSalesByBucket'>, digest: Digest): Promise<SalesSeries> {
  return await salesSeriesOf(queries, digest.shop.id, 'day', digestSeriesBuckets(digest.dayTo, digest.shop.timeZone));
}

/** `¥1,234.00`. */
export const money = (cents: number): string => `${cents < 0 ? '-' : ''}¥${yuanGrouped(Math.abs(cents))}`;

/** The channel's name in pictures. */
export const channelName = (channel: string | null): string => channel ?? '未注明渠道';

/** 元 for a chart's axis. */
const toYuan = (cents: number): number => cents / 100;

/** Revenue per bucket by channel, stacked: every audience may see it (no cost in it). */
export function salesChartView(sales: SalesSeries, title: string): ChartView {
  const shown = sales.channels.length > MAX_CHANNELS ? sales.channels.slice(0, MAX_CHANNELS - 1) : sales.channels;
  const series = shown.map((c) => ({ name: channelName(c.channel), values: c.revenue.map(toYuan), type: 'bar' as const }));
  if (shown.length < sales.channels.length) {
    // The smaller channels share one colour: a legend of twelve channels helps nobody.
    const others = sales.totals.revenue.map((total, i) => toYuan(total - shown.reduce((s, c) => s + (c.revenue[i] ?? 0), 0)));
    series.push({ name: '其他渠道', values: others, type: 'bar' });
  }
  return { title, labels: sales.labels, series, empty: '这段时间没有销售' };
}

/** The digest picture's content for one audience, in words and figures. */
export function digestPictureView({ digest: d, sales }: DigestPictureContent, audience: Audience): PictureView {
  const owner = audience === 'owner';
  const zone = d.shop.timeZone;
  const current = d.asOf < d.dayTo;
  const dayWord = current ? '今日' : '当日';
  const figures: PictureFigure[] = [
    { label: `${dayWord}销售额`, value: money(d.sales.revenue), note: `${d.sales.salesCount} 笔` },
    {
      label: '库存',
      value: `${d.stock.skus} 种`,
      note: d.stock.skus === 0 ? undefined : d.stock.unit === null ? `共 ${qty(d.stock.unitsMilli, '')} 个单位` : `共 ${qty(d.stock.unitsMilli, d.stock.unit)}`,
    },
    { label: '缺货/低库存', value: `${d.shortages.length} 种` },
    { label: '积压/滞销', value: `${d.overstock.length} 种` },
  ];
  if (owner) {
    const day = d.profit.day;
    const month = d.profit.month;
    figures.push(
      { label: `${dayWord}毛利`, value: money(day.grossProfit), note: `毛利率 ${percent(day.grossProfit, day.revenue)}` },
      { label: '本月至今毛利', value: money(month.grossProfit), note: `营收 ${money(month.revenue)}` },
      { label: '库存金额', value: money(d.stock.value), note: '按平均成本' },
    );
  }

  const tables: TableView[] = [];
  tables.push({
    title: `${dayWord}销售（按渠道）`,
    columns: ['渠道', '笔数', '销售额'],
    rows: d.channels.map((c) => [channelName(c.channel), String(c.salesCount), money(c.revenue)]),
    tone: 'plain',
    empty: current ? '今天还没有销售' : '这天没有销售',
  });
  tables.push({
    title: `缺货/低库存 ${d.shortages.length} 种`,
    columns: ['商品', '库存', '原因', '建议补货'],
    rows: d.shortages.slice(0, MAX_ROWS).map((s) => [s.product, qty(s.qtyMilli, s.unit), shortageNotes(s).join('，'), s.suggestMilli > 0 ? qty(s.suggestMilli, s.unit) : '—']),
    note: more(d.shortages.length, '发「查 缺货」看全部'),
    tone: 'warn',
    empty: '没有缺货',
  });
  tables.push({
    title: `积压/滞销 ${d.overstock.length} 种`,
    columns: ['商品', '库存', '原因'],
    rows: d.overstock.slice(0, MAX_ROWS).map((o) => [o.product, qty(o.qtyMilli, o.unit), overstockNotes(o, d.settings.noSaleDays).join('，')]),
    note: more(d.overstock.length, '发「查 积压」看全部'),
    tone: 'info',
    empty: '没有积压',
  });

  return {
    title: `${d.shop.name} 日报`,
    subtitle: `${localDay(d.dayFrom, zone)}${current ? `（截至 ${localClock(d.asOf, zone)}）` : ''}`,
    figures,
    chart: salesChartView(sales, `最近${DIGEST_SERIES_DAYS}天销售额（元，按渠道）`),
    tables,
    footer: `${owner ? '老板版' : '店员版'} · ${zone}`,
  };
}

function more(total: number, hint: string): string | undefined {
  return total > MAX_ROWS ? `…另 ${total - MAX_ROWS} 种，${hint}` : undefined;
}
