import { expiryState, unbatchedMilli, type ExpiryState } from '../core/batches.ts';
import type { BatchLine } from '../core/ledger-requests.ts';
import type { BatchRecord, EntryView, StockRow } from '../core/ports.ts';
import { localDate } from '../core/zoned-time.ts';
import { qty } from './format.ts';

/**
 * How batches read in chat: the batches a write moved (with a warning when one is 临期 or past its
 * date), and a product's batches under `查`. Whether a batch is 临期 is the core's rule
 * (core/batches.ts expiryState), the same one the digest's 临期 list uses.
 */

/** What the shop's 临期 rule needs: its zone, its warning days and the moment. */
export interface ExpiryView {
  timeZone: string;
  warnDays: number;
  now: Date;
}

/** `批次 A1101`, or for a batch without a code `2027-05-01 到期的一批`. */
export function batchLabel(code: string | null, expiresAt: Date | null, timeZone: string): string {
  if (code !== null) return `批次 ${code}`;
  return expiresAt === null ? '未编号批次' : `${localDate(expiresAt, timeZone)} 到期的一批`;
}

/** `12 天后到期`, `今天到期`, `已过期 3 天`. */
export function expiryWords(state: ExpiryState): string {
  if (state.kind === 'expired') return `已过期 ${state.daysAgo} 天`;
  if (state.days === 0) return '今天到期';
  return `${state.days} 天后到期`;
}

/** The warning for a batch within the shop's 临期 days or past its date, if it is. */
function warning(code: string | null, expiresAt: Date | null, view: ExpiryView): string | undefined {
  if (expiresAt === null) return undefined;
  const state = expiryState(expiresAt, view.now, view.timeZone, view.warnDays);
  if (state.kind === 'ok') return undefined;
  return `⚠️ ${batchLabel(code, expiresAt, view.timeZone)} ${expiryWords(state)}`;
}

/**
 * Lines under a write's confirmation: per entry, which batches it put goods into or took them from
 * (`📦 #12 出自 批次 A1101 2箱、批次 A1102 1箱`), then one warning per 临期 or expired batch.
 */
export function batchMoveLines(batches: readonly BatchLine[], entries: readonly EntryView[], view: ExpiryView): string[] {
  if (batches.length === 0) return [];
  const lines: string[] = [];
  const warnings = new Set<string>();
  const bySeq = new Map<number, BatchLine[]>();
  for (const b of batches) bySeq.set(b.entrySeq, [...(bySeq.get(b.entrySeq) ?? []), b]);
  for (const [seq, moves] of bySeq) {
    const entry = entries.find((e) => e.seq === seq);
    // A transfer's arriving half holds the same batches its leaving half names.
    if (!entry || entry.kind === 'transfer_in') continue;
    const into = (moves[0]?.qtyMilli ?? 0) > 0;
    const parts = moves.map((m) => {
      const date = m.code !== null && m.expiresAt !== null ? `（${localDate(m.expiresAt, view.timeZone)} 到期）` : '';
      return `${batchLabel(m.code, m.expiresAt, view.timeZone)}${date} ${qty(Math.abs(m.qtyMilli), entry.unit)}`;
    });
    lines.push(`📦 #${seq} ${into ? '入' : '出自'} ${parts.join('、')}`);
    for (const m of moves) {
      const w = warning(m.code, m.expiresAt, view);
      if (w !== undefined) warnings.add(w);
    }
  }
  return [...lines, ...warnings];
}

/**
 * A product's batches under `查`, first-expiring first per location, and what no batch holds:
 * `  · 批次 A1101 47箱 2027-05-01 到期（12 天后到期）`.
 */
export function batchStockLines(rows: readonly StockRow[], batches: readonly (BatchRecord & { location: string })[], view: ExpiryView): string[] {
  if (batches.length === 0) return [];
  const lines: string[] = [];
  const places = new Set(rows.map((r) => r.location));
  for (const b of batches) places.add(b.location);
  const severalPlaces = places.size > 1;
  for (const place of places) {
    const here = batches.filter((b) => b.location === place);
    const row = rows.find((r) => r.location === place);
    if (here.length === 0 || !row) continue;
    const where = severalPlaces ? `${place} ` : '';
    for (const b of here) {
      const date = b.expiresAt === null ? '' : ` ${localDate(b.expiresAt, view.timeZone)} 到期`;
      const state = b.expiresAt === null ? undefined : expiryState(b.expiresAt, view.now, view.timeZone, view.warnDays);
      const flag = state === undefined || state.kind === 'ok' ? '' : `（⚠️ ${expiryWords(state)}）`;
      const label = b.code !== null ? `批次 ${b.code}` : '未编号批次';
      lines.push(`  · ${where}${label} ${qty(b.qtyMilli, row.unit)}${date}${flag}`);
    }
    const loose = unbatchedMilli(row.qtyMilli, here);
    if (loose > 0) lines.push(`  · ${where}未分批 ${qty(loose, row.unit)}`);
  }
  return lines;
}
