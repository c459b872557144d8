import type { Result } from '../core/failures.ts';
import { InventoryService, type ActorLimit } from '../core/inventory.service.ts';
import type { Clock, InventoryStore, ShopRecord, SourceInput } from '../core/ports.ts';
import { MILLI } from '../core/quantity.ts';
import type { Command } from './command.ts';
import type { OutgoingFile } from './files/files.port.ts';
import type { PictureReply } from './pictures/picture-view.ts';
import type { Handler, HandlerServices } from './intents/handler.ts';
import { INTENT_HANDLERS } from './intents/handlers.ts';
import type { ReportQueries } from '../core/report-queries.ts';
import type { DigestQueries } from '../core/digest-queries.ts';
import { buildCatalogue, parseMessage, readMessage, suggestProducts, type Catalogue, type MessageParse, type ParseResult } from './parse/index.ts';
import { can, type Role } from './permissions.ts';
import { permissionRefusal, refusalText } from './refusals.ts';
import { CatalogueService, type CatalogueFailure } from '../core/catalogue.service.ts';
import { failureReply, type FailureContext } from './replies.ts';
import { WebLinks } from './web/web.port.ts';

/** A chat message as every adapter hands it over: raw text and who sent it, never parsed. */
export interface IncomingMessage {
  platform: string;
  chatId: string;
  chatType: 'private' | 'group';
  messageId: string;
  userId: string;
  userName?: string | undefined;
  text: string;
  /** The message this one replies to, if any. */
  replyTo?: { messageId: string; text?: string | undefined; fromBot?: boolean | undefined } | undefined;
}

/** What the bot answers; adapters send `text` and may attach an undo button for `entrySeqs`. */
export interface BotReply {
  text: string;
  intent?: Command['intent'] | undefined;
  /** Entries written by this message (for undo buttons and logs). */
  entrySeqs: number[];
  /** True when the message had been applied before and nothing new was written. */
  duplicate: boolean;
  /** A file to send instead of `text` (its caption); each adapter sends it its own way. */
  file?: OutgoingFile | undefined;
  /**
   * A picture of the answer (`日报 图`), as data: the gateway draws it into `file` (a PNG with `text`
   * as caption) where a picture renderer is wired; elsewhere the text alone is the answer.
   */
  picture?: PictureReply | undefined;
  /** True when handling failed unexpectedly (the database was busy…): nothing was written, a redelivery may try again. */
  failed?: boolean | undefined;
}

/** Who is asking, as the gateway worked it out: role, whether cost may be shown, and whose entries they may undo. */
export interface ChatAccess {
  role: Role;
  /** Owners in an owner chat see cost, value and profit; nobody does in a staff group. */
  seeCost: boolean;
  /** Staff undo and correct only their own entries, within UNDO_HOURS. */
  limit?: ActorLimit | undefined;
}

/** How long staff may undo their own entries. */
export { UNDO_HOURS } from './intents/ledger-edits.handlers.ts';

/** Minimal structured logger (pino-compatible). */
export interface BotLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const silentLogger: BotLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** A hint for private chats when a message is not a command. */
export const PRIVATE_HINT = '没看懂这句。发「帮助」看用法，例如：进货 T恤 50 件 单价 20';

/**
 * The chat-agnostic conversation: text in, reply out. One engine serves every adapter (console,
 * Telegram, WeChat); it parses, checks permissions and hands the command to its intent's handler
 * (src/bot/intents/*.handlers.ts), which calls the core and words the answer.
 */
export class ChatEngine {
  readonly service: InventoryService;
  /** Settings and aliases (`设置 T恤 预警 10`, `别名 T恤 = 短袖`). */
  private readonly catalogueService: CatalogueService;
  private readonly catalogues = new Map<number, { version: number; catalogue: Catalogue }>();
  private readonly logger: BotLogger;

