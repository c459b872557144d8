/**
 * The daily digest in Chinese: compact lines that fit a phone screen, the same wording for the
 * scheduled push, the on-demand `日报` and `jxc digest` on a terminal. Owner-only figures (stock value,
 * cost, profit) sit on lines of their own, so a staff copy is the owner's copy minus exactly those lines.
 */
import { collectDigest, type Digest, type DigestWindow, type ReorderCrossing, type ShortageLine, type OverstockLine } from '../core/digest.ts';
import type { DigestQueries } from '../core/digest-queries.ts';
import type { ShopRecord } from '../core/ports.ts';
import { percent, qty, yuanGrouped } from './format.ts';
import { REPOSTING_NOTE } from './replies.ts';
import { isoDate, localClock, localDate, localDay, parseIsoDate, startOfLocalDay } from '../core/zoned-time.ts';

/** Lines per list before it is cut. */
const MAX_LINES = 10;

export interface RenderOptions {
  /** Owner chats see stock value, cost of sales, gross profit and margin; staff chats never do. */
  seeCost: boolean;
  /** The scheduled send was missed while the bot was down and this copy comes afterwards. */
  late?: boolean | undefined;
  /** A queued repost is still recomputing costs of the day (an entry was recorded for an earlier date). */
  reposting?: boolean | undefined;
}

interface Line {
  text: string;
  ownerOnly: boolean;
}

/** Words the digest for one chat. */
export function renderDigest(digest: Digest, options: RenderOptions): string {
  const lines = digestLines(digest, options.late === true);
  if (options.reposting) lines.push({ text: REPOSTING_NOTE, ownerOnly: true });
  return lines
    .filter((l) => options.seeCost || !l.ownerOnly)
    .map((l) => l.text)
    .join('\n');
}

function digestLines(d: Digest, late: boolean): Line[] {
  const zone = d.shop.timeZone;
  const lines: Line[] = [];
  const add = (text: string, ownerOnly = false) => lines.push({ text, ownerOnly });
  const current = d.asOf < d.dayTo;
  // A digest read after its day is over (a late one, a past date) speaks of 当日, not 今日.
  const dayWord = current ? '今' : '当';
  const until = current ? `（截至 ${localClock(d.asOf, zone)}）` : '';
  add(`📋 ${d.shop.name} 日报 ${localDay(d.dayFrom, zone)}${until}`);
  if (late) add('⏰ 补发：预定发送时机器人不在线。');

  if (d.quiet) add(`${current ? '今天' : '这天'}没有进出库记录。`);
  else {
    if (d.movements.length > 0) {
      add(`📝 ${dayWord}日出入库 ${d.movements.length} 种：`);
      for (const m of d.movements.slice(0, MAX_LINES)) {
        const parts: string[] = [];
        if (m.purchasedMilli !== 0) parts.push(`进${qty(m.purchasedMilli, m.unit)}`);
        if (m.soldMilli !== 0) parts.push(`出${qty(m.soldMilli, m.unit)}`);
        if (m.customerReturnMilli !== 0) parts.push(`客退${qty(m.customerReturnMilli, m.unit)}`);
        if (m.supplierReturnMilli !== 0) parts.push(`退供${qty(m.supplierReturnMilli, m.unit)}`);
        if (m.adjustedMilli !== 0) parts.push(`${m.adjustedMilli > 0 ? '盘盈' : '盘亏'}${qty(Math.abs(m.adjustedMilli), m.unit)}`);
        add(`· ${m.product} ${parts.join(' ')}`);
      }
      more(add, d.movements.length, '发「导出」或 npx jxc export entries 看全部');
    }
    if (d.channels.length > 0) {
      add(`🛒 销售 ${d.sales.salesCount} 笔，销售额 ${yuanGrouped(d.sales.revenue)} 元`);
      const named = d.channels.length > 1 || d.channels[0]?.channel !== null;
      if (named) for (const c of d.channels) add(`· ${c.channel ?? '未注明渠道'} ${c.salesCount} 笔 ${yuanGrouped(c.revenue)} 元`);
    }
  }

  if (d.stock.skus > 0) {
    const units = d.stock.unit === null ? `${qty(d.stock.unitsMilli, '')} 个单位` : qty(d.stock.unitsMilli, d.stock.unit);
    add(`📦 库存 ${d.stock.skus} 种，共 ${units}`);
  }
  if (d.stock.skus > 0 || d.stock.value !== 0) add(`库存金额 ${yuanGrouped(d.stock.value)} 元（按平均成本）`, true);

  for (const [label, p] of [
    [`${dayWord}日`, d.profit.day],
    ['本月至今', d.profit.month],
  ] as const) {
    if (p.revenue === 0 && p.cost === 0) continue;
    add(`💰 ${label}毛利 ${yuanGrouped(p.grossProfit)} 元，毛利率 ${p.margin === null ? '—' : percent(p.grossProfit, p.revenue)}`, true);
    add(`   营收 ${yuanGrouped(p.revenue)} 元，成本 ${yuanGrouped(p.cost)} 元`, true);
  }

  if (d.shortages.length > 0) {
    add(`⚠️ 缺货/低库存 ${d.shortages.length} 种：`);
    for (const s of d.shortages.slice(0, MAX_LINES)) add(shortageText(s));
    more(add, d.shortages.length, '发「查 缺货」看全部');
  }
  if (d.overstock.length > 0) {
    add(`🐢 积压/滞销 ${d.overstock.length} 种：`);
    for (const o of d.overstock.slice(0, MAX_LINES)) add(overstockText(o, d.settings.noSaleDays));
    more(add, d.overstock.length, '发「查 积压」看全部');
  }
  if (d.backorders.length > 0) {
    add(`🚚 待发（预售欠货）${d.backorders.length} 种：`);
    for (const b of d.backorders.slice(0, MAX_LINES)) add(`· ${b.product} 欠${qty(b.owedMilli, b.unit)}`);
    more(add, d.backorders.length);
  }
  if (d.expiring.length > 0) {
    add(`⏳ 临期 ${d.expiring.length} 批：`);
    for (const e of d.expiring.slice(0, MAX_LINES)) {
      add(`· ${e.product}${e.code ? ` 批次${e.code}` : ''} ${qty(e.qtyMilli, e.unit)} ${e.expired ? '已过期' : `${localDay(e.expiresAt, zone)}到期`}`);
    }
    more(add, d.expiring.length);
  }
  return lines;
}

