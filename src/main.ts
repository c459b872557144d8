import type pino from 'pino';
import { ChatEngine } from './bot/engine.ts';
import { ChatGateway } from './bot/gateway.ts';
import { Outbox } from './bot/outbox.ts';
import type { Config } from './config.ts';
import { SqliteDigestStore } from './adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';
import { createBaseApp, type BaseApp } from './base-app.ts';
import type { Clock } from './core/ports.ts';

export type { BaseApp } from './base-app.ts';

export interface App extends BaseApp {
  engine: ChatEngine;
  /** The front door for chat platforms: bindings, people and roles. */
  gateway: ChatGateway;
  /** Where unprompted messages (digests, alerts) go: each running chat adapter registers here. */
  outbox: Outbox;
}

/** Wires the adapters together: database (migrated), store, engine and logger. */
export function createApp(config: Config, options: { clock?: Clock; logger?: pino.Logger; logStream?: NodeJS.WritableStream } = {}): App {
  const base = createBaseApp(config, options);
  const { db, store, access, clock, logger } = base;
  const engine = new ChatEngine(store, clock, { logger, digest: new SqliteDigestStore(db), reports: new SqliteReports(db) });
  const gateway = new ChatGateway(engine, access, clock, { owners: config.owners });
  return { ...base, engine, gateway, outbox: new Outbox() };
}