  constructor(
    readonly store: InventoryStore,
    readonly clock: Clock,
    options: { reports: ReportQueries; digest: DigestQueries; logger?: BotLogger; botNames?: readonly string[]; web?: WebLinks },
  ) {
    this.service = new InventoryService(store, clock);
    this.catalogueService = new CatalogueService(store);
    this.logger = options.logger ?? silentLogger;
    this.botNames = options.botNames ?? [];
    this.digest = options.digest;
    this.reports = options.reports;
    this.web = options.web ?? new WebLinks();
    this.services = {
      service: this.service,
      catalogueService: this.catalogueService,
      store,
      clock,
      digest: this.digest,
      reports: this.reports,
      web: this.web,
      catalogue: (shopId) => this.catalogue(shopId),
      invalidate: (shopId) => this.invalidate(shopId),
      refusal: (result, shopId, kind) => this.refusal(result, shopId, kind),
      catalogueRefusal: (failure, shopId) => this.catalogueRefusal(failure, shopId),
    };
  }

  /** Where 「网页」 gets sign-in links; the web adapter registers on it while it serves. */
  readonly web: WebLinks;

  /** What the handlers (src/bot/intents/*.handlers.ts) use of the engine. */
  private readonly services: HandlerServices;

  /** The daily digest's queries; `日报` for a day answers with the full digest. */
  private readonly digest: DigestQueries;
  /** Sales and profit reads for 销量, 利润, 畅销, 滞销. */
  private readonly reports: ReportQueries;

  /** The digest's queries and settings (shop-wide digest settings are changed through them). */
  get digestQueries(): DigestQueries {
    return this.digest;
  }

  private readonly botNames: readonly string[];

  /**
   * Handles one message for a shop; null means stay silent (group chatter). `parsed` is the
   * message already read by the gateway (`read`), so a message is parsed once.
   */
  async handle(message: IncomingMessage, shop: ShopRecord, access: ChatAccess | Role, parsed?: ParseResult): Promise<BotReply | null> {
    const started = performance.now();
    const who: ChatAccess = typeof access === 'string' ? { role: access, seeCost: can(access, 'seeCost') } : access;
    // Unexpected failures propagate: the gateway is the one error boundary (it logs them and apologises).
    const reply = await this.dispatch(message, shop, who, parsed);
    if (reply) {
      this.logger.info(
        {
          shop: shop.id,
          platform: message.platform,
          chat: message.chatId,
          intent: reply.intent ?? 'none',
          entries: reply.entrySeqs,
          duplicate: reply.duplicate || undefined,
          ms: Math.round((performance.now() - started) * 100) / 100,
        },
        'message handled',
      );
    }
    return reply;
  }

  /** The catalogue the parser resolves names against; rebuilt after products or aliases change. */
  async catalogue(shopId: number): Promise<Catalogue> {
    // Another process (an import, a second bot) may have changed the catalogue: its version says so.
    const version = await this.store.catalogueVersion(shopId);
    const cached = this.catalogues.get(shopId);
    let catalogue = cached?.version === version ? cached.catalogue : undefined;
    if (!catalogue) {
      const aliases = new Map<number, string[]>();
      for (const a of await this.store.aliases(shopId)) aliases.set(a.productId, [...(aliases.get(a.productId) ?? []), a.alias]);
      const units = new Map<number, Record<string, number>>();
      for (const u of await this.store.units(shopId)) units.set(u.productId, { ...(units.get(u.productId) ?? {}), [u.unit]: u.factorMilli / MILLI });
      catalogue = buildCatalogue(
        (await this.store.products(shopId)).map((p) => ({ name: p.name, aliases: aliases.get(p.id) ?? [], unit: p.unit, units: units.get(p.id) ?? {}, sku: p.sku ?? undefined })),
      );
      this.catalogues.set(shopId, { version, catalogue });
    }
    return catalogue;
  }

  /** Forget cached catalogues (after an import or another process changed products). */
  invalidate(shopId?: number): void {
    if (shopId === undefined) this.catalogues.clear();
    else this.catalogues.delete(shopId);
  }

