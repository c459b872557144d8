import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import rules keep the layers apart', () => {
  it.each([
    ["import { Bot } from 'grammy';", 'src/core/x.ts'],
    ["import { PrismaClient } from '@prisma/client';", 'src/core/x.ts'],
    ["import { readFileSync } from 'node:fs';", 'src/core/x.ts'],
    ["import cron from 'node-cron';", 'src/core/x.ts'],
    ["import { Wechaty } from 'wechaty';", 'src/core/x.ts'],
    ["import { SqliteStore } from '../adapters/prisma/sqlite-store.ts';", 'src/core/x.ts'],
    ["import { SqliteStore } from '../adapters/prisma/sqlite-store.ts';", 'src/bot/x.ts'],
    ["import { Telegraf } from 'telegraf';", 'src/bot/x.ts'],
    ["import { SqliteDigestStore } from '../prisma/sqlite-digest.ts';", 'src/adapters/cron/x.ts'],
    ["import type { ChatTarget } from '../cron/digest-runs.ts';", 'src/adapters/prisma/x.ts'],
    ["import { xlsxBuffer } from '../files/xlsx.ts';", 'src/adapters/wechat/x.ts'],
    ["import { createApp } from '../../main.ts';", 'src/adapters/telegram/x.ts'],
    ["import { runCli } from '../../cli/main.ts';", 'src/adapters/console/x.ts'],
    ["import pg from 'pg';", 'src/core/x.ts'],
    ["import pg from 'pg';", 'src/bot/x.ts'],
    ["import { SqliteStore } from '../prisma/sqlite-store.ts';", 'src/adapters/postgres/x.ts'],
    ["import { migratePostgres } from '../postgres/migrate.ts';", 'src/adapters/prisma/x.ts'],
  ])('refuses %s in %s', async (code, file) => {
    expect(await ruleIds(`${code}\nexport const used = 1;\n`, file)).toContain('no-restricted-imports');
  });

  it('allows an adapter its own files, the core, the conversation layer and the config', async () => {
    const code = "import { a } from './sender.ts';\nimport { b } from '../../core/ports.ts';\nimport { c } from '../../bot/engine.ts';\nimport { d } from '../../config.ts';\nexport { a, b, c, d };\n";
    expect(await ruleIds(code, 'src/adapters/telegram/y.ts')).toEqual([]);
  });

  it('holds the Telegram file translator to the sibling rule, which it passes', async () => {
    const [result] = await eslint.lintFiles(['src/adapters/telegram/documents.ts']);
    expect(result?.messages).toEqual([]);
    expect(await ruleIds("import { xlsxBuffer } from '../files/xlsx.ts';\nexport const used = xlsxBuffer;\n", 'src/adapters/telegram/documents.ts')).toContain('no-restricted-imports');
  });

  it('allows adapters to import the core', async () => {
    expect(await ruleIds("import { InventoryService } from '../../core/inventory.service.ts';\nexport { InventoryService };\n", 'src/adapters/x/y.ts')).toEqual([]);
  });
});

describe('one AsyncLocalStorage for the process', () => {
  it('refuses a new AsyncLocalStorage outside src/async-slot.ts: stores keep call-chain values in AsyncSlots', async () => {
    const code = "import { AsyncLocalStorage } from 'node:async_hooks';\nexport const s = new AsyncLocalStorage<number>();\n";
    expect(await ruleIds(code, 'src/adapters/prisma/x.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds(code, 'src/async-slot.ts')).not.toContain('no-restricted-syntax');
    const qualified = "import * as hooks from 'node:async_hooks';\nexport const s = new hooks.AsyncLocalStorage<number>();\n";
    expect(await ruleIds(qualified, 'src/adapters/postgres/x.ts')).toContain('no-restricted-syntax');
  });
});
