/**
 * `销量 本月 图` and `利润 本月 图` as pictures: the period's sales by channel per day (per month for
 * long periods) and a table by channel. The sales picture holds no cost, so any role may have it; the
 * profit picture is for owners only (the handler refuses everyone else before drawing anything).
 */
import type { Period } from '../command.ts';
import type { ShopRecord } from '../../core/ports.ts';
import type { SalesSeries } from '../../core/sales-series.ts';
import { localDay } from '../../core/zoned-time.ts';
import { percent } from '../format.ts';
import { channelName, money, salesChartView } from './digest-picture.ts';
import type { ChartView, PictureView } from './picture-view.ts';

function span(period: Period, shop: Pick<ShopRecord, 'timeZone'>): string {
  return `${period.label}（${localDay(period.from, shop.timeZone)}–${localDay(new Date(period.to.getTime() - 1), shop.timeZone)}）`;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const stepWord = (series: SalesSeries): string => (series.step === 'day' ? '每天' : '每月');

/** The sales picture: revenue by channel per bucket, and each channel's share. No cost anywhere. */
export function salesPictureView(shop: Pick<ShopRecord, 'name' | 'timeZone'>, period: Period, series: SalesSeries): PictureView {
  const revenue = sum(series.totals.revenue);
  const count = sum(series.totals.salesCount);
  return {
    title: `${shop.name} 销量`,
    subtitle: span(period, shop),
    figures: [
      { label: '销售额', value: money(revenue), note: `${count} 笔` },
      { label: '渠道', value: `${series.channels.length} 个` },
    ],
    chart: salesChartView(series, `${stepWord(series)}销售额（元，按渠道）`),
    tables: [
      {
        title: '按渠道',
        columns: ['渠道', '笔数', '销售额', '占比'],
        rows: series.channels.map((c) => [channelName(c.channel), String(c.total.salesCount), money(c.total.revenue), percent(c.total.revenue, revenue)]),
        tone: 'plain',
        empty: '这段时间没有销售',
      },
    ],
    footer: shop.timeZone,
  };
}

/** The profit picture (owners only): revenue bars and a gross-profit line per bucket, margins by channel. */
export function profitPictureView(shop: Pick<ShopRecord, 'name' | 'timeZone'>, period: Period, series: SalesSeries): PictureView {
  const revenue = sum(series.totals.revenue);
  const cost = sum(series.totals.cost);
  const profit = revenue - cost;
  return {
    title: `${shop.name} 利润`,
    subtitle: span(period, shop),
    figures: [
      { label: '销售额', value: money(revenue), note: `${sum(series.totals.salesCount)} 笔` },
      { label: '成本', value: money(cost) },
      { label: '毛利', value: money(profit), note: `毛利率 ${percent(profit, revenue)}` },
    ],
    chart: profitChartView(series),
    tables: [
      {
        title: '按渠道',
        columns: ['渠道', '销售额', '毛利', '毛利率'],
        rows: series.channels.map((c) => [
          channelName(c.channel),
          money(c.total.revenue),
          money(c.total.revenue - c.total.cost),
          percent(c.total.revenue - c.total.cost, c.total.revenue),
        ]),
        tone: 'plain',
        empty: '这段时间没有销售',
      },
    ],
    footer: `老板版 · ${shop.timeZone}`,
  };
}

/** Revenue bars and a gross-profit line per bucket (owners only: it is cost in disguise). */
export function profitChartView(series: SalesSeries): ChartView {
  return {
    title: `${stepWord(series)}销售额和毛利（元）`,
    labels: series.labels,
    series: [
      { name: '销售额', values: series.totals.revenue.map((v) => v / 100), type: 'bar' },
      { name: '毛利', values: series.totals.revenue.map((v, i) => (v - (series.totals.cost[i] ?? 0)) / 100), type: 'line' },
    ],
    empty: '这段时间没有销售',
  };
}
