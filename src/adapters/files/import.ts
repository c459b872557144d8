import { InventoryService, type WriteKind } from '../../core/inventory.service.ts';
import type { Result } from '../../core/failures.ts';
import type { WriteOutcome } from '../../core/inventory.service.ts';
import type { ImportBatches, InventoryStore, ScratchCopies, ShopRecord, SourceInput, UnitOfWork } from '../../core/ports.ts';
import { ENTRY_FIELDS, looksLikeHeader, matchHeaders, STOCK_FIELDS } from './headers.ts';
import { ImportCatalogue } from './import-catalogue.ts';
import { planEntries } from './import-entries.ts';
import { failureReason, type ImportKind, type ImportPlan, type PlannedWrite, type RowProblem } from './import-plan.ts';
import { planStock } from './import-stock.ts';
import { readTable, TableError, type Table } from './table.ts';

export type { ImportKind, RowProblem } from './import-plan.ts';

/** Where an import writes, and as whom. */
export interface ImportTarget {
  store: InventoryStore;
  service: InventoryService;
  shop: ShopRecord;
  /** Recorded as the actor of every entry (the person who sent or ran the import). */
  actor: { id: string; name?: string | undefined };
  now?: (() => Date) | undefined;
}

export interface ImportOptions {
  /** Import the good rows even when some are bad (the bad ones are listed and left out). */
  skipBad?: boolean | undefined;
  /** Check everything and report, writing nothing. */
  dryRun?: boolean | undefined;
  /** Date of opening stock (stock imports); now when absent. */
  asOf?: Date | undefined;
  /** Called as rows are written: rows done so far, rows to write in all. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Rows per committed chunk (messages per inner transaction for importTable); the default suits files of any size. */
  batchSize?: number | undefined;
  /**
   * Empty `table.rows` once the rows are planned, so a big file is not held in memory while the
   * ledger is written (which makes the writing measurably faster). For callers done with the table.
   */
  releaseRows?: boolean | undefined;
}

/** What an import did (or, for a dry run or a refused file, would do). */
export interface ImportSummary {
  kind: ImportKind;
  file: string;
  format: Table['format'];
  encoding?: string | undefined;
  sheet?: string | undefined;
  /** Recognised columns, in file order. */
  columns: { header: string; field: string }[];
  ignoredColumns: string[];
  /** Data rows in the file. */
  rows: number;
  /** Bad rows, by row number; empty when everything can be imported. */
  problems: RowProblem[];
  /** Rows left out: bad rows, the other lines of their document, rows repeated exactly. */
  skippedRows: number;
  dryRun: boolean;
  /** True when bad rows stopped the import (they were found and skipBad was not set): nothing was written. */
  blocked: boolean;
  /** True when the ledger was changed (false for a dry run, and when bad rows stopped the import). */
  written: boolean;
  /** Rows written now (or that a dry run would write). */
  importedRows: number;
  /** Rows found already imported by an earlier run: nothing is written for them again. */
  duplicateRows: number;
  entries: number;
  createdProducts: string[];
  updatedProducts: number;
  createdLocations: string[];
  /** Per kind of entry: rows, units and money (分) written. */
  byKind: Partial<Record<WriteKind, { rows: number; qtyMilli: number; amount: number }>>;
  notes: string[];
  /** Why the file as a whole could not be imported. */
  fatal?: string | undefined;
  ms: number;
}

/** Thrown inside the import transaction to undo it (dry run, or bad rows without skipBad). */
class Rollback extends Error {}

const DEFAULT_BATCH = 500;

/**
 * Reads, validates and (unless dryRun) imports a file of opening stock or ledger entries, all or
 * none unless skipBad is set (see importTableInChunks: written in committed chunks, undone as a whole
 * when a row is refused; dry runs on a copy). Rows already imported (same content, same shop) are
 * recognised and not written again.
 */
export async function importFile(target: ImportTarget, kind: ImportKind, bytes: Uint8Array, filename: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const read = await readImportTable(kind, bytes, filename);
  if ('fatal' in read) return fatalSummary(kind, filename, read.fatal, options, started);
  return importTableInChunks(target, kind, read.table, filename, { ...options, releaseRows: true }, started);
}

