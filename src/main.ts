import type pino from 'pino';
import { ChatEngine } from './bot/engine.ts';
import { ChatGateway } from './bot/gateway.ts';
import { AccessService } from './core/access.service.ts';
import { Outbox } from './bot/outbox.ts';
import type { Config } from './config.ts';
import { SqliteHandledMessages } from './adapters/prisma/sqlite-handled.ts';
import { SqliteDigestStore } from './adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from './adapters/prisma/sqlite-reports.ts';
import { SqlitePendingImports } from './adapters/prisma/sqlite-pending-imports.ts';
import { FileIntents } from './bot/files/file-intents.ts';
import { createSpreadsheets } from './spreadsheets.ts';
import { createBaseApp, type BaseApp } from './base-app.ts';
import { lazyPictureRenderer } from './adapters/pictures/lazy.ts';
import type { PictureRenderer } from './bot/pictures/picture-view.ts';
import type { Clock } from './core/ports.ts';
import type { SpreadsheetService } from './bot/files/files.port.ts';
import { SqliteLedger, SqliteWebAuth } from './adapters/prisma/sqlite-web.ts';
import type { WebViewDeps } from './adapters/web/deps.ts';

export type { BaseApp } from './base-app.ts';

export interface App extends BaseApp {
  engine: ChatEngine;
  /** The front door for chat platforms: bindings, people and roles. */
  gateway: ChatGateway;
  /** The digest's queries and run records. */
  digestStore: SqliteDigestStore;
  /** Chat messages handled without writing, so redeliveries after a restart are not answered twice. */
  handled: SqliteHandledMessages;
  /** Where unprompted messages (digests, alerts) go: each running chat adapter registers here. */
  outbox: Outbox;
  /** Draws the digest and report pictures (loads its libraries on the first picture). */
  pictures: PictureRenderer;
  /** Spreadsheet import and export (chat files and the web view's downloads). */
  spreadsheets: SpreadsheetService;
  /** What the web view reads through (mounted by `jxc start`, see src/adapters/web). */
  web: Omit<WebViewDeps, 'publicUrl' | 'secret' | 'charts'>;
}

/** Wires the adapters together: database (migrated), store, engine and logger. */
export function createApp(config: Config, options: { clock?: Clock; logger?: pino.Logger; logStream?: NodeJS.WritableStream } = {}): App {
  const base = createBaseApp(config, options);
  const { db, store, access, clock, logger } = base;
  const digestStore = new SqliteDigestStore(db);
  const reports = new SqliteReports(db);
  const engine = new ChatEngine(store, clock, { logger, digest: digestStore, reports });
  const spreadsheets = createSpreadsheets({
    db,
    store,
    service: engine.service,
    clock,
    reader: base.reader,
    onExportThread: (thread, reason) => logger.debug({ thread, reason }, 'chat export written'),
  });
  const files = new FileIntents({
    spreadsheets,
    pending: new SqlitePendingImports(db),
    clock,
    logger,
    changed: (shopId) => engine.invalidate(shopId),
  });
  const pictures = lazyPictureRenderer();
  const accessService = new AccessService(access, store, clock, { owners: config.owners });
  const gateway = new ChatGateway(engine, accessService, clock, { timeZone: config.timeZone, files, logger, pictures });
  const currentRole = (shopId: number, actorId: string) => {
    const at = actorId.indexOf(':');
    const person = access.personByIdentity(shopId, actorId.slice(0, at), actorId.slice(at + 1));
    return accessService.roleOf(shopId, person, 'owner', 'private');
  };
  const web = { store, reports, digest: digestStore, ledger: new SqliteLedger(db), auth: new SqliteWebAuth(db), spreadsheets, clock, logger, currentRole };
  return { ...base, engine, gateway, digestStore, handled: new SqliteHandledMessages(db), outbox: new Outbox(), pictures, spreadsheets, web };
}
