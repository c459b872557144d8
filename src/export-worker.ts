import Database from 'better-sqlite3';
import { constants, createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { writeEntriesAndProfit } from './adapters/files/export.ts';
import { SqliteExportReader } from './adapters/prisma/sqlite-export-reader.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';

/**
 * The heavy part of a chat's 导出, in a worker thread so that other chats keep being answered: its
 * own read-only connection on the shop's SQLite file, the workbook written to the private temporary
 * file the main thread opened (handed over as a descriptor), row counts posted back for the progress
 * message. The main thread streams the file out afterwards (src/spreadsheets.ts).
 */

/** What the main thread hands the worker. */
export interface ExportJob {
  dbPath: string;
  shop: { id: number; timeZone: string };
  /** The period, in epoch milliseconds (Dates cross the thread boundary as numbers). */
  from: number;
  to: number;
  /** The private temporary file (mode 600) the main thread created, empty. */
  path: string;
}

/** What the worker posts back. */
export type ExportMessage = { type: 'started' } | { type: 'progress'; rows: number } | { type: 'done'; rows: number } | { type: 'failed'; message: string; stack?: string | undefined };

/** Runs one export job; the result or the failure is posted, never thrown. */
async function run(job: ExportJob, post: (message: ExportMessage) => void): Promise<void> {
  // The file exists already (created private by the main thread); a link put in its place is not followed.
  const out = createWriteStream('', { fd: openSync(job.path, constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0)) });
  post({ type: 'started' });
  let db: Database.Database | undefined;
  try {
    db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = await writeEntriesAndProfit(
      { reader: new SqliteExportReader(db), queries: new SqliteReports(db) },
      job.shop,
      { from: new Date(job.from), to: new Date(job.to) },
      out,
      (count) => post({ type: 'progress', rows: count }),
    );
    out.end();
    await once(out, 'close');
    post({ type: 'done', rows });
  } catch (error) {
    out.destroy();
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  } finally {
    db?.close();
  }
}

if (parentPort && (workerData as { jxcExport?: ExportJob } | null)?.jxcExport) {
  const port = parentPort;
  void run((workerData as { jxcExport: ExportJob }).jxcExport, (message) => port.postMessage(message));
}