/** Reads an import file into a table, finding the header row by the column names of `kind`. */
export async function readImportTable(kind: ImportKind, bytes: Uint8Array, filename: string): Promise<{ table: Table } | { fatal: string }> {
  try {
    return { table: await readTable(bytes, filename, (cells) => (kind === 'stock' ? looksLikeHeader(cells, STOCK_FIELDS) : looksLikeHeader(cells, ENTRY_FIELDS))) };
  } catch (error) {
    if (error instanceof TableError) return { fatal: error.message };
    throw error;
  }
}

/**
 * Which import a file is, for a file sent without saying: a ledger has a date column, a stock
 * list does not. Undefined when the file cannot be read.
 */
export async function detectImportKind(bytes: Uint8Array, filename: string): Promise<ImportKind | undefined> {
  const read = await readImportTable('entries', bytes, filename);
  if ('fatal' in read) return undefined;
  return matchHeaders(read.table.headers, ENTRY_FIELDS).columns.date === undefined ? 'stock' : 'entries';
}

/** The summary of a file that could not be read at all. */
export function unreadableSummary(kind: ImportKind, filename: string, message: string, options: ImportOptions = {}): ImportSummary {
  return fatalSummary(kind, filename, message, options, performance.now());
}

/** A dry run: what importing the file would do, with every bad row; nothing is written. */
export function previewImport(target: ImportTarget, kind: ImportKind, bytes: Uint8Array, filename: string, options: Omit<ImportOptions, 'dryRun'> = {}): Promise<ImportSummary> {
  return importFile(target, kind, bytes, filename, { ...options, dryRun: true });
}

/**
 * Imports rows already read into a table (the replay and tests build tables directly) in one
 * transaction: simple, but it holds the database's write lock for the whole import. A bot's chats
 * use importTableInChunks, which does not.
 */
export async function importTable(target: ImportTarget, kind: ImportKind, table: Table, filename: string, options: ImportOptions = {}, started = performance.now()): Promise<ImportSummary> {
  const planned = await planImport(target, kind, table, filename, options);
  if (!planned.ok) return fatalSummary(kind, filename, planned.fatal, options, started, table, planned.plan);
  return await applyPlan(target, planned.plan, options, started);
}

async function planImport(target: ImportTarget, kind: ImportKind, table: Table, filename: string, options: ImportOptions): Promise<{ ok: true; plan: ImportPlan } | { ok: false; fatal: string; plan?: ImportPlan | undefined }> {
  if (table.headers.length === 0) return { ok: false, fatal: '表格是空的。' };
  const catalogue = await ImportCatalogue.of(target.store, target.shop.id);
  const now = target.now ?? (() => new Date());
  const plan =
    kind === 'stock' ? planStock(table, filename, catalogue, options.asOf ?? now()) : planEntries(table, filename, catalogue, target.shop.timeZone);
  if (plan.fatal) return { ok: false, fatal: plan.fatal, plan };
  if (options.releaseRows) table.rows = [];
  return { ok: true, plan };
}

/** Rows written per committed chunk: short enough that a chat waits at most a moment for the write lock. */
export const COMMIT_ROWS = 2_000;

/** Longest a chunk holds the write lock before it commits, whatever its row count (a chat then waits about this long). */
const CHUNK_MS = 50;
/** Rows handed to recordBatch at a time inside a chunk, so the time limit is checked often. */
const BATCH_ROWS = 50;
/** Pause between chunks: chats of this process run, and other processes waiting for the lock get it. */
const PAUSE_MS = 30;

/** A running import whose heartbeat is older than this was killed midway. */
const STALE_IMPORT_MS = 2 * 60_000;

const hasBatches = (store: unknown): store is ImportBatches =>
  typeof store === 'object' && store !== null && typeof (store as Partial<ImportBatches>).beginImport === 'function';


/**
 * Imports a table without holding the write lock for long, so chats keep recording and answering
 * meanwhile: the rows are written in committed chunks of COMMIT_ROWS that yield to the event loop in
 * between, under an import batch id. All or none still holds: when a row is refused (and skipBad is
 * not set) the chunks already written are undone as a whole, and an import killed midway is undone
 * by the next import into the shop. A dry run — and an import with bad cells, which only reports —
 * runs on a private copy of the database, never touching the live one.
 */
