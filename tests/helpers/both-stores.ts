import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migratedDatabaseFile } from './db.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from './pg.ts';

/** The database a block of conversation tests runs on. */
export interface TestStore {
  name: 'sqlite' | 'postgresql';
  /** The DATABASE_URL of the test file's database, migrated (available inside tests and hooks). */
  url(): string;
  /**
   * A DATABASE_URL of an empty database, for a test that needs the whole database to itself (the
   * default shop, «no shop named» when there are several). SQLite: a new file, copied from the migrated
   * template, or with `{ migrated: false }` not there yet, so the app creates and migrates it as on a
   * first start. PostgreSQL: the file's database emptied (every row deleted, ids restarted) and still
   * migrated, so no database is created per test (start-up migration of an empty PostgreSQL database
   * is tested in tests/cli/postgres.test.ts); what earlier tests of the file left there is gone, and
   * the tests of a file run one after another.
   */
  fresh(options?: { migrated?: boolean }): Promise<string>;
}

/**
 * Declares `body` once per database: a describe for SQLite (a temp file copied from the migrated
 * template) and one for PostgreSQL (through describePg: skipped or failing as it says when there is no
 * server; a fresh database for the file, dropped afterwards). The same tests, with the same
 * assertions, must pass on both, since DATABASE_URL alone chooses the store in production.
 */
export function forEachStore(body: (store: TestStore) => void): void {
  describe('on SQLite', () => {
    let dir: string | undefined;
    let url: string | undefined;
    let n = 0;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'jxc-both-'));
      url = `file:${migratedDatabaseFile(dir)}`;
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    body({
      name: 'sqlite',
      url: () => defined(url),
      fresh: ({ migrated = true } = {}) => {
        const name = `fresh-${++n}.db`;
        return Promise.resolve(`file:${migrated ? migratedDatabaseFile(defined(dir), name) : join(defined(dir), name)}`);
      },
    });
  });

  describePg('on PostgreSQL', () => {
    let database: PgTestDatabase | undefined;
    beforeAll(async ({}, suite) => {
      // Named after the test file, as createPgDatabase names databases, so a leftover says whose it is.
      // Migrated, so each app the tests open finds every migration applied, as on SQLite.
      database = await createPgDatabase(pathToFileURL(suite.file.filepath).href, { migrated: true });
      await withClient(database.url, async (client) => {
        // A commit need not wait for the disk: nothing here outlives a crash of the server, and the
        // flush per message otherwise made a conversation several times slower than on SQLite.
        // What commits, and in what order, is the same.
        await client.query(`ALTER DATABASE ${client.escapeIdentifier(defined(database).name)} SET synchronous_commit = off`);
      });
    });
    afterAll(async () => {
      await database?.drop();
    });
    body({
      name: 'postgresql',
      url: () => defined(database).url,
      fresh: async () => {
        const url = defined(database).url;
        await emptyPostgres(url);
        return url;
      },
    });
  });
}

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the test database is made in beforeAll: call url() or fresh() inside a test or hook');
  return value;
}

/** Per database URL, the statements that empty it (the schema does not change during a run). */
const emptying = new Map<string, string>();

/**
 * Deletes every row of every table but the migration history, and restarts the ids, in one
 * transaction sent as one message. DELETE, children before parents, rather than TRUNCATE: TRUNCATE
 * replaces each table's files and took most of a second for the schema's two dozen tables; these
 * tables hold a test's few rows.
 */
async function emptyPostgres(url: string): Promise<void> {
  await withClient(url, async (client) => {
    let sql = emptying.get(url);
    if (sql === undefined) {
      sql = await emptyingStatements(client);
      emptying.set(url, sql);
    }
    await client.query(sql);
  });
}

async function emptyingStatements(client: pg.Client): Promise<string> {
  const tables = (
    await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`)
  ).rows.map((r) => r.name);
  const references = (
    await client.query<{ child: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema() AND c.conrelid <> c.confrelid`,
    )
  ).rows.map((r) => ({ child: unquote(r.child), parent: unquote(r.parent) }));
  const sequences = (
    await client.query<{ name: string }>(`SELECT quote_ident(sequence_name) AS name FROM information_schema.sequences WHERE sequence_schema = current_schema()`)
  ).rows.map((r) => client.escapeLiteral(r.name));
  return [
    'BEGIN',
    ...childrenFirst(tables, references).map((table) => `DELETE FROM ${client.escapeIdentifier(table)}`),
    // setval, not ALTER SEQUENCE … RESTART, which gives each sequence new files as TRUNCATE does.
    ...sequences.map((sequence) => `SELECT setval(${sequence}, 1, false)`),
    'COMMIT',
  ].join(';\n');
}

/** regclass text quotes mixed-case names ("Entry"); the catalog's tablename does not. */
function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

/** The tables ordered so that each comes before every table it references. */
function childrenFirst(tables: string[], references: { child: string; parent: string }[]): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    // Every table referencing this one goes first.
    for (const r of references) if (r.parent === table) visit(r.child, path);
    path.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function withClient(url: string, use: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
