import type { TestProject } from 'vitest/node';
import { pgAvailable, pgTarget, PG_TEST_URL } from './pg-probe.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Whether a PostgreSQL server answered PG_TEST_URL when the run started. */
    pgAvailable: boolean;
    /** JXC_REQUIRE_PG=1: PostgreSQL tests fail instead of being skipped when there is no server. */
    pgRequired: boolean;
  }
}

/**
 * Probes PostgreSQL once per test run (not once per file) and tells every test file the answer, so
 * that a run without a server says so in one plain line instead of a line per file.
 */
export default async function setup(project: TestProject): Promise<void> {
  const available = await pgAvailable();
  const required = process.env.JXC_REQUIRE_PG === '1';
  project.provide('pgAvailable', available);
  project.provide('pgRequired', required);
  if (!available) {
    const target = pgTarget(PG_TEST_URL);
    if (required) console.log(`PostgreSQL tests will FAIL: JXC_REQUIRE_PG=1 and no server on ${target}`);
    else console.log(`PostgreSQL tests skipped: no server on ${target}`);
  }
}
