import tseslint from 'typescript-eslint';

const adapters = ['**/adapters/**', '../adapters/*', '../../adapters/*'];
const infrastructure = ['grammy', 'grammy/*', '@grammyjs/*', 'telegraf', 'telegraf/*', 'wechaty', 'wechaty/*', 'wechaty-*', '@prisma/*', 'prisma', 'node-cron', 'better-sqlite3', 'pg', 'pg-*', 'pino', 'exceljs'];
const io = ['fs', 'fs/*', 'node:fs', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'child_process', 'node:child_process'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'src/adapters/prisma/generated/**', 'src/adapters/postgres/generated/**', 'data/**', 'coverage/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // One AsyncLocalStorage for the process (src/async-slot.ts): Node runs every storage ever enabled
    // on every promise, so one per store or connection slows each await by the number ever opened.
    files: ['src/**/*.ts'],
    ignores: ['src/async-slot.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='AsyncLocalStorage']", message: 'Use an AsyncSlot (src/async-slot.ts) instead of a new AsyncLocalStorage.' },
        { selector: "NewExpression[callee.property.name='AsyncLocalStorage']", message: 'Use an AsyncSlot (src/async-slot.ts) instead of a new AsyncLocalStorage.' },
      ],
    },
  },
  {
    // The `jxc` binary is CommonJS (see bin/jxc.cjs): require() is how it loads.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The domain core stays pure: no chat libraries, no database, no file or network I/O.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: infrastructure, message: 'src/core must not depend on infrastructure; declare a port in src/core/ports.ts.' },
            { group: io, message: 'src/core must not do I/O; declare a port in src/core/ports.ts.' },
            { group: adapters, message: 'src/core must not import adapters.' },
            { group: ['**/bot/**', '../bot/*'], message: 'src/core must not import the conversation layer.' },
          ],
        },
      ],
    },
  },
  {
    // The conversation layer is chat-agnostic: it never imports an adapter or a chat library.
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: adapters, message: 'src/bot must not import adapters; adapters depend inward.' },
            { group: infrastructure, message: 'src/bot must stay chat- and database-agnostic.' },
            { group: io, message: 'src/bot must not do I/O directly.' },
          ],
        },
      ],
    },
  },
  {
    // Adapters are siblings: each translates one kind of I/O and depends only inward (core, bot,
    // config). Wiring them together is the job of src/main.ts and the command line. The two stores,
    // prisma/ (SQLite) and postgres/, are siblings too: what both need (the migration folders) lives
    // in src/migration-files.ts.
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!\\.\\.)[^/]+/', message: 'An adapter must not import another adapter; declare a port in src/core or src/bot and wire it in src/main.ts.' },
            { regex: '^(\\.\\./)+adapters/', message: 'An adapter must not import another adapter; declare a port in src/core or src/bot and wire it in src/main.ts.' },
            { regex: '^(\\.\\./)+(main|cli/[^/]+)(\\.ts)?$', message: 'An adapter must not import the wiring (src/main.ts, src/cli); take what it needs as a parameter.' },
          ],
        },
      ],
    },
  },
);