export async function importTableInChunks(target: ImportTarget, kind: ImportKind, table: Table, filename: string, options: ImportOptions = {}, started = performance.now()): Promise<ImportSummary> {
  const store = target.store;
  if (!hasBatches(store)) return await importTable(target, kind, table, filename, options, started);
  const notes = await undoStaleImports(target, store);
  const planned = await planImport(target, kind, table, filename, { ...options, releaseRows: false });
  let summary: ImportSummary;
  if (!planned.ok) summary = fatalSummary(kind, filename, planned.fatal, options, started, table, planned.plan);
  else if (options.dryRun || (planned.plan.problems.length > 0 && !options.skipBad)) summary = await onCopy(target, (copy) => importTable(copy, kind, table, filename, options, started));
  else {
    if (options.releaseRows) table.rows = [];
    summary = await applyInChunks(target, store, planned.plan, options, started);
  }
  summary.notes.unshift(...notes);
  return summary;
}

const hasScratch = (store: unknown): store is ScratchCopies =>
  typeof store === 'object' && store !== null && typeof (store as Partial<ScratchCopies>).withScratchCopy === 'function';

/** Runs `work` against a throwaway copy of the live database, so a dry run never touches it. */
async function onCopy(target: ImportTarget, work: (copy: ImportTarget) => Promise<ImportSummary>): Promise<ImportSummary> {
  const live = target.store;
  if (!hasScratch(live)) return await work(target);
  const now = target.now ?? (() => new Date());
  return await live.withScratchCopy((store) => work({ ...target, store, service: new InventoryService(store, { now }) }));
}

/** Undoes, whole, the imports of the shop that were killed midway; returns a note for each. */
async function undoStaleImports(target: ImportTarget, store: ImportBatches): Promise<string[]> {
  const now = (target.now ?? (() => new Date()))();
  const notes: string[] = [];
  for (const batchId of await store.staleImports(target.shop.id, new Date(now.getTime() - STALE_IMPORT_MS))) {
    const left = await undoImportBatch(target, store, batchId);
    notes.push(left === 0 ? `上次的导入（批次 ${batchId}）中途停止，已整批撤销` : `上次的导入（批次 ${batchId}）中途停止，已撤销；有 ${left} 单的货已经卖出，没能撤销，请核对`);
  }
  return notes;
}

/**
 * Undoes every message of an import batch, newest first, with reversal entries (the ledger keeps
 * both), in committed chunks. Returns how many messages could not be undone (their goods have left).
 */
export async function undoImportBatch(target: ImportTarget, store: ImportBatches, batchId: number): Promise<number> {
  const now = target.now ?? (() => new Date());
  const firsts = await store.importMessages(batchId);
  let refused = 0;
  for (let i = 0; i < firsts.length; i += COMMIT_ROWS) {
    await target.store.transaction(async () => {
      for (const seq of firsts.slice(i, i + COMMIT_ROWS)) {
        const undo = await target.service.undo(target.shop.id, { messageOfEntry: seq }, {
          platform: 'import',
          chatId: `undo:${batchId}`,
          messageId: String(seq),
          text: `撤销导入批次 ${batchId}`,
          actorId: target.actor.id,
          actorName: target.actor.name,
        });
        if (!undo.ok && undo.failure.code !== 'ALREADY_REVERSED') refused += 1;
      }
    });
  }
  await store.finishImport(batchId, 'undone', now());
  return refused;
}

