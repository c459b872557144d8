import { createRequire } from 'node:module';
import type { ChartView } from '../../bot/pictures/picture-view.ts';
import { FONT_FAMILY } from './font.ts';

/**
 * Charts as SVG, drawn by ECharts' server-side renderer (no browser, no canvas). Loaded through
 * `require`: the single-file build loads several times faster than the ES modules' hundreds of files.
 */
type ECharts = typeof import('echarts');
const require = createRequire(import.meta.url);
let echarts: ECharts | undefined;
const load = (): ECharts => (echarts ??= require('echarts') as ECharts);

/** Channel colours, in the order channels are listed (most revenue first). */
export const PALETTE = ['#2f6fde', '#f2994a', '#27ae60', '#9b51e0', '#eb5757', '#56ccf2', '#8d6e63'];

export interface ChartSize {
  width: number;
  height: number;
}

/** `12,000` and `1.2万` on the value axis. */
function axisMoney(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 10_000).toFixed(1))}万`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/**
 * A chart view as an SVG document of the given size: stacked bars per bucket, lines over them, a
 * legend on top. The texts are SVG `<text>` in FONT_FAMILY, so the SVG can be read and searched, and
 * inlined in a web page as it is.
 */
export function chartSvg(view: ChartView, size: ChartSize): string {
  const chart = load().init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    const many = view.labels.length > 16;
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT_FAMILY },
      grid: { left: 8, right: 12, top: 34, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 13, color: '#333' } },
      xAxis: {
        type: 'category',
        data: view.labels,
        axisTick: { show: false },
        axisLabel: { fontSize: 11, color: '#666', interval: many ? Math.ceil(view.labels.length / 8) - 1 : 0 },
      },
      yAxis: { type: 'value', axisLabel: { fontSize: 11, color: '#666', formatter: axisMoney }, splitLine: { lineStyle: { color: '#eee' } } },
      series: view.series.map((s) =>
        s.type === 'bar'
          ? { name: s.name, type: 'bar', stack: 'total', data: s.values, barMaxWidth: 28 }
          : { name: s.name, type: 'line', data: s.values, symbol: 'circle', symbolSize: many ? 0 : 5, lineStyle: { width: 2 }, z: 5 },
      ),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
