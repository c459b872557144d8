/**
 * Pictures: charts and the digest as SVG and PNG, drawn in the process (no browser). The chat
 * (`日报 图`, `销量 本月 图`, the scheduled digest) and the web view use the same functions:
 *
 * - `salesByChannelChartSvg(series, size?)`: a stacked bar chart of revenue by channel per day or
 *   month, as an SVG string to send or inline in a page. Has no cost in it, for any audience.
 * - `profitChartSvg(series, size?)`: revenue bars and a gross-profit line. Owners only: the caller checks.
 * - `digestPicture(content, audience)`: the daily digest (figures, the 30-day chart, 缺货/积压 tables)
 *   as `{ png, svg }`; the staff copy holds no cost, value or profit.
 * - `pictureOf(view)`: any `PictureView` (src/bot/pictures) as `{ png, svg }`.
 * - `createPictureRenderer()`: the bot's `PictureRenderer` port.
 *
 * Charts are ECharts server-side SVG; tables and cards are hand-written SVG; PNGs come from resvg
 * with the shipped Noto Sans SC subset (assets/fonts). Everything is synchronous and pure CPU work.
 */
import type { Audience } from '../../core/access.ts';
import type { SalesSeries } from '../../core/sales-series.ts';
import { digestPictureView, salesChartView, type DigestPictureContent } from '../../bot/pictures/digest-picture.ts';
import type { PictureRenderer, PictureView } from '../../bot/pictures/picture-view.ts';
import { profitChartView } from '../../bot/pictures/report-pictures.ts';
import { chartSvg, type ChartSize } from './charts.ts';
import { pictureSvg } from './picture-svg.ts';
import { svgToPng } from './rasterise.ts';

export type { DigestPictureContent } from '../../bot/pictures/digest-picture.ts';
export { collectDigestPicture, digestPictureView } from '../../bot/pictures/digest-picture.ts';
export { profitPictureView, salesPictureView } from '../../bot/pictures/report-pictures.ts';
export type { ChartSize } from './charts.ts';
export { FONT_FAMILY, fontPath } from './font.ts';
export { svgToPng } from './rasterise.ts';

/** A picture in both forms: the PNG to send and the SVG it was drawn from (its words are `<text>`). */
export interface Picture {
  png: Buffer;
  svg: string;
}

const CHART: ChartSize = { width: 672, height: 280 };

/** Revenue by channel per bucket, stacked bars, as an SVG document. */
export function salesByChannelChartSvg(series: SalesSeries, size: ChartSize = CHART): string {
  return chartSvg(salesChartView(series, ''), size);
}

/** Revenue bars and a gross-profit line per bucket, as an SVG document. Owners only. */
export function profitChartSvg(series: SalesSeries, size: ChartSize = CHART): string {
  return chartSvg(profitChartView(series), size);
}

/** Any picture view as SVG and PNG. */
export function pictureOf(view: PictureView): Picture {
  const { svg } = pictureSvg(view);
  return { svg, png: svgToPng(svg) };
}

/** The daily digest as a picture for an audience (staff: no cost, value or profit). */
export function digestPicture(content: DigestPictureContent, audience: Audience): Picture {
  return pictureOf(digestPictureView(content, audience));
}

/** The bot's picture port on this module. */
export function createPictureRenderer(): PictureRenderer {
  return { render: async (view) => pictureOf(view).png };
}
