import pino from 'pino';
import { ChatEngine } from './bot/engine.ts';
import { ChatGateway } from './bot/gateway.ts';
import { AccessService } from './core/access.service.ts';
import { Outbox } from './bot/outbox.ts';
import { SqliteAccessStore } from './adapters/prisma/sqlite-access.ts';
import type { Config } from './config.ts';
import { openDatabase, sqlitePathFromUrl, type SqliteDatabase } from './adapters/prisma/database.ts';
import { PrismaReader } from './adapters/prisma/prisma-reader.ts';
import { SqliteStore } from './adapters/prisma/sqlite-store.ts';
import { SqliteHandledMessages } from './adapters/prisma/sqlite-handled.ts';
import { SqliteDigestStore } from './adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';
import { SqlitePendingImports } from './adapters/prisma/sqlite-pending-imports.ts';
import { FileIntents } from './bot/files/file-intents.ts';
import { createSpreadsheets } from './spreadsheets.ts';
import { systemClock, type Clock, type ShopRecord } from './core/ports.ts';

export interface App {
  config: Config;
  db: SqliteDatabase;
  store: SqliteStore;
  engine: ChatEngine;
  /** The front door for chat platforms: bindings, people and roles. */
  gateway: ChatGateway;
  access: SqliteAccessStore;
  /** The digest's queries and run records. */
  digestStore: SqliteDigestStore;
  /** Chat messages handled without writing, so redeliveries after a restart are not answered twice. */
  handled: SqliteHandledMessages;
  /** Where unprompted messages (digests, alerts) go: each running chat adapter registers here. */
  outbox: Outbox;
  clock: Clock;
  logger: pino.Logger;
  /** Prisma Client reads for exports; opened on first use. */
  reader(): PrismaReader;
  /** The named shop, created (with its default location) on first use. */
  shop(name?: string): ShopRecord;
  close(): Promise<void>;
}

/** Wires the adapters together: database (migrated), store, engine and logger. */
export function createApp(config: Config, options: { clock?: Clock; logger?: pino.Logger } = {}): App {
  // Secrets never reach the log, whatever object they hide in.
  const logger =
    options.logger ??
    pino({ level: config.logLevel, redact: { paths: ['token', '*.token', 'secret', '*.secret', 'config.telegramToken'], censor: '[redacted]' } }, pino.destination(2));
  const path = sqlitePathFromUrl(config.databaseUrl);
  const db = openDatabase(path);
  const store = new SqliteStore(db);
  const clock = options.clock ?? systemClock;
  const digestStore = new SqliteDigestStore(db);
  const engine = new ChatEngine(store, clock, { logger, digest: digestStore, reports: new SqliteReports(db) });
  const access = new SqliteAccessStore(db);
  let reader: PrismaReader | undefined;
  const readerOf = (): PrismaReader => (reader ??= new PrismaReader(path));
  const files = new FileIntents({
    spreadsheets: createSpreadsheets({ db, store, service: engine.service, clock, reader: readerOf }),
    pending: new SqlitePendingImports(db),
    clock,
    logger,
    changed: (shopId) => engine.invalidate(shopId),
  });
  const gateway = new ChatGateway(engine, new AccessService(access, store, clock, { owners: config.owners }), clock, { timeZone: config.timeZone, files, logger });
  return {
    config,
    db,
    store,
    engine,
    gateway,
    access,
    digestStore,
    handled: new SqliteHandledMessages(db),
    outbox: new Outbox(),
    clock,
    logger,
    reader: readerOf,
    shop(name = config.shopName) {
      const existing = store.shopByName(name);
      if (existing) return existing;
      const shop = store.createShop(name, clock.now());
      if (shop.timeZone !== config.timeZone) store.updateShop(shop.id, { timeZone: config.timeZone });
      return store.shopById(shop.id) as ShopRecord;
    },
    async close() {
      await reader?.close();
      db.close();
    },
  };
}
