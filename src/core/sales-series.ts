/**
 * Sales by channel over time, for charts: the digest picture's last 30 days, `销量 本月 图` and
 * `利润 本月 图`. Buckets are local days (local months for periods longer than MAX_DAILY_BUCKETS days)
 * in the shop's zone; the database sums each bucket, the core lines the sums up per channel.
 */
import type { ChannelBucketRow, DigestQueries } from './digest-queries.ts';
import { localParts, startOfLocalDay } from './zoned-time.ts';

/** Days the digest picture's chart looks back, today included. */
export const DIGEST_SERIES_DAYS = 30;

/** Longer periods are charted by month: a bar a day stops being readable past two months. */
export const MAX_DAILY_BUCKETS = 62;

/** One bar of a chart: a local day (`11-05`) or month (`2026-03`), from its first instant to the next bucket's. */
export interface SeriesBucket {
  label: string;
  from: Date;
  to: Date;
}

/** One channel's figures per bucket (分 and counts), and over all buckets. */
export interface ChannelSeries {
  /** null when sales named no channel. */
  channel: string | null;
  revenue: number[];
  cost: number[];
  salesCount: number[];
  total: { revenue: number; cost: number; salesCount: number };
}

/** Sales by channel per bucket; channels with the most revenue first. */
export interface SalesSeries {
  /** `day` buckets are local days, `month` buckets local months. */
  step: 'day' | 'month';
  labels: string[];
  channels: ChannelSeries[];
  /** All channels together, per bucket. */
  totals: { revenue: number[]; cost: number[]; salesCount: number[] };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The buckets covering [from, to) in the shop's zone: local days, or local months when that would be
 * more than MAX_DAILY_BUCKETS days. The first and last bucket are cut to the period.
 */
export function seriesBuckets(from: Date, to: Date, timeZone: string): { step: 'day' | 'month'; buckets: SeriesBucket[] } {
  const start = localParts(from, timeZone);
  const days: SeriesBucket[] = [];
  for (let i = 0, at = from; at < to && i <= MAX_DAILY_BUCKETS; i++) {
    const next = startOfLocalDay(timeZone, start.year, start.month, start.day + i + 1);
    const local = localParts(at, timeZone);
    days.push({ label: `${pad(local.month)}-${pad(local.day)}`, from: at, to: next < to ? next : to });
    at = next;
  }
  if (days.length <= MAX_DAILY_BUCKETS) return { step: 'day', buckets: days };
  const months: SeriesBucket[] = [];
  for (let i = 0, at = from; at < to; i++) {
    const next = startOfLocalDay(timeZone, start.year, start.month + i + 1, 1);
    const local = localParts(at, timeZone);
    months.push({ label: `${local.year}-${pad(local.month)}`, from: at, to: next < to ? next : to });
    at = next;
  }
  return { step: 'month', buckets: months };
}

/** The last DIGEST_SERIES_DAYS local days up to the end of `dayTo`'s day (the digest's day included). */
export function digestSeriesBuckets(dayTo: Date, timeZone: string): SeriesBucket[] {
  const last = localParts(new Date(dayTo.getTime() - 1), timeZone);
  const from = startOfLocalDay(timeZone, last.year, last.month, last.day - DIGEST_SERIES_DAYS + 1);
  return seriesBuckets(from, dayTo, timeZone).buckets;
}

/** Lines the bucket sums up per channel; pure. */
export function buildSalesSeries(step: SalesSeries['step'], buckets: readonly SeriesBucket[], rows: readonly ChannelBucketRow[]): SalesSeries {
  const n = buckets.length;
  const zeros = (): number[] => new Array<number>(n).fill(0);
  const byChannel = new Map<string | null, ChannelSeries>();
  const totals = { revenue: zeros(), cost: zeros(), salesCount: zeros() };
  for (const r of rows) {
    if (r.bucket < 0 || r.bucket >= n) continue;
    let c = byChannel.get(r.channel);
    if (!c) {
      c = { channel: r.channel, revenue: zeros(), cost: zeros(), salesCount: zeros(), total: { revenue: 0, cost: 0, salesCount: 0 } };
      byChannel.set(r.channel, c);
    }
    c.revenue[r.bucket] = (c.revenue[r.bucket] ?? 0) + r.revenue;
    c.cost[r.bucket] = (c.cost[r.bucket] ?? 0) + r.cost;
    c.salesCount[r.bucket] = (c.salesCount[r.bucket] ?? 0) + r.salesCount;
    c.total.revenue += r.revenue;
    c.total.cost += r.cost;
    c.total.salesCount += r.salesCount;
    totals.revenue[r.bucket] = (totals.revenue[r.bucket] ?? 0) + r.revenue;
    totals.cost[r.bucket] = (totals.cost[r.bucket] ?? 0) + r.cost;
    totals.salesCount[r.bucket] = (totals.salesCount[r.bucket] ?? 0) + r.salesCount;
  }
  const channels = [...byChannel.values()]
    .filter((c) => c.total.revenue !== 0 || c.total.salesCount !== 0 || c.revenue.some((v) => v !== 0))
    .sort((a, b) => b.total.revenue - a.total.revenue || ((a.channel ?? '') < (b.channel ?? '') ? -1 : 1));
  return { step, labels: buckets.map((b) => b.label), channels, totals };
}

/** Reads and lines up the sales by channel of [from, to) in the shop's zone. */
export async function collectSalesSeries(queries: Pick<DigestQueries, 'channelSalesByBucket'>, shopId: number, from: Date, to: Date, timeZone: string): Promise<SalesSeries> {
  const { step, buckets } = seriesBuckets(from, to, timeZone);
  return await salesSeriesOf(queries, shopId, step, buckets);
}

/** Reads and lines up the sales by channel of given buckets. */
export async function salesSeriesOf(queries: Pick<DigestQueries, 'channelSalesByBucket'>, shopId: number, step: SalesSeries['step'], buckets: readonly SeriesBucket[]): Promise<SalesSeries> {
  if (buckets.length === 0) return buildSalesSeries(step, buckets, []);
  const bounds = [...buckets.map((b) => b.from), (buckets[buckets.length - 1] as SeriesBucket).to];
  return buildSalesSeries(step, buckets, await queries.channelSalesByBucket(shopId, bounds));
}
