import type { ChartView, PictureView, TableView } from '../../bot/pictures/picture-view.ts';
import { chartSvg } from './charts.ts';
import { FONT_FAMILY } from './font.ts';

/**
 * A picture view laid out as one SVG, top to bottom: title, figure cards, the chart (ECharts' SVG,
 * nested), tables, footer. Hand-written rather than drawn by a layout engine: the layout is fixed and
 * simple, and every word stays an SVG `<text>` (searchable, checked by the tests).
 */

/** Width of a picture in SVG units; rasterised at PIXEL_RATIO for phone screens. */
export const PICTURE_WIDTH = 720;
const PAD = 24;
const INNER = PICTURE_WIDTH - 2 * PAD;
const CHART_HEIGHT = 260;
const ROW = 30;
const COLORS = { text: '#1f2329', muted: '#646a73', line: '#e5e6eb', head: '#f5f6f7', card: '#f7f8fa', warn: '#d9480f', info: '#1c7ed6', plain: '#2f6fde' };

/** Escapes text for SVG. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Width of a character in ems in Noto Sans SC: ideographs and full-width forms are square, Latin narrower. */
function charWidth(code: number): number {
  if (code >= 0x2e80 || (code >= 0x2000 && code <= 0x206f)) return code >= 0xff61 && code <= 0xffdc ? 0.5 : 1;
  if (code === 0x20) return 0.25;
  if (code >= 0x41 && code <= 0x5a) return 0.64;
  return 0.56;
}

/** The width of a text at a font size, estimated (no layout engine needed for a table). */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch.codePointAt(0) ?? 0);
  return em * size;
}

/** The text cut to a width, with … when cut. */
export function fit(text: string, width: number, size: number): string {
  // Half a pixel of slack: a column is exactly as wide as its widest cell, sums of floats are not.
  if (textWidth(text, size) <= width + 0.5) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

interface TextOptions {
  size: number;
  color?: string;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
}

function text(x: number, y: number, content: string, o: TextOptions): string {
  const anchor = o.anchor && o.anchor !== 'start' ? ` text-anchor="${o.anchor}"` : '';
  const weight = o.weight === 'bold' ? ' font-weight="bold"' : '';
  return `<text x="${x}" y="${y}" font-size="${o.size}" fill="${o.color ?? COLORS.text}"${anchor}${weight}>${xml(content)}</text>`;
}

/** Lays out a whole picture; returns the SVG and its height. */
export function pictureSvg(view: PictureView): { svg: string; width: number; height: number } {
  const parts: string[] = [];
  let y = PAD;
  parts.push(text(PAD, y + 26, view.title, { size: 26 }));
  parts.push(text(PICTURE_WIDTH - PAD, y + 26, view.subtitle, { size: 15, color: COLORS.muted, anchor: 'end' }));
  y += 48;

  // Figure cards, four to a row.
  const cols = Math.min(4, Math.max(1, view.figures.length));
  const gap = 10;
  const cardW = (INNER - gap * (cols - 1)) / cols;
  const cardH = 76;
  view.figures.forEach((f, i) => {
    const x = PAD + (i % cols) * (cardW + gap);
    const top = y + Math.floor(i / cols) * (cardH + gap);
    parts.push(`<rect x="${x}" y="${top}" width="${cardW}" height="${cardH}" rx="8" fill="${COLORS.card}"/>`);
    parts.push(text(x + 12, top + 22, fit(f.label, cardW - 24, 13), { size: 13, color: COLORS.muted }));
    parts.push(text(x + 12, top + 48, fit(f.value, cardW - 24, 21), { size: 21 }));
    if (f.note) parts.push(text(x + 12, top + 67, fit(f.note, cardW - 24, 12), { size: 12, color: COLORS.muted }));
  });
  y += Math.ceil(view.figures.length / cols) * (cardH + gap) + 8;

  if (view.chart) y = chart(parts, view.chart, y);
  for (const t of view.tables) y = table(parts, t, y);

  parts.push(`<line x1="${PAD}" y1="${y + 4}" x2="${PICTURE_WIDTH - PAD}" y2="${y + 4}" stroke="${COLORS.line}"/>`);
  parts.push(text(PAD, y + 24, view.footer, { size: 12, color: COLORS.muted }));
  parts.push(text(PICTURE_WIDTH - PAD, y + 24, 'jxc-bot', { size: 12, color: COLORS.muted, anchor: 'end' }));
  const height = Math.ceil(y + 24 + PAD);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE_WIDTH}" height="${height}" viewBox="0 0 ${PICTURE_WIDTH} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect width="${PICTURE_WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg, width: PICTURE_WIDTH, height };
}

