import type pino from 'pino';
import { ChatEngine } from './bot/engine.ts';
import { ChatGateway } from './bot/gateway.ts';
import { AccessService } from './core/access.service.ts';
import { Outbox } from './bot/outbox.ts';
import type { Config } from './config.ts';
import { FileIntents } from './bot/files/file-intents.ts';
import { createSpreadsheets } from './spreadsheets.ts';
import { createBaseApp, type BaseApp } from './base-app.ts';
import { lazyPictureRenderer } from './adapters/pictures/lazy.ts';
import type { PictureRenderer } from './bot/pictures/picture-view.ts';
import type { Clock } from './core/ports.ts';
import type { DigestQueries } from './core/digest-queries.ts';
import type { DigestRunStore } from './core/digest-runs.ts';
import type { HandledMessages } from './adapters/wechat/recent-ids.ts';
import type { SpreadsheetService } from './bot/files/files.port.ts';
import type { WebViewDeps } from './adapters/web/deps.ts';

export type { BaseApp } from './base-app.ts';

export interface App extends BaseApp {
  engine: ChatEngine;
  /** The front door for chat platforms: bindings, people and roles. */
  gateway: ChatGateway;
  /** The digest's queries and run records. */
  digestStore: DigestQueries & DigestRunStore;
  /** Chat messages handled without writing, so redeliveries after a restart are not answered twice. */
  handled: HandledMessages;
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
export async function createApp(config: Config, options: { clock?: Clock; logger?: pino.Logger; logStream?: NodeJS.WritableStream } = {}): Promise<App> {
  const base = await createBaseApp(config, options);
  const { db, stores, store, access, clock, logger } = base;
  const digestStore = stores.digest;
  const reports = stores.reports;
  const engine = new ChatEngine(store, clock, { logger, digest: digestStore, reports });
  const spreadsheets = createSpreadsheets({
    db,
    store,
    queries: reports,
    service: engine.service,
    clock,
    reader: base.reader,
    onExportThread: (thread, reason) => logger.debug({ thread, reason }, 'chat export written'),
  });
  const files = new FileIntents({
    spreadsheets,
    pending: stores.pendingImports,
    clock,
    logger,
    changed: (shopId) => engine.invalidate(shopId),
  });
  const pictures = lazyPictureRenderer();
  const accessService = new AccessService(access, store, clock, { owners: config.owners });
  const gateway = new ChatGateway(engine, accessService, clock, { timeZone: config.timeZone, files, logger, pictures });
  const currentRole = async (shopId: number, actorId: string) => {
    const at = actorId.indexOf(':');
    const person = await access.personByIdentity(shopId, actorId.slice(0, at), actorId.slice(at + 1));
    return await accessService.roleOf(shopId, person, 'owner', 'private');
  };
  const web = { store, reports, digest: digestStore, ledger: stores.ledger, auth: stores.webAuth, spreadsheets, clock, logger, currentRole };
  return { ...base, engine, gateway, digestStore, handled: stores.handled, outbox: new Outbox(), pictures, spreadsheets, web };
}
