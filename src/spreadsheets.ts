import type { SqliteDatabase } from './adapters/prisma/database.ts';
import { once } from 'node:events';
import { closeSync, constants, createReadStream, createWriteStream, existsSync, openSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { ExportJob, ExportMessage } from './export-worker.ts';
import type { ReportReader } from './adapters/files/export.ts';
import { openPrivateFile } from './private-file.ts';
import type { ImportSummary, ImportTarget } from './adapters/files/import.ts';
import type { ImportJob, ImportOutcome, SpreadsheetService } from './bot/files/files.port.ts';
import type { InventoryService } from './core/inventory.service.ts';
import type { Clock, InventoryStore } from './core/ports.ts';
import type { ReportQueries } from './core/report-queries.ts';

/** What spreadsheets in chat read and write through. */
export interface SpreadsheetSources {
  /** The SQLite connection, whose file an export worker thread opens; absent on PostgreSQL (exports then stream on this thread). */
  db?: SqliteDatabase | undefined;
  store: InventoryStore;
  /** Sales and profit reads for the exports' profit sheets. */
  queries: ReportQueries;
  service: InventoryService;
  clock: Clock;
  /** Prisma Client reads for exports, opened on first use. */
  reader(): ReportReader;
  /** Where an export ran, for the log: a worker thread, or inline when no worker could be started. */
  onExportThread?: ((thread: 'worker' | 'inline', reason?: string) => void) | undefined;
}

/** Problems listed in a chat reply before the list is cut. */
const MAX_PROBLEMS = 20;

/** Characters file systems refuse in names. */
const unsafe = (name: string): string => name.replace(/[\\/:*?"<>|\s]/g, '_');

/**
 * The spreadsheet port of the conversation on the files adapter (xlsx/csv) and the SQLite reads:
 * the one place chat imports and exports meet src/adapters/files.
 */
export function createSpreadsheets(sources: SpreadsheetSources): SpreadsheetService {
  // The files adapter (readers, planners, writers) is loaded by the first file, not by every start-up.
  const files = async () => {
    const [exporting, importing, summary] = await Promise.all([
      import('./adapters/files/export.ts'),
      import('./adapters/files/import.ts'),
      import('./adapters/files/import-summary.ts'),
    ]);
    return { ...exporting, ...importing, ...summary };
  };
  const orderFiles = async () => {
    const [importing, reading, summary] = await Promise.all([
      import('./adapters/files/orders/import-orders.ts'),
      import('./adapters/files/orders/read-orders.ts'),
      import('./adapters/files/orders/order-summary.ts'),
    ]);
    return { ...importing, ...reading, ...summary };
  };
  // Order exports never block on a bad line: each line is recorded at most once, so the rest are
  // written and a fixed line is picked up by importing the file again.
  const orderOutcome = async (job: ImportJob, dryRun: boolean, onProgress?: (done: number, total: number) => void): Promise<ImportOutcome> => {
    const { importOrders, formatOrderSummary, orderLinesToWrite } = await orderFiles();
    const summary = await importOrders(target(job), job.bytes, job.filename, { dryRun, platform: job.orderPlatform, onProgress });
    return {
      report: formatOrderSummary(summary, { maxListed: MAX_PROBLEMS, confirmHint: '（试导入，没有写入任何数据）' }),
      importedRows: orderLinesToWrite(summary),
      problems: 0,
      fatal: summary.fatal !== undefined,
      written: summary.written,
      blocked: false,
    };
  };
  const target = (job: ImportJob): ImportTarget => ({ store: sources.store, service: sources.service, shop: job.shop, actor: job.actor });
  const outcome = async (summary: ImportSummary, skipBadHint: string): Promise<ImportOutcome> => ({
    report: (await files()).formatImportSummary(summary, { maxProblems: MAX_PROBLEMS, skipBadHint }),
    importedRows: summary.importedRows,
    problems: summary.problems.length,
    fatal: summary.fatal !== undefined,
    written: summary.written,
    blocked: summary.blocked,
  });
  return {
    async exportStock(shop) {
      const { exportReport } = await files();
      const file = await exportReport({ reader: sources.reader(), queries: sources.queries }, { what: 'stock', format: 'xlsx', shop, now: sources.clock.now() });
      return { name: file.filename, bytes: file.buffer };
    },
    async exportEntries(shop, period, onProgress) {
      // Streamed through a private temporary file: memory stays flat however many entries there are,
      // and the row count is known before the caption is written. The workbook is written in a
      // worker thread when one can be started, so other chats keep being answered meanwhile.
      const path = join(process.getBuiltinModule('node:os').tmpdir(), `jxc-export-${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.xlsx`);
      const fd = openPrivateFile(path);
      const db = sources.db;
      const script = !db || db.memory ? undefined : exportWorkerScript();
      let rows: number;
      try {
        if (script && db) {
          closeSync(fd);
          const job: ExportJob = { dbPath: db.name, shop: { id: shop.id, timeZone: shop.timeZone }, from: period.from.getTime(), to: period.to.getTime(), path };
          const inWorker = await exportInWorker(script, job, onProgress).catch((error: unknown) => (error instanceof WorkerNotStarted ? error : Promise.reject(error)));
          if (typeof inWorker === 'number') {
            sources.onExportThread?.('worker');
            rows = inWorker;
          } else {
            sources.onExportThread?.('inline', inWorker.message);
            rows = await exportInline(sources, shop, period, openSync(path, constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0)), onProgress);
          }
        } else {
          sources.onExportThread?.('inline', !db ? 'database server' : db.memory ? 'in-memory database' : 'no worker file');
          rows = await exportInline(sources, shop, period, fd, onProgress);
        }
      } catch (error) {
        unlinkSync(path);
        throw error;
      }
      return { name: `${unsafe(shop.name)}-${unsafe(period.label)}-流水利润.xlsx`, rows, stream: readOnce(path) };
    },
    async detectKind(bytes, filename) {
      if (await (await orderFiles()).looksLikeOrderFile(bytes, filename)) return 'orders';
      return (await files()).detectImportKind(bytes, filename);
    },
    async preview(job, options) {
      if (job.kind === 'orders') return orderOutcome(job, true);
      const { previewImport } = await files();
      return outcome(await previewImport(target(job), job.kind, job.bytes, job.filename), options.skipBadHint);
    },
    async importFile(job, options) {
      if (job.kind === 'orders') return orderOutcome(job, false, options.onProgress);
      const { importFile } = await files();
      return outcome(await importFile(target(job), job.kind, job.bytes, job.filename, { skipBad: options.skipBad, onProgress: options.onProgress }), options.skipBadHint);
    },
  };
}

/** The export on this thread (an in-memory database, or no worker file next to this module). */
async function exportInline(sources: SpreadsheetSources, shop: { id: number; timeZone: string }, period: { from: Date; to: Date }, fd: number, onProgress?: (rows: number) => void): Promise<number> {
  const { writeEntriesAndProfit } = await import('./adapters/files/export.ts');
  const out = createWriteStream('', { fd });
  let rows: number;
  try {
    rows = await writeEntriesAndProfit({ reader: sources.reader(), queries: sources.queries }, shop, period, out, onProgress);
  } catch (error) {
    out.destroy();
    throw error;
  } finally {
    out.end();
  }
  await once(out, 'close');
  return rows;
}

/** How to start the export worker: the compiled file next to this module, or the TypeScript source through tsx. */
interface WorkerScript {
  url: URL;
  /** tsx's ESM API, when the worker is the TypeScript source (tests, scripts run with tsx). */
  tsxApi?: string | undefined;
}

/**
 * The worker entry next to this module: dist/export-worker.js when compiled (dist/bundle/export-worker.js
 * beside the command line's bundle, dist/bundle/main.cjs); from the TypeScript
 * sources the .ts file, imported through tsx when it is installed (a development dependency), or the
 * compiled worker that JXC_EXPORT_WORKER names. Undefined when none is available, and the export runs inline.
 */
export function exportWorkerScript(): WorkerScript | undefined {
  const here = import.meta.url;
  if (!here.startsWith('file:')) return undefined;
  if (here.endsWith('.js') || here.endsWith('.cjs')) {
    const url = new URL('./export-worker.js', here);
    return existsSync(url) ? { url } : undefined;
  }
  // The test suite points this at the compiled dist/export-worker.js, which it rebuilds before every
  // run: a worker through tsx spends some 300–450 ms of CPU compiling the sources before each export.
  const compiled = process.env.JXC_EXPORT_WORKER;
  if (compiled) return existsSync(compiled) ? { url: pathToFileURL(compiled) } : undefined;
  const url = new URL('./export-worker.ts', here);
  if (!existsSync(url)) return undefined;
  try {
    // require.resolve finds tsx's CommonJS build of the API; the worker imports its ESM twin beside it.
    const api = createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    return existsSync(api) ? { url, tsxApi: pathToFileURL(api).href } : undefined;
  } catch {
    return undefined;
  }
}

/** A worker thread on the script, with the job as its data. */
function startWorker(script: WorkerScript, job: ExportJob): Worker {
  // No flags of the host process (`--input-type`, `-e`, a test runner's) apply to the worker; it needs none.
  const options = { workerData: { jxcExport: job }, execArgv: [] };
  // node:worker_threads (like node:crypto and node:os above) is loaded by the first export, not at start-up.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  if (!script.tsxApi) return new Worker(script.url, options);
  const bootstrap = `import(${JSON.stringify(script.tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(script.url.href)}, ${JSON.stringify(script.url.href)}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** A worker that failed before it took the file over: the export can still run inline. */
class WorkerNotStarted extends Error {
  override name = 'WorkerNotStarted';
}

/** Runs the export job in a worker thread; progress comes back as row counts. */
function exportInWorker(script: WorkerScript, job: ExportJob, onProgress?: (rows: number) => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let started = false;
    let settled = false;
    const finish = (error: Error | undefined, rows?: number) => {
      if (settled) return;
      settled = true;
      if (error) reject(started ? error : new WorkerNotStarted(error.message, { cause: error }));
      else resolve(rows ?? 0);
    };
    const worker = startWorker(script, job);
    worker.on('message', (message: ExportMessage) => {
      if (message.type === 'started') started = true;
      else if (message.type === 'progress') onProgress?.(message.rows);
      else if (message.type === 'done') finish(undefined, message.rows);
      else finish(Object.assign(new Error(`export worker failed: ${message.message}`), { stack: message.stack }));
    });
    worker.on('error', (error) => finish(new Error(`export worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => finish(new Error(`export worker stopped (exit code ${code})`)));
  });
}

/** The file's chunks, then the file is deleted (also when the reader stops early). */
async function* readOnce(path: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
  } finally {
    unlinkSync(path);
  }
}