function chart(parts: string[], view: ChartView, top: number): number {
  let y = top + 12;
  parts.push(text(PAD, y + 16, view.title, { size: 16 }));
  y += 28;
  const empty = view.series.length === 0 || view.series.every((s) => s.values.every((v) => v === 0));
  if (empty) {
    parts.push(`<rect x="${PAD}" y="${y}" width="${INNER}" height="64" rx="8" fill="${COLORS.card}"/>`);
    parts.push(text(PICTURE_WIDTH / 2, y + 38, view.empty, { size: 14, color: COLORS.muted, anchor: 'middle' }));
    return y + 64 + 8;
  }
  // The chart's own <svg> root, placed in ours.
  parts.push(chartSvg(view, { width: INNER, height: CHART_HEIGHT }).replace(/^<svg /, `<svg x="${PAD}" y="${y}" `));
  return y + CHART_HEIGHT + 8;
}

function table(parts: string[], t: TableView, top: number): number {
  let y = top + 16;
  parts.push(`<rect x="${PAD}" y="${y + 2}" width="4" height="18" rx="2" fill="${COLORS[t.tone]}"/>`);
  parts.push(text(PAD + 12, y + 17, t.title, { size: 16 }));
  y += 30;
  if (t.rows.length === 0) {
    parts.push(text(PAD + 12, y + 18, t.empty ?? '（无）', { size: 14, color: COLORS.muted }));
    return y + 28;
  }
  const widths = columnWidths(t);
  parts.push(`<rect x="${PAD}" y="${y}" width="${INNER}" height="${ROW}" fill="${COLORS.head}"/>`);
  let x = PAD;
  t.columns.forEach((c, i) => {
    parts.push(text(x + 10, y + 20, fit(c, (widths[i] ?? 0) - 20, 13), { size: 13, color: COLORS.muted }));
    x += widths[i] ?? 0;
  });
  y += ROW;
  for (const row of t.rows) {
    x = PAD;
    row.forEach((cell, i) => {
      parts.push(text(x + 10, y + 20, fit(cell, (widths[i] ?? 0) - 20, 14), { size: 14 }));
      x += widths[i] ?? 0;
    });
    parts.push(`<line x1="${PAD}" y1="${y + ROW}" x2="${PICTURE_WIDTH - PAD}" y2="${y + ROW}" stroke="${COLORS.line}"/>`);
    y += ROW;
  }
  if (t.note) {
    parts.push(text(PAD + 10, y + 20, fit(t.note, INNER - 20, 12), { size: 12, color: COLORS.muted }));
    y += 26;
  }
  return y;
}

/** Each column as wide as its widest cell; when they do not fit, the widest columns give way. */
function columnWidths(t: TableView): number[] {
  // 24 = 10 on each side and 4 for the estimate's error.
  const natural = t.columns.map((c, i) => Math.max(textWidth(c, 13), ...t.rows.map((r) => textWidth(r[i] ?? '', 14))) + 24);
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= INNER) {
    // Spare room goes to the first column (names), so figures line up at the same place in every table.
    return natural.map((w, i) => (i === 0 ? w + INNER - total : w));
  }
  // Shrink the widest columns down to a common cap until everything fits.
  const sorted = [...natural].sort((a, b) => b - a);
  let cap = sorted[0] ?? INNER;
  for (let low = 40, high = cap; high - low > 1; ) {
    const mid = (low + high) / 2;
    if (natural.reduce((s, w) => s + Math.min(w, mid), 0) > INNER) high = mid;
    else low = mid;
    cap = low;
  }
  const capped = natural.map((w) => Math.min(w, cap));
  const rest = INNER - capped.reduce((a, b) => a + b, 0);
  return capped.map((w, i) => (i === 0 ? w + rest : w));
}
