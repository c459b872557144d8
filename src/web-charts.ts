import type { ChartFigure, ChartRenderer } from './adapters/web/charts.ts';
import { chartSvg } from './adapters/pictures/charts.ts';

/** At most this many bars: the rest of a long list stays in the table beside the chart. */
const MAX_BARS = 12;
const SIZE = { width: 640, height: 260 };

/**
 * The web view's charts, drawn by the same ECharts SVG code as the digest pictures (one look in chat
 * and on the page). Wiring only: the web view and the pictures are sibling adapters that do not know
 * each other. Money arrives in 分 and is charted in 元, as the pictures do.
 */
export const webCharts: ChartRenderer = (figure: ChartFigure) => {
  const rows = figureRows(figure).slice(0, MAX_BARS);
  if (rows.length === 0 || rows.every((r) => r.cents === 0)) return undefined;
  return chartSvg(
    {
      title: figure.title,
      labels: rows.map((r) => r.label),
      series: [{ name: figure.kind === 'profitByProduct' ? '毛利' : '销售额', values: rows.map((r) => r.cents / 100), type: 'bar' }],
      empty: '没有数据',
    },
    SIZE,
  );
};

function figureRows(figure: ChartFigure): { label: string; cents: number }[] {
  switch (figure.kind) {
    case 'salesByChannel':
      return figure.rows.map((r) => ({ label: r.channel, cents: r.revenue }));
    case 'salesByProduct':
      return figure.rows.map((r) => ({ label: r.product, cents: r.revenue }));
    case 'profitByProduct':
      return figure.rows.map((r) => ({ label: r.product, cents: r.grossProfit }));
  }
}
