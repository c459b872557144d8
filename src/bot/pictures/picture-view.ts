/**
 * Pictures in chat (`日报 图`, `销量 本月 图`, the scheduled digest as an image) as data: the
 * conversation decides what a picture shows for whom and words it (a `PictureView`, already cut to the
 * audience: a staff copy holds no cost, value or profit at all), and an adapter draws it
 * (src/adapters/pictures) through the `PictureRenderer` port. The text of the same answer goes with
 * the picture as its caption or next message, so search and screen readers still work.
 */

/** A headline figure: `销售额` `￥1,234.00`, with a small note under it (`12 笔`). */
export interface PictureFigure {
  label: string;
  value: string;
  note?: string | undefined;
}

/** One series of a chart, values in 元 (for the axis; the figures in words are exact). */
export interface ChartSeries {
  name: string;
  values: number[];
  /** Bars stack per bucket; a line is drawn over them. */
  type: 'bar' | 'line';
}

/** A chart over buckets (local days or months). */
export interface ChartView {
  title: string;
  labels: string[];
  series: ChartSeries[];
  /** Shown when every value is zero, instead of an empty axis. */
  empty: string;
}

/** A table of words: a title, column heads and rows of cells. */
export interface TableView {
  title: string;
  columns: string[];
  rows: string[][];
  /** A line under the table (`…另 5 种，发「查 缺货」看全部`). */
  note?: string | undefined;
  /** How the title is marked: warn (缺货), info (积压), plain. */
  tone: 'warn' | 'info' | 'plain';
  /** Shown instead of an empty table. */
  empty?: string | undefined;
}

/** Everything a picture shows, top to bottom. */
export interface PictureView {
  title: string;
  subtitle: string;
  figures: PictureFigure[];
  chart?: ChartView | undefined;
  tables: TableView[];
  /** The small print at the bottom. */
  footer: string;
}

/** A picture to send: its file name, what it shows, and the text that goes with it. */
export interface PictureReply {
  name: string;
  view: PictureView;
}

/** Draws pictures; src/adapters/pictures implements it (SVG, rasterised to PNG). */
export interface PictureRenderer {
  /** The view as a PNG. Rejects when it cannot be drawn; the caller then answers with the text. */
  render(view: PictureView): Promise<Uint8Array>;
}
