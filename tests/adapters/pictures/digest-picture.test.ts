import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import { collectDigestPicture, digestPicture, pictureOf, profitChartSvg, salesByChannelChartSvg, salesPictureView, type DigestPictureContent } from '../../../src/adapters/pictures/index.ts';
import { money } from '../../../src/bot/pictures/digest-picture.ts';
import { percent, qty } from '../../../src/bot/format.ts';
import { collectSalesSeries, DIGEST_SERIES_DAYS } from '../../../src/core/sales-series.ts';
import { PICTURE_CHANNELS, PICTURE_DIGEST_AT, seedPictureShop } from '../../../bench/picture-shop.ts';
import type { ShopRecord } from '../../../src/core/ports.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

/**
 * The digest picture of a shop with a month of trade, drawn for real (ECharts SVG, resvg PNG with the
 * shipped font): the PNG is a PNG of the expected size, and its text layer (the SVG) holds the labels
 * and figures of the digest, and for staff none of the owner-only ones.
 */

let t: TestDb;
let shop: ShopRecord;
let queries: SqliteDigestStore;
let content: DigestPictureContent;

beforeAll(async () => {
  t = createTestDb();
  shop = await seedPictureShop(t.store);
  queries = new SqliteDigestStore(t.db);
  content = await collectDigestPicture(queries, shop, PICTURE_DIGEST_AT);
});
afterAll(() => t.cleanup());

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The words of an SVG's <text> elements, unescaped. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('the digest picture', () => {
  it('is a PNG 1080 pixels wide, of a size worth sending', () => {
    const { png } = digestPicture(content, 'owner');
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const size = pngSize(png);
    expect(size.width).toBe(1080);
    expect(size.height).toBeGreaterThan(1200);
    expect(size.height).toBeLessThan(3000);
    expect(png.byteLength).toBeGreaterThan(50_000);
    expect(png.byteLength).toBeLessThan(1_000_000);
  });

  it("holds the day's figures, the channels, and the 缺货 and 积压 products with their reasons", () => {
    const d = content.digest;
    // The seeded month makes every part of the picture non-empty.
    expect(d.shortages.map((s) => s.product)).toEqual(['T恤']);
    expect(d.overstock.map((o) => o.product).sort()).toEqual(['卫衣', '帆布包', '旧款袜子'].sort());
    const words = texts(digestPicture(content, 'owner').svg);
    expect(words).toContain('小王的店 日报');
    expect(words).toContain(money(d.sales.revenue));
    expect(words).toContain(`${d.sales.salesCount} 笔`);
    // The chart's legend and the day's table name every channel.
    for (const channel of PICTURE_CHANNELS) expect(words.filter((w) => w === channel).length).toBeGreaterThanOrEqual(2);
    for (const c of d.channels) expect(words).toContain(money(c.revenue));
    const tee = d.shortages[0];
    expect(words).toContain('T恤');
    expect(words).toContain(qty(tee?.qtyMilli ?? 0, '件'));
    expect(words).toContain(qty(tee?.suggestMilli ?? 0, '件'));
    expect(words.some((w) => w.startsWith('预警30'))).toBe(true);
    expect(words).toContain('旧款袜子');
    expect(words).toContain(`${d.settings.noSaleDays}天没卖出`);
    expect(words.some((w) => w.startsWith('积压线100'))).toBe(true);
    expect(words).toContain(`最近${DIGEST_SERIES_DAYS}天销售额（元，按渠道）`);
  });

  it('shows owners the stock value, cost and profit', () => {
    const d = content.digest;
    const words = texts(digestPicture(content, 'owner').svg);
    expect(words).toContain(money(d.stock.value));
    expect(words).toContain(money(d.profit.day.grossProfit));
    expect(words).toContain(`毛利率 ${percent(d.profit.day.grossProfit, d.profit.day.revenue)}`);
    expect(words).toContain(money(d.profit.month.grossProfit));
  });

  it('shows staff no cost, value or profit anywhere', () => {
    const d = content.digest;
    const { svg, png } = digestPicture(content, 'staff');
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const words = texts(svg);
    const all = words.join('\n');
    expect(all).not.toMatch(/毛利|成本|库存金额|营收|利润/);
    for (const cents of [d.stock.value, d.profit.day.grossProfit, d.profit.day.cost, d.profit.month.grossProfit, d.profit.month.cost, d.profit.month.revenue]) {
      expect(words).not.toContain(money(cents));
      expect(svg).not.toContain(money(cents));
    }
    // What staff may see is all there.
    expect(words).toContain(money(d.sales.revenue));
    expect(words).toContain('T恤');
    expect(words).toContain('店员版 · Asia/Shanghai');
  });

  it("charts each channel's revenue of the last 30 days as the ledger has it", async () => {
    const day = content.sales;
    expect(day.labels).toHaveLength(DIGEST_SERIES_DAYS);
    expect(day.labels[0]).toBe('10-29');
    expect(day.labels.at(-1)).toBe('11-27');
    // The series per day adds up to the digest's one query over the whole range, channel by channel.
    const whole = await queries.channelSales(shop.id, new Date('2026-10-28T16:00:00Z'), content.digest.dayTo);
    for (const row of whole) {
      const c = day.channels.find((s) => s.channel === row.channel);
      expect(c?.total.revenue).toBe(row.revenue);
      expect(c?.total.cost).toBe(row.cost);
      expect(c?.total.salesCount).toBe(row.salesCount);
    }
    // The last bucket is the digest's day.
    for (const c of content.digest.channels) expect(day.channels.find((s) => s.channel === c.channel)?.revenue.at(-1)).toBe(c.revenue);
  });
});

describe('charts for the web view', () => {
  it('draws sales by channel and profit as SVG with the channel names and axis labels', async () => {
    const series = await collectSalesSeries(queries, shop.id, new Date('2026-10-31T16:00:00Z'), new Date('2026-11-30T16:00:00Z'), shop.timeZone);
    const sales = salesByChannelChartSvg(series, { width: 600, height: 300 });
    expect(sales).toMatch(/^<svg [^>]*width="600" height="300"/);
    for (const channel of PICTURE_CHANNELS) expect(texts(sales)).toContain(channel);
    expect(texts(sales)).toContain('11-01');
    const profit = texts(profitChartSvg(series));
    expect(profit).toContain('销售额');
    expect(profit).toContain('毛利');
  });

  it('charts a year by month', async () => {
    const year = await collectSalesSeries(queries, shop.id, new Date('2025-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z'), shop.timeZone);
    expect(year.step).toBe('month');
    expect(year.labels).toHaveLength(12);
    const view = salesPictureView(shop, { from: new Date('2025-12-31T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z'), label: '今年' }, year);
    const words = texts(pictureOf(view).svg);
    expect(words).toContain('每月销售额（元，按渠道）');
    expect(words).toContain(money(year.totals.revenue.reduce((a, b) => a + b, 0)));
    // Only October and November sold.
    expect(year.totals.revenue.filter((v) => v > 0)).toHaveLength(2);
  });

  it('says so instead of drawing an empty chart', async () => {
    const empty = await collectSalesSeries(queries, shop.id, new Date('2026-01-31T16:00:00Z'), new Date('2026-02-28T16:00:00Z'), shop.timeZone);
    const words = texts(pictureOf(salesPictureView(shop, { from: new Date('2026-01-31T16:00:00Z'), to: new Date('2026-02-28T16:00:00Z'), label: '2月' }, empty)).svg);
    expect(words.filter((w) => w === '这段时间没有销售')).toHaveLength(2);
  });
});
