import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { pgTarget, PG_TEST_URL } from './pg-probe.ts';

export { PG_TEST_URL } from './pg-probe.ts';

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

/** PG_TEST_URL with another database name. */
export function urlFor(database: string, base = PG_TEST_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates an empty database with a name unique to the calling test file and process
 * (`jxc_<file>_<pid>_<random>`), so test files running in parallel, and several runs on one server,
 * never share one. Dropped with FORCE, since a failed test may leave a connection open.
 */
export async function createPgDatabase(testFileUrl: string, options: { icuLocale?: string } = {}): Promise<PgTestDatabase> {
  const file = basename(fileURLToPath(testFileUrl)).replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30);
  const name = `jxc_${file}_${process.pid}_${randomBytes(3).toString('hex')}`;
  // With icuLocale ('zh'), text sorts and folds as a server set up in that language does (pinyin
  // order, Unicode case), unlike the C collation of a default test server: for tests of queries
  // that must sort and match the way SQLite does whatever the server's locale.
  const icu = options.icuLocale === undefined ? '' : ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale.replace(/[^A-Za-z0-9_-]/g, '')}' LOCALE 'C.UTF-8'`;
  await admin(`CREATE DATABASE "${name}"${icu}`);
  return { name, url: urlFor(name), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
