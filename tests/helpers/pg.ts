import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { migratePostgres } from '../../src/adapters/postgres/migrate.ts';
import { adminQuery, pgTarget, PG_TEST_URL, urlFor } from './pg-probe.ts';

export { PG_TEST_URL, urlFor } from './pg-probe.ts';

/** Whether this run has a PostgreSQL server (probed once by tests/helpers/pg-setup.ts). */
export const pgReady: boolean = inject('pgAvailable');

/**
 * `describe` for tests that need PostgreSQL: skipped when there is no server (the run says so once),
 * unless JXC_REQUIRE_PG=1 (`.ci/run`), where a missing server is a failing test that says why.
 */
export function describePg(name: string, body: () => void): void {
  if (!pgReady && inject('pgRequired')) {
    describe(name, () => {
      it('needs a PostgreSQL server', () => {
        throw new Error(`JXC_REQUIRE_PG=1 but no PostgreSQL server answers on ${pgTarget(PG_TEST_URL)} (set DATABASE_URL_PG, or run .ci/run)`);
      });
    });
    return;
  }
  describe.skipIf(!pgReady)(name, body);
}

/** A throwaway database on the test server; `drop()` when done. */
export interface PgTestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}


/**
 * Creates a database with a name unique to the calling test file and process
 * (`jxc_<file>_<pid>_<random>`), so test files running in parallel, and several runs on one server,
 * never share one. Dropped with FORCE, since a failed test may leave a connection open.
 *
 * Empty, or with `migrated: true` every migration applied: a copy of the run's template, which
 * tests/helpers/pg-setup.ts migrates once with migratePostgres (the code the bot runs at start-up;
 * start-up on an empty database is tested in tests/cli/postgres.test.ts and
 * tests/adapters/postgres/migrate.test.ts).
 */
export async function createPgDatabase(testFileUrl: string, options: { icuLocale?: string; migrated?: boolean } = {}): Promise<PgTestDatabase> {
  const file = basename(fileURLToPath(testFileUrl)).replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30);
  const name = `jxc_${file}_${process.pid}_${randomBytes(3).toString('hex')}`;
  // With icuLocale ('zh'), text sorts and folds as a server set up in that language does (pinyin
  // order, Unicode case), unlike the C collation of a default test server: for tests of queries
  // that must sort and match the way SQLite does whatever the server's locale.
  const icu = options.icuLocale === undefined ? '' : ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale.replace(/[^A-Za-z0-9_-]/g, '')}' LOCALE 'C.UTF-8'`;
  const template = options.migrated && !icu ? inject('pgTemplate') : '';
  await adminQuery(`CREATE DATABASE "${name}"${icu}${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = urlFor(name);
  if (options.migrated && !template) {
    try {
      await migratePostgres(url);
    } catch (error) {
      await dropPgDatabase(name);
      throw error;
    }
  }
  return { name, url, drop: () => dropPgDatabase(name) };
}

/**
 * Drops a test database once the sessions on it are gone, waiting up to two seconds: a pool's end()
 * resolves before its connections have closed, and FORCE would terminate one still closing, which
 * its client reports as an error no one listens to any more. FORCE then ends what a failed test left.
 */
async function dropPgDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (let tries = 0; tries < 100; tries++) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      if (rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
