import type { Stores } from '../../stores.ts';
import type { ReportReader } from '../../core/export-rows.ts';
import { openDatabase, type SqliteDatabase } from './database.ts';
import type { PrismaReader } from './prisma-reader.ts';
import { SqliteAccessStore } from './sqlite-access.ts';
import { SqliteDigestStore } from './sqlite-digest.ts';
import { SqliteExportReader } from './sqlite-export-reader.ts';
import { SqliteHandledMessages } from './sqlite-handled.ts';
import { SqlitePendingImports } from './sqlite-pending-imports.ts';
import { SqliteReports } from './sqlite-reports.ts';
import { SqliteStore } from './sqlite-store.ts';
import { SqliteLedger, SqliteWebAuth } from './sqlite-web.ts';
import { SqliteLoginLeases } from './sqlite-login-lease.ts';

/** The SQLite stores, with the connection they share (backups and the export worker use the file itself). */
export interface SqliteStores extends Stores {
  provider: 'sqlite';
  store: SqliteStore;
  db: SqliteDatabase;
}

/**
 * Every port on one SQLite file (migrated on open): one connection, whose statements all go through
 * one gate (sqlite-gate.ts), so a message's transaction never mixes with another caller's statements.
 */
export function openSqliteStores(path: string): SqliteStores {
  const db = openDatabase(path);
  let prisma: Promise<PrismaReader> | undefined;
  // Prisma Client serves the small export reads; it is loaded and opened on the first one.
  const open = () => (prisma ??= import('./prisma-reader.ts').then(({ PrismaReader }) => new PrismaReader(path)));
  const reader: ReportReader = {
    shops: async () => (await open()).shops(),
    stockRows: async (shopId) => (await open()).stockRows(shopId),
    entryRows: async (shopId, from, to) => (await open()).entryRows(shopId, from, to),
    // Streamed on better-sqlite3 (one row at a time, a connection of its own): no Prisma needed.
    eachEntryRow: (shopId, from, to) => new SqliteExportReader(db).eachEntryRow(shopId, from, to),
  };
  return {
    provider: 'sqlite',
    db,
    store: new SqliteStore(db),
    access: new SqliteAccessStore(db),
    digest: new SqliteDigestStore(db),
    reports: new SqliteReports(db),
    ledger: new SqliteLedger(db),
    webAuth: new SqliteWebAuth(db),
    pendingImports: new SqlitePendingImports(db),
    handled: new SqliteHandledMessages(db),
    reader,
    loginLeases: new SqliteLoginLeases(db),
    async close() {
      if (prisma) await (await prisma).close();
      db.close();
    },
  };
}
