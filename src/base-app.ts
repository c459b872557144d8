import { createRequire } from 'node:module';
import type pino from 'pino';
import { SqliteAccessStore } from './adapters/prisma/sqlite-access.ts';
import type { Config } from './config.ts';
import { openDatabase, sqlitePathFromUrl, type SqliteDatabase } from './adapters/prisma/database.ts';
import type { PrismaReader } from './adapters/prisma/prisma-reader.ts';
import type { ReportReader } from './adapters/files/export.ts';
import { SqliteExportReader } from './adapters/prisma/sqlite-export-reader.ts';
import { SqliteStore } from './adapters/prisma/sqlite-store.ts';
import { systemClock, type Clock, type ShopRecord } from './core/ports.ts';

/**
 * The database side of the application: what commands that only read or copy the ledger need
 * (export, digest, backup). It loads no chat parser, no spreadsheet library and no Prisma Client, so
 * those commands start quickly; {@link createApp} in main.ts adds the conversation on top.
 */
export interface BaseApp {
  config: Config;
  db: SqliteDatabase;
  store: SqliteStore;
  access: SqliteAccessStore;
  clock: Clock;
  logger: pino.Logger;
  /** Prisma Client reads (exports in chats); Prisma Client is loaded and opened on the first read. */
  reader(): ReportReader;
  /** The named shop, created (with its default location) on first use. */
  shop(name?: string): ShopRecord;
  close(): Promise<void>;
}

export interface BaseAppOptions {
  clock?: Clock | undefined;
  logger?: pino.Logger | undefined;
  /** Where log lines go when no logger is given: standard error by default. */
  logStream?: NodeJS.WritableStream | undefined;
}

const require = createRequire(import.meta.url);

const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * A pino logger that loads pino only when a line is to be written: calls below the level (a piped
 * console chat logs warnings only, and handles a message with an info line) cost nothing, and a
 * command that never writes a line never loads pino. Anything else (child, level changes) makes the
 * real logger at once.
 */
export function deferredLogger(level: string, make: () => pino.Logger): pino.Logger {
  let real: pino.Logger | undefined;
  const get = () => (real ??= make());
  const noop = () => {};
  return new Proxy({} as pino.Logger, {
    get(_target, property) {
      if (!real && property === 'level') return level;
      if (!real && typeof property === 'string' && property in LEVELS && (LEVELS[property] as number) < (LEVELS[level] ?? 0)) return noop;
      const value = get()[property as keyof pino.Logger];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
    set(_target, property, value) {
      (get() as unknown as Record<string | symbol, unknown>)[property] = value;
      return true;
    },
  });
}

/** Opens the database (migrated) and the stores on it. */
export function createBaseApp(config: Config, options: BaseAppOptions = {}): BaseApp {
  // Secrets never reach the log, whatever object they hide in.
  const logger =
    options.logger ??
    deferredLogger(config.logLevel, () => {
      const create = require('pino') as typeof pino;
      return create(
        { level: config.logLevel, redact: { paths: ['token', '*.token', 'secret', '*.secret', 'config.telegramToken'], censor: '[redacted]' } },
        options.logStream ?? create.destination(2),
      );
    });
  const path = sqlitePathFromUrl(config.databaseUrl);
  const db = openDatabase(path);
  const store = new SqliteStore(db);
  const clock = options.clock ?? systemClock;
  const access = new SqliteAccessStore(db);
  let prisma: Promise<PrismaReader> | undefined;
  const open = () => (prisma ??= import('./adapters/prisma/prisma-reader.ts').then(({ PrismaReader }) => new PrismaReader(path)));
  const reader: ReportReader = {
    shops: async () => (await open()).shops(),
    stockRows: async (shopId) => (await open()).stockRows(shopId),
    entryRows: async (shopId, from, to) => (await open()).entryRows(shopId, from, to),
    // Streamed on better-sqlite3 (one row at a time, a connection of its own): no Prisma needed.
    eachEntryRow: (shopId, from, to) => new SqliteExportReader(db).eachEntryRow(shopId, from, to),
  };
  return {
    config,
    db,
    store,
    access,
    clock,
    logger,
    reader: () => reader,
    shop(name = config.shopName) {
      const existing = store.shopByName(name);
      if (existing) return existing;
      const shop = store.createShop(name, clock.now());
      if (shop.timeZone !== config.timeZone) store.updateShop(shop.id, { timeZone: config.timeZone });
      return store.shopById(shop.id) as ShopRecord;
    },
    async close() {
      if (prisma) await (await prisma).close();
      db.close();
    },
  };
}