/** One 缺货 line: stock, why, and what to buy (the digest and `查 缺货` share it). */
export function shortageText(s: ShortageLine): string {
  const suggest = s.suggestMilli > 0 ? ` → 建议补${qty(s.suggestMilli, s.unit)}` : '';
  return `· ${s.product} ${qty(s.qtyMilli, s.unit)}（${shortageNotes(s).join('，')}）${suggest}`;
}

/** Why a product is short (预警10, 已断货, 够卖3天，交期7天): the text line and the picture's table share it. */
export function shortageNotes(s: ShortageLine): string[] {
  const notes: string[] = [];
  if (s.reorderLevel !== null) notes.push(`预警${s.reorderLevel}`);
  if (s.qtyMilli <= 0) notes.push('已断货');
  else if (s.coverDays !== null) notes.push(`够卖${days(s.coverDays)}天，交期${s.leadTimeDays}天`);
  return notes;
}

/** One 积压 line: stock and why (the digest and `查 积压` share it). */
export function overstockText(o: OverstockLine, noSaleDays: number): string {
  return `· ${o.product} ${qty(o.qtyMilli, o.unit)}（${overstockNotes(o, noSaleDays).join('，')}）`;
}

/** Why a product is piling up (积压线200, 够卖120天, 30天没卖出): the text line and the picture's table share it. */
export function overstockNotes(o: OverstockLine, noSaleDays: number): string[] {
  const notes: string[] = [];
  if (o.reasons.includes('overstockLevel') && o.overstockLevel !== null) notes.push(`积压线${o.overstockLevel}`);
  if (o.reasons.includes('cover') && o.coverDays !== null) notes.push(`够卖${days(o.coverDays)}天`);
  if (o.reasons.includes('noSale')) notes.push(`${noSaleDays}天没卖出`);
  return notes;
}

function more(add: (text: string) => void, total: number, hint?: string): void {
  if (total > MAX_LINES) add(`…另 ${total - MAX_LINES} 种${hint ? `，${hint}` : ''}`);
}

/** 1.5 below ten days, whole days above. */
function days(n: number): string {
  if (n < 0) return '0';
  return n < 10 ? String(Math.floor(n * 10) / 10) : String(Math.floor(n));
}

/**
 * The instants a digest covers in the shop's zone: the local date (today, or `date` as YYYY-MM-DD),
 * its midnight-to-midnight span (23 or 25 hours on DST days), the month so far, and `asOf`: now, or
 * the end of the day for a past date, where the sales-rate windows end.
 */
export function digestWindow(now: Date, timeZone: string, date?: string): DigestWindow {
  const ymd = parseIsoDate(date ?? localDate(now, timeZone));
  if (!ymd) throw new RangeError(`not a calendar date: ${date}`);
  const { year, month, day } = ymd;
  const dayFrom = startOfLocalDay(timeZone, year, month, day);
  const dayTo = startOfLocalDay(timeZone, year, month, day + 1);
  return {
    date: isoDate(year, month, day),
    dayFrom,
    dayTo,
    monthFrom: startOfLocalDay(timeZone, year, month, 1),
    asOf: now < dayTo ? now : dayTo,
  };
}

/**
 * The on-demand `日报` / `/digest`: the current digest (or a past date's) for the asking chat. It is not
 * the day's scheduled digest and records nothing.
 */
export async function digestReply(
  queries: DigestQueries,
  shop: Pick<ShopRecord, 'id' | 'name' | 'timeZone'>,
  seeCost: boolean,
  now: Date,
  date?: string,
): Promise<string> {
  const digest = await collectDigest(queries, { id: shop.id, name: shop.name, timeZone: shop.timeZone }, digestWindow(now, shop.timeZone, date));
  return renderDigest(digest, { seeCost });
}

/** The low-stock alert after a sale; null when the sale made no product short. */
export function lowStockAlertText(crossings: readonly ReorderCrossing[]): string | null {
  if (crossings.length === 0) return null;
  if (crossings.length === 1) {
    const c = crossings[0] as ReorderCrossing;
    return `⚠️ 低库存：${c.product} 只剩 ${qty(c.afterMilli, c.unit)}，${crossingWhy(c, true)}，该补货了。`;
  }
  return [`⚠️ 低库存 ${crossings.length} 种：`, ...crossings.map((c) => `· ${c.product} 剩${qty(c.afterMilli, c.unit)}（${crossingWhy(c, false)}）`)].join('\n');
}

/** Why a product just became short: its reorder level, or days of cover below the lead time. */
function crossingWhy(c: ReorderCrossing, long: boolean): string {
  if (c.reasons.includes('reorderLevel') && c.reorderLevel !== null) return long ? `已到预警线 ${c.reorderLevel}${c.unit}` : `预警${c.reorderLevel}`;
  const cover = c.coverDays === null ? '' : `${days(c.coverDays)}天`;
  return long ? `按最近销量只够卖${cover}` : `够卖${cover}`;
}
