import { createRequire } from 'node:module';
import type pino from 'pino';
import { SqliteAccessStore } from './adapters/prisma/sqlite-access.ts';
import type { Config } from './config.ts';
import { openDatabase, sqlitePathFromUrl, type SqliteDatabase } from './adapters/prisma/database.ts';
import type { PrismaReader } from './adapters/prisma/prisma-reader.ts';
import type { ReportReader } from './adapters/files/export.ts';
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

/** Opens the database (migrated) and the stores on it. */
export function createBaseApp(config: Config, options: BaseAppOptions = {}): BaseApp {
  // The logger (pino) is made on first use: commands that never log do not load it. Secrets never
  // reach the log, whatever object they hide in.
  let logger = options.logger;
  const makeLogger = (): pino.Logger => {
    const create = require('pino') as typeof pino;
    return create(
      { level: config.logLevel, redact: { paths: ['token', '*.token', 'secret', '*.secret', 'config.telegramToken'], censor: '[redacted]' } },
      options.logStream ?? create.destination(2),
    );
  };
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
  };
  return {
    config,
    db,
    store,
    access,
    clock,
    get logger() {
      logger ??= makeLogger();
      return logger;
    },
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
