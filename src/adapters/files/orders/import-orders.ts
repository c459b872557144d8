import type { Result } from '../../../core/failures.ts';
import { InventoryService, type WriteOutcome } from '../../../core/inventory.service.ts';
import type { InventoryStore, ScratchCopies } from '../../../core/ports.ts';
import type { ImportTarget } from '../import.ts';
import { failureReason } from '../import-plan.ts';
import type { Table } from '../table.ts';
import { planOrders, type OrderPlan, type OrderWrite, type UnmatchedTitle } from './plan-orders.ts';
import { readOrderFile } from './read-orders.ts';

/** What an order import did (or, for a preview, would do). */
export interface OrderImportSummary {
  file: string;
  format?: Table['format'] | undefined;
  encoding?: string | undefined;
  sheet?: string | undefined;
  /** The platform as named in the report (淘宝/天猫, 拼多多 …). */
  platform?: string | undefined;
  channel?: string | undefined;
  /** The platform's layout was guessed, not taken from a public example. */
  guessedLayout: boolean;
  amountRule?: string | undefined;
  rows: number;
  orders: number;
  dryRun: boolean;
  /** Sale lines written now (or that a preview would write), with their units and money (分). */
  sales: { lines: number; qtyMilli: number; amount: number };
  /** Refunded lines written as customer returns. */
  returns: { lines: number; qtyMilli: number; amount: number };
  /** Writes already made by an earlier import of these orders: nothing written again. */
  duplicates: number;
  cancelled: { status: string; lines: number }[];
  unknownStatus: { row: number; status: string }[];
  unmatched: UnmatchedTitle[];
  /** Rows that could not be read, and lines the ledger refused (not enough stock …). */
  problems: { row: number; reason: string }[];
  /** Lines refunded in part: recorded as sales only. */
  partialRefunds: OrderPlan['partialRefunds'];
  /** The ledger changed. */
  written: boolean;
  fatal?: string | undefined;
  ms: number;
}

