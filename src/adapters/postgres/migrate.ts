import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findMigrationsDir, hasMigrationSql, listMigrationFiles, migrationNames, readMigration, type MigrationFile } from '../../migration-files.ts';

/**
 * prisma/postgresql/migrations of this package, wherever it is installed: the nearest one above this
 * module (src/adapters/postgres/, dist/adapters/postgres/ or, bundled, dist/bundle/).
 */
export const PG_MIGRATIONS_DIR = findMigrationsDir(dirname(fileURLToPath(import.meta.url)), 'prisma/postgresql/migrations');

/**
 * The advisory lock key `prisma migrate deploy` takes on PostgreSQL (prisma-engines,
 * sql-schema-connector, flavour/postgres.rs: "72707369 is a unique number we chose to identify
 * Migrate"). Taking the same key means this runner, another jxc-bot process and the Prisma CLI never
 * migrate one database at the same time.
 */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/**
 * Prisma's bookkeeping table, as the schema engine creates it on PostgreSQL (create_migrations_table
 * in the same file), so that `prisma migrate status|deploy` reads the history this runner writes.
 */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The PostgreSQL migration folders in order, each with the SHA-256 checksum Prisma records. */
export function listPgMigrations(dir = PG_MIGRATIONS_DIR): MigrationFile[] {
  return listMigrationFiles(dir);
}

/** Why the database could not be brought up to date; `migration` names the folder when one is at fault. */
export class PostgresMigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PostgresMigrationError';
  }
}

export interface PgMigrateOptions {
  /** Folder of migrations; the package's prisma/postgresql/migrations by default. */
  dir?: string;
  /**
   * How long to wait for another process (or `prisma migrate deploy`) that is migrating the same
   * database, in milliseconds. Prisma waits 10 s; a first start-up applying every migration can take
   * longer than that on a busy server, so the default is a minute.
   */
  lockTimeoutMs?: number;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, each in its own transaction (DDL is
 * transactional on PostgreSQL: a migration that fails leaves nothing behind, not even its row), and
 * records each as `prisma migrate deploy` does. Returns the names applied.
 *
 * Several processes starting at once take turns on a session-level advisory lock (the key Prisma
 * Migrate uses) held for the whole run, so each migration is applied exactly once; the others find it
 * recorded and apply nothing. A plain `pg` client is used, not Prisma Client: `pg_advisory_lock`
 * returns `void`, which `$queryRaw` cannot read.
 *
 * Refuses to run when the history disagrees with the files: a recorded migration whose file changed
 * since (its checksum differs) or one that `prisma migrate deploy` left failed. Either means the
 * database is not what the files describe, and applying more on top would hide it.
 */
export async function applyPgMigrations(client: pg.ClientBase, options: PgMigrateOptions = {}): Promise<string[]> {
  const dir = options.dir ?? PG_MIGRATIONS_DIR;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  await client.query(`SET lock_timeout = ${Math.max(1, Math.trunc(lockTimeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new PostgresMigrationError(
        `another process has been migrating this database for over ${Math.round(lockTimeoutMs / 1000)} s (advisory lock ${PRISMA_MIGRATE_LOCK_KEY}); try again when it is done`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations');
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new PostgresMigrationError(
        `migration ${failed.migration_name} is recorded as started but not finished (a failed \`prisma migrate deploy\`); resolve it with \`prisma migrate resolve\` first`,
        failed.migration_name,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
    const pending: MigrationFile[] = [];
    for (const name of migrationNames(dir)) {
      if (!hasMigrationSql(dir, name)) continue;
      const migration = readMigration(dir, name);
      const recorded = done.get(name);
      if (recorded === undefined) pending.push(migration);
      else if (recorded !== migration.checksum) {
        throw new PostgresMigrationError(`migration ${name} was changed after it was applied to this database (checksum ${recorded} recorded, ${migration.checksum} in the file)`, name);
      }
    }
    const applied: string[] = [];
    for (const migration of pending) {
      const startedAt = new Date();
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, $4, 1)',
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new PostgresMigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, migration.name, { cause: error });
      }
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
  }
}

/** Connects to `url`, applies the pending migrations and disconnects; what start-up does. */
export async function migratePostgres(url: string, options: PgMigrateOptions & { connectTimeoutMs?: number } = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // A connection lost mid-run rejects the query in flight; the client's 'error' event must not also
  // crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await applyPgMigrations(client, options);
  } finally {
    await client.end();
  }
}