  /** Parses a message in a shop's language (its products, time zone and this bot's names), without acting on it. */
  async parse(text: string, shop: ShopRecord): Promise<ParseResult> {
    return parseMessage(text, { now: this.clock.now(), timeZone: shop.timeZone, catalogue: await this.catalogue(shop.id), botNames: this.botNames });
  }

  /** Reads a message in a shop's language, the administration phrases included: the gateway's one parse. */
  async read(text: string, shop: ShopRecord): Promise<MessageParse> {
    return readMessage(text, { now: this.clock.now(), timeZone: shop.timeZone, catalogue: await this.catalogue(shop.id), botNames: this.botNames });
  }

  private async dispatch(message: IncomingMessage, shop: ShopRecord, access: ChatAccess, given: ParseResult | undefined): Promise<BotReply | null> {
    const now = this.clock.now();
    const parsed = given ?? await this.parse(message.text, shop);
    if (parsed.kind === 'none') {
      return message.chatType === 'private' ? { text: PRIVATE_HINT, entrySeqs: [], duplicate: false } : null;
    }
    if (parsed.kind === 'batch') {
      // A paste of several commands: each line on its own, as if sent one by one (its own
      // message id, so each is applied once), the answers in one reply.
      const replies: BotReply[] = [];
      for (const [k, r] of parsed.results.entries()) {
        replies.push(await this.execute(r, k === 0 ? message : { ...message, messageId: `${message.messageId}#${k + 1}` }, shop, access, now));
      }
      return {
        text: replies.map((r) => r.text).join('\n'),
        intent: replies[0]?.intent,
        entrySeqs: replies.flatMap((r) => r.entrySeqs),
        duplicate: replies.every((r) => r.duplicate),
      };
    }
    return this.execute(parsed, message, shop, access, now);
  }

  private async execute(
    parsed: Exclude<ParseResult, { kind: 'none' } | { kind: 'batch' }>,
    message: IncomingMessage,
    shop: ShopRecord,
    access: ChatAccess,
    now: Date,
  ): Promise<BotReply> {
    const role = access.role;
    if (parsed.kind === 'error') {
      return { text: refusalText({ code: 'PARSE_ERROR', parseCode: parsed.code, message: parsed.message, example: parsed.example }), entrySeqs: [], duplicate: false };
    }
    const command = parsed.command;
    const reply = (text: string, entrySeqs: number[] = [], duplicate = false): BotReply => ({ text, intent: command.intent, entrySeqs, duplicate });
    if (!can(role, command.intent)) {
      return reply(permissionRefusal(role, command.intent));
    }
    const seeCost = access.seeCost && can(role, 'seeCost');
    const source: SourceInput = {
      platform: message.platform,
      chatId: message.chatId,
      messageId: message.messageId,
      text: message.text,
      actorId: `${message.platform}:${message.userId}`,
      actorName: message.userName,
    };
    const handler = INTENT_HANDLERS[command.intent] as Handler<Command['intent']>;
    return handler(command, { message, shop, access, now, source, seeCost, reply, bot: this.services });
  }

  private async refusal(result: Result<unknown> & { ok: false }, shopId: number, kind: FailureContext['kind']): Promise<string> {
    const failure = result.failure;
    const suggestions = failure.code === 'UNKNOWN_PRODUCT' ? suggestProducts(failure.product, await this.catalogue(shopId), 3) : undefined;
    return failureReply(failure, { kind, suggestions, timeZone: (await this.store.shopById(shopId))?.timeZone });
  }

  /** Settings and aliases refuse as the ledger does (an unknown product, with suggestions), or with their own codes. */
  private async catalogueRefusal(failure: CatalogueFailure, shopId: number): Promise<string> {
    return failure.code === 'SKU_TAKEN' ? refusalText(failure) : await this.refusal({ ok: false, failure }, shopId, 'query');
  }
}