async function applyInChunks(target: ImportTarget, store: ImportBatches, plan: ImportPlan, options: ImportOptions, started: number): Promise<ImportSummary> {
  const now = target.now ?? (() => new Date());
  const summary = baseSummary(plan, options);
  const problems = [...plan.problems];
  const totalRows = plan.writes.reduce((n, w) => n + w.rows.length, 0);
  const batchId = await store.beginImport(target.shop.id, plan.file, target.actor.id, now());
  const writes: (PlannedWrite | undefined)[] = plan.writes;
  const commitRows = Math.max(1, options.batchSize ?? COMMIT_ROWS);
  let done = 0;
  let refused = false;
  options.onProgress?.(0, totalRows);
  // Chunks of about COMMIT_ROWS rows; the products go with the first one.
  let i = 0;
  do {
    let rows = 0;
    const held = performance.now();
    // One committed chunk: up to commitRows rows, or as many as fit in CHUNK_MS holding the write lock
    // (on a slow or busy machine fewer rows), written in small batches.
    await target.store.transaction(async (uow) => {
      if (i === 0) await applyProducts(target, uow, plan, summary, now());
      while (i < writes.length && rows < commitRows && (rows === 0 || performance.now() - held < CHUNK_MS)) {
        let end = i;
        let part = 0;
        while (end < writes.length && part < BATCH_ROWS && rows + part < commitRows) part += (writes[end++] as PlannedWrite).rows.length;
        const chunk = writes.slice(i, end) as PlannedWrite[];
        writes.fill(undefined, i, end);
        const results = await target.service.recordBatch(target.shop.id, chunk.map((w) => ({ req: w.req, source: { ...sourceOf(target, plan, w.key, w.text), importBatchId: batchId } })));
        refused = tally(results, chunk, summary, problems) || refused;
        rows += part;
        i = end;
      }
      await store.heartbeatImport(batchId, now());
    });
    done += rows;
    options.onProgress?.(done, totalRows);
    if (refused && !options.skipBad) break;
    // Long enough that another process polling for the lock (SQLite sleeps up to 100 ms between tries) gets it.
    await new Promise<void>((resolve) => setTimeout(resolve, PAUSE_MS));
  } while (i < writes.length);
  if (refused && !options.skipBad) {
    const left = await undoImportBatch(target, store, batchId);
    if (left > 0) summary.notes.push(`导入已撤销，但有 ${left} 单的货在导入期间已经卖出，没能撤销，请核对库存`);
    summary.importedRows = 0;
    summary.entries = 0;
    summary.byKind = {};
  } else {
    await store.finishImport(batchId, 'done', now());
    summary.written = summary.importedRows > 0 || summary.createdProducts.length > 0 || summary.updatedProducts > 0;
  }
  summary.problems = problems.sort((a, b) => a.row - b.row);
  summary.blocked = problems.length > 0 && !options.skipBad;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

async function applyPlan(target: ImportTarget, plan: ImportPlan, options: ImportOptions, started: number): Promise<ImportSummary> {
  const { store, service, shop } = target;
  const now = (target.now ?? (() => new Date()))();
  const summary = baseSummary(plan, options);
  const problems = [...plan.problems];
  const totalRows = plan.writes.reduce((n, w) => n + w.rows.length, 0);
  const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  let done = 0;
  options.onProgress?.(0, totalRows);
  try {
    await store.transaction(async (uow) => {
      await applyProducts(target, uow, plan, summary, now);
      // Written chunks are let go as the import goes, so memory does not grow with the file.
      const writes: (PlannedWrite | undefined)[] = plan.writes;
      for (let i = 0; i < writes.length; i += batch) {
        const chunk = writes.slice(i, i + batch) as PlannedWrite[];
        writes.fill(undefined, i, i + batch);
        const results = await service.recordBatch(
          shop.id,
          chunk.map((w) => ({ req: w.req, source: sourceOf(target, plan, w.key, w.text) })),
        );
        tally(results, chunk, summary, problems);
        done += chunk.reduce((n, w) => n + w.rows.length, 0);
        options.onProgress?.(done, totalRows);
      }
      if (options.dryRun || (problems.length > 0 && !options.skipBad)) throw new Rollback();
    });
    summary.written = true;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    // Products planned in the rolled-back transaction do not exist.
    for (const change of plan.products) if (change.create) change.ref.id = undefined;
  }
  summary.written = summary.written && (summary.importedRows > 0 || summary.createdProducts.length > 0 || summary.updatedProducts > 0);
  summary.problems = problems.sort((a, b) => a.row - b.row);
  summary.blocked = !summary.dryRun && problems.length > 0 && !options.skipBad;
  summary.ms = Math.round(performance.now() - started);
  return summary;
}

/** Creates and updates the products the plan needs; only settings that differ from what is stored count. */
async function applyProducts(target: ImportTarget, uow: UnitOfWork, plan: ImportPlan, summary: ImportSummary, now: Date): Promise<void> {
  for (const change of plan.products) {
    const current = change.ref.current;
    if (current) {
      for (const key of Object.keys(change.patch) as (keyof typeof change.patch)[]) if (change.patch[key] === current[key]) delete change.patch[key];
      if (Object.keys(change.patch).length === 0) continue;
    }
    if (change.create) {
      const created = await uow.createProduct(target.shop.id, change.ref.name, change.ref.unit, now);
      change.ref.id = created.id;
      summary.createdProducts.push(created.name);
    } else summary.updatedProducts += 1;
    if (Object.keys(change.patch).length > 0) await target.store.updateProduct(target.shop.id, change.ref.id as number, change.patch);
  }
}

/** Adds a chunk's results to the summary; true when a row was refused. */
function tally(results: Result<WriteOutcome>[], chunk: PlannedWrite[], summary: ImportSummary, problems: RowProblem[]): boolean {
  let refused = false;
  results.forEach((result, j) => {
    const write = chunk[j];
    if (!write) return;
    if (!result.ok) {
      const failure = result.failure;
      const product = 'product' in failure ? failure.product : undefined;
      const at = write.req.items.findIndex((item) => item.product === product);
      const row = write.rows[Math.max(0, at)] ?? 0;
      const whole = write.rows.length > 1 ? `（单号 ${write.docNo ?? ''} 整单 ${write.rows.length} 行未导入）` : '';
      problems.push({ row, reason: `${failureReason(failure)}${whole}` });
      refused = true;
      summary.skippedRows += write.rows.length;
      return;
    }
    const outcome = result.value;
    if (outcome.duplicate) {
      summary.duplicateRows += write.rows.length;
      return;
    }
    summary.importedRows += write.rows.length;
    summary.entries += outcome.entries.length;
    for (const name of outcome.createdLocations) if (!summary.createdLocations.includes(name)) summary.createdLocations.push(name);
    const k = (summary.byKind[write.req.kind] ??= { rows: 0, qtyMilli: 0, amount: 0 });
    k.rows += write.rows.length;
    for (const e of outcome.entries) {
      k.qtyMilli += Math.abs(e.qtyMilli);
      k.amount += Math.abs(e.amount);
    }
  });
  return refused;
}

function sourceOf(target: ImportTarget, plan: ImportPlan, key: string, text: string): SourceInput {
  return {
    platform: 'import',
    chatId: `${plan.kind}:${target.shop.id}`,
    messageId: key,
    text: `导入 ${plan.file}：${text}`,
    actorId: target.actor.id,
    actorName: target.actor.name,
  };
}

function baseSummary(plan: ImportPlan, options: ImportOptions): ImportSummary {
  return {
    kind: plan.kind,
    file: plan.file,
    format: plan.table.format,
    encoding: plan.table.encoding,
    sheet: plan.table.sheet,
    columns: plan.columns,
    ignoredColumns: plan.ignoredColumns,
    rows: plan.rows,
    problems: plan.problems,
    skippedRows: plan.skippedRows.size,
    dryRun: options.dryRun === true,
    blocked: false,
    written: false,
    importedRows: 0,
    duplicateRows: 0,
    entries: 0,
    createdProducts: [],
    updatedProducts: 0,
    createdLocations: [],
    byKind: {},
    notes: plan.notes,
    ms: 0,
  };
}

function fatalSummary(kind: ImportKind, file: string, message: string, options: ImportOptions, started: number, table?: Table, plan?: ImportPlan): ImportSummary {
  const summary = plan
    ? baseSummary(plan, options)
    : baseSummary(
      { kind, file, table: table ?? { format: file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv', headerRow: 0 }, columns: [], ignoredColumns: [], rows: table?.rows.length ?? 0, problems: [], skippedRows: new Set(), products: [], writes: [], notes: [] },
      options,
    );
  return { ...summary, fatal: message, ms: Math.round(performance.now() - started) };
}
