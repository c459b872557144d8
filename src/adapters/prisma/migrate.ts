import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { findMigrationsDir, hasMigrationSql, listMigrationFiles, migrationNames, readMigration, type MigrationFile } from '../../migration-files.ts';

export type { MigrationFile };

/**
 * prisma/migrations of this package, wherever it is installed: the nearest one above this module,
 * which is src/adapters/prisma/, dist/adapters/prisma/ or, bundled, dist/bundle/.
 */
export const MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)), 'prisma/migrations');

/** Prisma's own bookkeeping table, created the way `prisma migrate deploy` creates it. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** The migration folders in order, each with the SHA-256 checksum Prisma records. */
export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return listMigrationFiles(dir);
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, each in its own transaction, and
 * records them as Prisma does so that `prisma migrate deploy` elsewhere sees the same history.
 * Returns the names applied.
 */
export function applyMigrations(db: Database.Database, dir = MIGRATIONS_DIR): string[] {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const done = new Set(
    (db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string }[]).map(
      (r) => r.migration_name,
    ),
  );
  const applied: string[] = [];
  const record = db.prepare(
    'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, ?, 1)',
  );
  const isDone = db.prepare('SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL');
  // Only the folders the database has not recorded are read: at every start-up of an up-to-date
  // database that is none, so the check costs one directory listing and one query.
  for (const name of migrationNames(dir)) {
    if (done.has(name) || !hasMigrationSql(dir, name)) continue;
    const migration = readMigration(dir, name);
    const startedAt = Date.now();
    // Checked again under the write lock: another process may have applied it meanwhile.
    const ran = db.transaction(() => {
      if (isDone.get(migration.name)) return false;
      db.exec(migration.sql);
      record.run(process.getBuiltinModule('node:crypto').randomUUID(), migration.checksum, Date.now(), migration.name, startedAt);
      return true;
    }).immediate();
    if (ran) applied.push(migration.name);
  }
  return applied;
}
