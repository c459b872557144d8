import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/**
 * prisma/migrations of this package, wherever it is installed: the nearest one above this module,
 * which is src/adapters/prisma/, dist/adapters/prisma/ or, bundled, dist/bundle/.
 */
export const MIGRATIONS_DIR = findMigrations(dirname(fileURLToPath(import.meta.url)));

function findMigrations(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
  }
}

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

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The migration folders in order, each with the SHA-256 checksum Prisma records. */
export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return migrationNames(dir)
    .filter((name) => existsSync(join(dir, name, 'migration.sql')))
    .map((name) => readMigration(dir, name));
}

/** The migration folder names in order (a folder without migration.sql is skipped when read). */
function migrationNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function readMigration(dir: string, name: string): MigrationFile {
  const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
  // node:crypto is loaded here, when a migration is read, not at every start-up of an up-to-date database.
  return { name, sql, checksum: process.getBuiltinModule('node:crypto').createHash('sha256').update(sql).digest('hex') };
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
    if (done.has(name) || !existsSync(join(dir, name, 'migration.sql'))) continue;
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
