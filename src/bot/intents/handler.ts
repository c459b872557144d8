import type { Result } from '../../core/failures.ts';
import type { CatalogueFailure, CatalogueService } from '../../core/catalogue.service.ts';
import type { DigestQueries } from '../../core/digest-queries.ts';
import type { InventoryService } from '../../core/inventory.service.ts';
import type { Clock, InventoryStore, ShopRecord, SourceInput } from '../../core/ports.ts';
import type { ReportQueries } from '../../core/report-queries.ts';
import type { Command, Intent } from '../command.ts';
import type { BotReply, ChatAccess, IncomingMessage } from '../engine.ts';
import type { Catalogue } from '../parse/index.ts';
import type { FailureContext } from '../replies.ts';
import type { WebLinks } from '../web/web.port.ts';

/** The engine's shared machinery a handler may use: the use cases, the reads and the shop's catalogue. */
export interface HandlerServices {
  readonly service: InventoryService;
  /** Settings and aliases (`设置 T恤 预警 10`, `别名 T恤 = 短袖`). */
  readonly catalogueService: CatalogueService;
  readonly store: InventoryStore;
  readonly clock: Clock;
  /** The daily digest's queries; `日报` for a day answers with the full digest. */
  readonly digest: DigestQueries;
  /** Sales and profit reads for 销量, 利润, 畅销, 滞销. */
  readonly reports: ReportQueries;
  /** Sign-in links to the web view (none while it is not served). */
  readonly web: WebLinks;
  /** The catalogue the parser resolves names against. */
  catalogue(shopId: number): Promise<Catalogue>;
  /** Forget a shop's cached catalogue after products, aliases or codes changed. */
  invalidate(shopId: number): void;
  /** A ledger refusal in Chinese, with product suggestions for an unknown name. */
  refusal(result: Result<unknown> & { ok: false }, shopId: number, kind: FailureContext['kind']): Promise<string>;
  /** Settings and aliases refuse as the ledger does, or with their own codes. */
  catalogueRefusal(failure: CatalogueFailure, shopId: number): Promise<string>;
}

/** What a handler gets besides its command: the message, the shop, who asks, the reply builder and the engine's machinery. */
export interface HandlerContext {
  message: IncomingMessage;
  shop: ShopRecord;
  access: ChatAccess;
  now: Date;
  /** Where written entries come from (chat, message, actor). */
  source: SourceInput;
  /** True when cost, value and profit may be shown in this chat to this person. */
  seeCost: boolean;
  /** A reply for this command's intent. */
  reply(text: string, entrySeqs?: number[], duplicate?: boolean): BotReply;
  bot: HandlerServices;
}

/** Runs one intent's command. */
export type Handler<I extends Intent> = (command: Extract<Command, { intent: I }>, context: HandlerContext) => BotReply | Promise<BotReply>;

/** One handler per intent: an intent without one fails to compile, so dispatch is exhaustive. */
export type IntentHandlers = { [I in Intent]: Handler<I> };
