import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests import the package's own entry points (`jxc-bot/telegraf`) from the TypeScript sources through
// the `@jxc-bot/source` export condition; plain Node (and the packed-tarball test) uses the compiled dist/.
export default defineConfig({
  resolve: { conditions: ['@jxc-bot/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@jxc-bot/source', ...defaultServerConditions] } },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['./tests/helpers/build-dist.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
