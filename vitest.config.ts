import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import the package's own entry points (`jxc-bot/telegraf`) from the TypeScript sources through
// the `@jxc-bot/source` export condition; plain Node (and the packed-tarball test) uses the compiled dist/.
export default defineConfig({
  resolve: { conditions: ['@jxc-bot/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@jxc-bot/source', ...defaultServerConditions] } },
  test: {
    include: ['tests/**/*.test.ts'],
    // At least two files at a time, also on a two-core machine (vitest's default there is one): the
    // package test spends its time waiting on npm, and other files run meanwhile.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share their worker's module cache instead of each importing the sources afresh
    // (the import was most of a run: about two thirds of the time in tests/bot and tests/core). The
    // tests share no module state they rely on being fresh: every database, app and clock is made per
    // test, and fake timers and spies are restored by the test that set them.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // pg-setup probes PostgreSQL once and tells the test files (tests/helpers/pg.ts) whether to run.
    // Exports from the sources start the compiled worker (rebuilt by build-dist first) rather than the
    // TypeScript one through tsx, which costs 300–450 ms of CPU per export; one test keeps the tsx path.
    env: { JXC_EXPORT_WORKER: fileURLToPath(new URL('./dist/export-worker.js', import.meta.url)) },
    globalSetup: ['./tests/helpers/build-dist.ts', './tests/helpers/pg-setup.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
