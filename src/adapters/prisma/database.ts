import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { applyMigrations } from './migrate.ts';

export type SqliteDatabase = Database.Database;

/**
 * Turns a DATABASE_URL (`file:./data/jxc.db`, a bare path, or `:memory:`) into a file path.
 * Relative paths are taken from the working directory, as the Prisma CLI does.
 */
export function sqlitePathFromUrl(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  const path = url.startsWith('file:') ? url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : url;
  const clean = path.split('?')[0] ?? path;
  return resolve(clean);
}

/**
 * Opens (creating if needed) the SQLite file with the settings the ledger relies on: WAL so readers
 * never block the writer, foreign keys enforced, a busy timeout so a second process waits instead of
 * failing, and pending migrations applied. New files are created readable by the owner only, since
 * they hold cost data.
 */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): SqliteDatabase {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (options.migrate !== false) applyMigrations(db);
  return db;
}
