import type { WriteKind } from '../../core/inventory.service.ts';
import type { InventoryService } from '../../core/inventory.service.ts';
import type { InventoryStore, ShopRecord, SourceInput } from '../../core/ports.ts';
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
  /** Messages per inner transaction; the default suits files of any size. */
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
 * Reads, validates and (unless dryRun) imports a file of opening stock or ledger entries. Every
 * problem is found before anything stays written: the whole import runs in one transaction that is
 * rolled back for a dry run, or when any row is bad and skipBad is not set. Rows already imported
 * (same content, same shop) are recognised and not written again.
 */
export async function importFile(target: ImportTarget, kind: ImportKind, bytes: Uint8Array, filename: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const read = await readImportTable(kind, bytes, filename);
  if ('fatal' in read) return fatalSummary(kind, filename, read.fatal, options, started);
  return importTable(target, kind, read.table, filename, { ...options, releaseRows: true }, started);
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

/** Imports rows already read into a table (the replay and tests build tables directly). */
export function importTable(target: ImportTarget, kind: ImportKind, table: Table, filename: string, options: ImportOptions = {}, started = performance.now()): ImportSummary {
  if (table.headers.length === 0) return fatalSummary(kind, filename, '表格是空的。', options, started, table);
  const catalogue = ImportCatalogue.of(target.store, target.shop.id);
  const now = target.now ?? (() => new Date());
  const plan =
    kind === 'stock' ? planStock(table, filename, catalogue, options.asOf ?? now()) : planEntries(table, filename, catalogue, target.shop.timeZone);
  if (plan.fatal) return fatalSummary(kind, filename, plan.fatal, options, started, table, plan);
  if (options.releaseRows) table.rows = [];
  return applyPlan(target, plan, options, started);
}

function applyPlan(target: ImportTarget, plan: ImportPlan, options: ImportOptions, started: number): ImportSummary {
  const { store, service, shop } = target;
  const now = (target.now ?? (() => new Date()))();
  const summary = baseSummary(plan, options);
  const problems = [...plan.problems];
  const totalRows = plan.writes.reduce((n, w) => n + w.rows.length, 0);
  const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  let done = 0;
  options.onProgress?.(0, totalRows);
  try {
    store.transaction((uow) => {
      for (const change of plan.products) {
        const current = change.ref.current;
        if (current) {
          // Only settings that differ from what is stored count as changes.
          for (const key of Object.keys(change.patch) as (keyof typeof change.patch)[]) if (change.patch[key] === current[key]) delete change.patch[key];
          if (Object.keys(change.patch).length === 0) continue;
        }
        if (change.create) {
          const created = uow.createProduct(shop.id, change.ref.name, change.ref.unit, now);
          change.ref.id = created.id;
          summary.createdProducts.push(created.name);
        } else summary.updatedProducts += 1;
        if (Object.keys(change.patch).length > 0) store.updateProduct(shop.id, change.ref.id as number, change.patch);
      }
      // Written chunks are let go as the import goes, so memory does not grow with the file.
      const writes: (PlannedWrite | undefined)[] = plan.writes;
      for (let i = 0; i < writes.length; i += batch) {
        const chunk = writes.slice(i, i + batch) as PlannedWrite[];
        writes.fill(undefined, i, i + batch);
        const results = service.recordBatch(
          shop.id,
          chunk.map((w) => ({ req: w.req, source: sourceOf(target, plan, w.key, w.text) })),
        );
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
