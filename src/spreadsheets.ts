import type { SqliteDatabase } from './adapters/prisma/database.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';
import { entriesSheet, exportReport, profitReport, profitSheets, type ReportReader } from './adapters/files/export.ts';
import { detectImportKind, importFile, previewImport, type ImportSummary, type ImportTarget } from './adapters/files/import.ts';
import { formatImportSummary } from './adapters/files/import-summary.ts';
import { xlsxBuffer } from './adapters/files/xlsx.ts';
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
  const target = (job: ImportJob): ImportTarget => ({ store: sources.store, service: sources.service, shop: job.shop, actor: job.actor });
  const outcome = (summary: ImportSummary, skipBadHint: string): ImportOutcome => ({
    report: formatImportSummary(summary, { maxProblems: MAX_PROBLEMS, skipBadHint }),
    importedRows: summary.importedRows,
    problems: summary.problems.length,
    fatal: summary.fatal !== undefined,
    written: summary.written,
    blocked: summary.blocked,
  });
  return {
    async exportStock(shop) {
      const file = await exportReport({ reader: sources.reader(), queries: new SqliteReports(sources.db) }, { what: 'stock', format: 'xlsx', shop, now: sources.clock.now() });
      return { name: file.filename, bytes: file.buffer };
    },
    async exportEntries(shop, period) {
      const rows = await sources.reader().entryRows(shop.id, period.from, period.to);
      const report = profitReport(new SqliteReports(sources.db), shop.id, period.from, period.to);
      const bytes = await xlsxBuffer([entriesSheet(rows, shop.timeZone), ...profitSheets(report)]);
      return { name: `${unsafe(shop.name)}-${unsafe(period.label)}-流水利润.xlsx`, bytes, rows: rows.length };
    },
    detectKind: (bytes, filename) => detectImportKind(bytes, filename),
    async preview(job, options) {
      return outcome(await previewImport(target(job), job.kind, job.bytes, job.filename), options.skipBadHint);
    },
    async importFile(job, options) {
      return outcome(await importFile(target(job), job.kind, job.bytes, job.filename, { skipBad: options.skipBad }), options.skipBadHint);
    },
  };
}
