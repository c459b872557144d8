import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../../src/adapters/postgres/migrate.ts';
import { adminQuery, pgAvailable, pgTarget, PG_TEST_URL, urlFor } from './pg-probe.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether a PostgreSQL server answered PG_TEST_URL when the run started. */
    pgAvailable: boolean;
    /** JXC_REQUIRE_PG=1: PostgreSQL tests fail instead of being skipped when there is no server. */
    pgRequired: boolean;
    /**
     * A database migrated once for the run, from which createPgDatabase copies a migrated database
     * (CREATE DATABASE … TEMPLATE) instead of running every migration again per test file. Empty
     * when there is no server.
     */
    pgTemplate: string;
  }
}

/**
 * Probes PostgreSQL once per test run (not once per file) and tells every test file the answer, so
 * that a run without a server says so in one plain line instead of a line per file.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const available = await pgAvailable();
  const required = process.env.JXC_REQUIRE_PG === '1';
  project.provide('pgAvailable', available);
  project.provide('pgRequired', required);
  project.provide('pgTemplate', '');
  if (!available) {
    const target = pgTarget(PG_TEST_URL);
    if (required) console.log(`PostgreSQL tests will FAIL: JXC_REQUIRE_PG=1 and no server on ${target}`);
    else console.log(`PostgreSQL tests skipped: no server on ${target}`);
    return undefined;
  }
  // Named like the test files' databases, so a leftover of a killed run says what it is.
  const template = `jxc_template_${process.pid}_${randomBytes(3).toString('hex')}`;
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${template}"`);
  try {
    await migratePostgres(urlFor(template));
  } catch (error) {
    await drop();
    throw error;
  }
  project.provide('pgTemplate', template);
  return drop;
}

