import type { SqliteDatabase } from './adapters/prisma/database.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportReader } from './adapters/files/export.ts';
import { openPrivateFile } from './private-file.ts';
import type { ImportSummary, ImportTarget } from './adapters/files/import.ts';
import type { ImportJob, ImportOutcome, SpreadsheetService } from './bot/files/files.port.ts';
import type { InventoryService } from './core/inventory.service.ts';
import type { Clock, InventoryStore } from './core/ports.ts';

/** What spreadsheets in chat read and write through. */
export interface SpreadsheetSources {
  db: SqliteDatabase;
  store: InventoryStore;
  service: InventoryService;
  clock: Clock;
  /** Prisma Client reads for exports, opened on first use. */
  reader(): ReportReader;
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
      const file = await exportReport({ reader: sources.reader(), queries: new SqliteReports(sources.db) }, { what: 'stock', format: 'xlsx', shop, now: sources.clock.now() });
      return { name: file.filename, bytes: file.buffer };
    },
    async exportEntries(shop, period, onProgress) {
      // Streamed through a private temporary file: memory stays flat however many entries there are,
      // and the row count is known before the caption is written.
      const { writeEntriesAndProfit } = await files();
      const path = join(tmpdir(), `jxc-export-${randomBytes(6).toString('hex')}.xlsx`);
      const out = createWriteStream('', { fd: openPrivateFile(path) });
      let rows: number;
      try {
        rows = await writeEntriesAndProfit({ reader: sources.reader(), queries: new SqliteReports(sources.db) }, shop, period, out, onProgress);
      } catch (error) {
        out.destroy();
        unlinkSync(path);
        throw error;
      } finally {
        out.end();
      }
      await once(out, 'close');
      return { name: `${unsafe(shop.name)}-${unsafe(period.label)}-流水利润.xlsx`, rows, stream: readOnce(path) };
    },
    detectKind: async (bytes, filename) => (await files()).detectImportKind(bytes, filename),
    async preview(job, options) {
      const { previewImport } = await files();
      return outcome(await previewImport(target(job), job.kind, job.bytes, job.filename), options.skipBadHint);
    },
    async importFile(job, options) {
      const { importFile } = await files();
      return outcome(await importFile(target(job), job.kind, job.bytes, job.filename, { skipBad: options.skipBad }), options.skipBadHint);
    },
  };
}

/** The file's chunks, then the file is deleted (also when the reader stops early). */
async function* readOnce(path: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
  } finally {
    unlinkSync(path);
  }
}
