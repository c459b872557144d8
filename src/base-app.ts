import { createRequire } from 'node:module';
import type pino from 'pino';
import { maskUrlPassword, type Config } from './config.ts';
import { sqlitePathFromUrl, type SqliteDatabase } from './adapters/prisma/database.ts';
import type { ReportReader } from './core/export-rows.ts';
import type { AccessStore } from './core/access.ts';
import { systemClock, type Clock, type LedgerStore, type ShopRecord } from './core/ports.ts';
import type { Stores } from './stores.ts';

/**
 * The database side of the application: what commands that only read or copy the ledger need
 * (export, digest, backup). It loads no chat parser, no spreadsheet library and no Prisma Client, so
 * those commands start quickly; {@link createApp} in main.ts adds the conversation on top.
 */
export interface BaseApp {
  config: Config;
  /** Every port of the database (SQLite or PostgreSQL). */
  stores: Stores;
  /** The SQLite connection, on SQLite only (backups copy it; the export worker opens its file). */
  db: SqliteDatabase | undefined;
  store: LedgerStore;
  access: AccessStore;
  clock: Clock;
  logger: pino.Logger;
  /** Export reads (Prisma Client on SQLite, opened on the first read). */
  reader(): ReportReader;
  /** The named shop, created (with its default location) on first use. */
  shop(name?: string): Promise<ShopRecord>;
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
export async function createBaseApp(config: Config, options: BaseAppOptions = {}): Promise<BaseApp> {
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
  const stores = await openStores(config);
  const clock = options.clock ?? systemClock;
  const { store } = stores;
  return {
    config,
    stores,
    db: 'db' in stores ? (stores.db as SqliteDatabase) : undefined,
    store,
    access: stores.access,
    clock,
    logger,
    reader: () => stores.reader,
    async shop(name = config.shopName) {
      const existing = await store.shopByName(name);
      if (existing) return existing;
      const shop = await store.createShop(name, clock.now());
      if (shop.timeZone !== config.timeZone) await store.updateShop(shop.id, { timeZone: config.timeZone });
      return await store.shopById(shop.id) as ShopRecord;
    },
    close: () => stores.close(),
  };
}

/** The database's stores: a `file:` URL opens SQLite, a `postgresql://` URL PostgreSQL (each migrated first). */
async function openStores(config: Config): Promise<Stores> {
  if (config.databaseProvider === 'postgresql') {
    const { openPostgresStores } = await import('./adapters/postgres/pg-stores.ts');
    try {
      return await openPostgresStores(config.databaseUrl);
    } catch (error) {
      const shown = maskUrlPassword(config.databaseUrl);
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError(`PostgreSQL 数据库（${shown}）迁移失败：${reason}\nCould not migrate the PostgreSQL database (${shown}): ${reason}`, { cause: error });
    }
  }
  const { openSqliteStores } = await import('./adapters/prisma/sqlite-stores.ts');
  return openSqliteStores(sqlitePathFromUrl(config.databaseUrl));
}

/** The database could not be opened (unreachable server, failed migration); the message is for the user, without the password. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}