export interface OrderImportOptions {
  dryRun?: boolean | undefined;
  /** The platform named by the user (`--platform 淘宝`, the words sent with the file). */
  platform?: string | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Thrown to undo a preview's writes. */
class Preview extends Error {}

/** Writes per committed chunk; the event loop gets a turn in between, so chats keep being answered. */
const CHUNK = 200;

/**
 * Imports a platform's order export: each paid line becomes a sale on the platform's channel at its
 * pay time, a refunded line also a customer return, cancelled and unpaid orders nothing. Every line
 * is recorded at most once (keyed by platform, order number and line), so importing the same file
 * again — or an overlapping later export — writes only what is new and says how much was already
 * there. Lines are independent: an unmatched title or a refused line is listed and the others are
 * recorded; fixing it and importing again records just that line.
 */
export async function importOrders(target: ImportTarget, bytes: Uint8Array, filename: string, options: OrderImportOptions = {}): Promise<OrderImportSummary> {
  const started = performance.now();
  const dryRun = options.dryRun === true;
  const read = await readOrderFile(bytes, filename, options.platform);
  if ('fatal' in read) return { ...emptySummary(filename, dryRun, read.table), fatal: read.fatal, ms: Math.round(performance.now() - started) };
  const plan = await planOrders(read, target.store, target.shop.id, target.shop.timeZone);
  const summary: OrderImportSummary = {
    ...emptySummary(filename, dryRun, read.table),
    platform: read.layout.label,
    channel: read.channel,
    guessedLayout: !read.layout.verified,
    amountRule: read.layout.amountRule,
    rows: plan.rows,
    orders: plan.orders,
    cancelled: [...plan.cancelled.entries()].map(([status, lines]) => ({ status, lines })),
    unknownStatus: plan.unknownStatus,
    unmatched: plan.unmatched,
    problems: [...plan.problems],
    partialRefunds: plan.partialRefunds,
  };
  if (dryRun) await previewWrites(target, plan, summary);
  else await applyWrites(target, plan, summary, options.onProgress);
  summary.problems.sort((a, b) => a.row - b.row);
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

/** Lines the import writes (or would write): the number a preview shows and a chat confirms. */
export function orderLinesToWrite(summary: OrderImportSummary): number {
  return summary.sales.lines + summary.returns.lines;
}

async function previewWrites(target: ImportTarget, plan: OrderPlan, summary: OrderImportSummary): Promise<void> {
  const run = async (store: InventoryStore, service: InventoryService) => {
    try {
      await store.transaction(async () => {
        const recorder = new Recorder(target, service, summary);
        await recorder.chunk(sales(plan));
        await recorder.chunk(recorder.returnsOfRecordedSales(plan));
        throw new Preview();
      });
    } catch (error) {
      if (!(error instanceof Preview)) throw error;
    }
  };
  // On a throwaway copy of the database when the store lends one, so a preview never holds the live write lock.
  const live = target.store as InventoryStore & Partial<ScratchCopies>;
  const now = target.now ?? (() => new Date());
  if (typeof live.withScratchCopy === 'function') await live.withScratchCopy((copy) => run(copy, copy === target.store ? target.service : new InventoryService(copy, { now })));
  else await run(target.store, target.service);
}

async function applyWrites(target: ImportTarget, plan: OrderPlan, summary: OrderImportSummary, onProgress?: (done: number, total: number) => void): Promise<void> {
  const recorder = new Recorder(target, target.service, summary);
  const total = plan.writes.length;
  let done = 0;
  onProgress?.(0, total);
  const inChunks = async (writes: OrderWrite[]) => {
    for (let i = 0; i < writes.length; i += CHUNK) {
      await recorder.chunk(writes.slice(i, i + CHUNK));
      done += Math.min(CHUNK, writes.length - i);
      onProgress?.(done, total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await inChunks(sales(plan));
  await inChunks(recorder.returnsOfRecordedSales(plan));
  onProgress?.(total, total);
  summary.written = summary.sales.lines + summary.returns.lines > 0;
}

const sales = (plan: OrderPlan): OrderWrite[] => plan.writes.filter((w) => !w.refund);

/**
 * Records order writes and remembers which sales are in the ledger (now or before), so a refund is
 * recorded only after its sale: a return whose sale was refused (not enough stock) would bring goods
 * back that never left.
 */
class Recorder {
  private readonly recordedSales = new Set<string>();

  constructor(
    private readonly target: ImportTarget,
    private readonly service: InventoryService,
    private readonly summary: OrderImportSummary,
  ) {}

  async chunk(writes: readonly OrderWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const results = await this.service.recordBatch(this.target.shop.id, writes.map((w) => ({ req: w.req, source: sourceOf(this.target, w) })));
    tally(results, writes, this.summary);
    results.forEach((r, i) => {
      const w = writes[i] as OrderWrite;
      if (r.ok && !w.refund) this.recordedSales.add(w.source.messageId);
    });
  }

  /** The refunds whose sale is in the ledger; the others are listed as not recorded. */
  returnsOfRecordedSales(plan: OrderPlan): OrderWrite[] {
    return plan.writes.filter((w) => {
      if (!w.refund) return false;
      if (w.saleId !== undefined && this.recordedSales.has(w.saleId)) return true;
      this.summary.problems.push({ row: w.row, reason: `订单 ${w.orderNo} 的退款没有记：这一行的销售没有记上` });
      return false;
    });
  }
}

function sourceOf(target: ImportTarget, w: OrderWrite) {
  return { ...w.source, text: w.text, actorId: target.actor.id, actorName: target.actor.name };
}

function tally(results: Result<WriteOutcome>[], writes: readonly OrderWrite[], summary: OrderImportSummary): void {
  results.forEach((result, i) => {
    const w = writes[i] as OrderWrite;
    if (!result.ok) {
      summary.problems.push({ row: w.row, reason: `订单 ${w.orderNo}${w.refund ? ' 的退款' : ''}：${failureReason(result.failure)}` });
      return;
    }
    if (result.value.duplicate) {
      summary.duplicates += 1;
      return;
    }
    const bucket = w.refund ? summary.returns : summary.sales;
    bucket.lines += 1;
    for (const e of result.value.entries) {
      bucket.qtyMilli += Math.abs(e.qtyMilli);
      bucket.amount += Math.abs(e.amount);
    }
  });
}

function emptySummary(file: string, dryRun: boolean, table?: Table): OrderImportSummary {
  return {
    file,
    format: table?.format ?? (/\.xlsx$/i.test(file) ? 'xlsx' : 'csv'),
    encoding: table?.encoding,
    sheet: table?.sheet,
    guessedLayout: false,
    rows: table?.rows.length ?? 0,
    orders: 0,
    dryRun,
    sales: { lines: 0, qtyMilli: 0, amount: 0 },
    returns: { lines: 0, qtyMilli: 0, amount: 0 },
    duplicates: 0,
    cancelled: [],
    unknownStatus: [],
    unmatched: [],
    problems: [],
    partialRefunds: [],
    written: false,
    ms: 0,
  };
}
