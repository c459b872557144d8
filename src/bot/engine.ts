import type { Result } from '../core/failures.ts';
import { InventoryService, type ActorLimit } from '../core/inventory.service.ts';
import type { Clock, EntryView, InventoryStore, ProductMode, ShopRecord, SourceInput } from '../core/ports.ts';
import { MILLI } from '../core/quantity.ts';
import type { Command } from './command.ts';
import { FILES_UNAVAILABLE } from './files/file-replies.ts';
import type { OutgoingFile } from './files/files.port.ts';
import { qty, yuanGrouped } from './format.ts';
import { helpText } from './help.ts';
import type { Handler, HandlerContext, IntentHandlers } from './intents/handler.ts';
import { WRITE_INTENTS, type WriteIntent } from './intents/index.ts';
import { digestReply, overstockText, shortageText } from './digest.ts';
import { localDate } from '../core/zoned-time.ts';
import { stockHealthNow } from '../core/digest.ts';
import { checkWrite } from './price-check.ts';
import { ledgerReport, renderReport } from './reports.ts';
import type { ReportQueries } from '../core/report-queries.ts';
import type { DigestQueries } from '../core/digest-queries.ts';
import { buildCatalogue, nearDuplicates, parseMessage, readMessage, suggestProducts, type Catalogue, type MessageParse, type ParseResult } from './parse/index.ts';
import { can, type Role } from './permissions.ts';
import { permissionRefusal, refusalText } from './refusals.ts';
import { CatalogueService, type CatalogueFailure, type ProductSetting } from '../core/catalogue.service.ts';
import { conversionReply, correctionReply, entryText, failureReply, stockLine, undoReply, writeReply, type FailureContext } from './replies.ts';

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
export const UNDO_HOURS = 24;

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

/** Lines of a long list before it is cut, so a reply fits a phone screen. */
const MAX_LIST = 30;

/**
 * The chat-agnostic conversation: text in, reply out. One engine serves every adapter (console,
 * Telegram, WeChat); it parses, checks permissions, calls the core and words the answer.
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
    options: { reports: ReportQueries; digest: DigestQueries; logger?: BotLogger; botNames?: readonly string[] },
  ) {
    this.service = new InventoryService(store, clock);
    this.catalogueService = new CatalogueService(store);
    this.logger = options.logger ?? silentLogger;
    this.botNames = options.botNames ?? [];
    this.digest = options.digest;
    this.reports = options.reports;
  }

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
  handle(message: IncomingMessage, shop: ShopRecord, access: ChatAccess | Role, parsed?: ParseResult): BotReply | null {
    const started = performance.now();
    const who: ChatAccess = typeof access === 'string' ? { role: access, seeCost: can(access, 'seeCost') } : access;
    // Unexpected failures propagate: the gateway is the one error boundary (it logs them and apologises).
    const reply = this.dispatch(message, shop, who, parsed);
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
  catalogue(shopId: number): Catalogue {
    // Another process (an import, a second bot) may have changed the catalogue: its version says so.
    const version = this.store.catalogueVersion(shopId);
    const cached = this.catalogues.get(shopId);
    let catalogue = cached?.version === version ? cached.catalogue : undefined;
    if (!catalogue) {
      const aliases = new Map<number, string[]>();
      for (const a of this.store.aliases(shopId)) aliases.set(a.productId, [...(aliases.get(a.productId) ?? []), a.alias]);
      const units = new Map<number, Record<string, number>>();
      for (const u of this.store.units(shopId)) units.set(u.productId, { ...(units.get(u.productId) ?? {}), [u.unit]: u.factorMilli / MILLI });
      catalogue = buildCatalogue(
        this.store.products(shopId).map((p) => ({ name: p.name, aliases: aliases.get(p.id) ?? [], unit: p.unit, units: units.get(p.id) ?? {}, sku: p.sku ?? undefined })),
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
  parse(text: string, shop: ShopRecord): ParseResult {
    return parseMessage(text, { now: this.clock.now(), timeZone: shop.timeZone, catalogue: this.catalogue(shop.id), botNames: this.botNames });
  }

  /** Reads a message in a shop's language, the administration phrases included: the gateway's one parse. */
  read(text: string, shop: ShopRecord): MessageParse {
    return readMessage(text, { now: this.clock.now(), timeZone: shop.timeZone, catalogue: this.catalogue(shop.id), botNames: this.botNames });
  }

  private dispatch(message: IncomingMessage, shop: ShopRecord, access: ChatAccess, given: ParseResult | undefined): BotReply | null {
    const now = this.clock.now();
    const parsed = given ?? this.parse(message.text, shop);
    if (parsed.kind === 'none') {
      return message.chatType === 'private' ? { text: PRIVATE_HINT, entrySeqs: [], duplicate: false } : null;
    }
    if (parsed.kind === 'batch') {
      // A paste of several commands: each line on its own, as if sent one by one (its own
      // message id, so each is applied once), the answers in one reply.
      const replies = parsed.results.map((r, k) =>
        this.execute(r, k === 0 ? message : { ...message, messageId: `${message.messageId}#${k + 1}` }, shop, access, now),
      );
      return {
        text: replies.map((r) => r.text).join('\n'),
        intent: replies[0]?.intent,
        entrySeqs: replies.flatMap((r) => r.entrySeqs),
        duplicate: replies.every((r) => r.duplicate),
      };
    }
    return this.execute(parsed, message, shop, access, now);
  }

  private execute(
    parsed: Exclude<ParseResult, { kind: 'none' } | { kind: 'batch' }>,
    message: IncomingMessage,
    shop: ShopRecord,
    access: ChatAccess,
    now: Date,
  ): BotReply {
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
    const handler = this.handlers[command.intent] as Handler<Command['intent']>;
    return handler(command, { message, shop, access, now, source, seeCost, reply });
  }

  /** Every write intent of the registry shares one handler: questions, price checks, then the ledger. */
  private readonly writeHandler: Handler<WriteIntent> = (c, { shop, source, seeCost, reply }) => {
    if (c.intent === 'stocktake') {
      const question = this.whichLocation(shop.id, c);
      if (question !== undefined) return reply(question);
    }
    if (c.intent === 'purchase') {
      const question = this.newOrKnown(shop.id, c);
      if (question !== undefined) return reply(question);
    }
    // Freight is spread and doubtful prices are asked about before anything is recorded.
    const checked = checkWrite(this.store, this.catalogue(shop.id), shop.id, c, seeCost);
    if (checked.reply !== undefined) return reply(checked.reply);
    const result = this.service.record(
      shop.id,
      {
        kind: c.intent,
        items: checked.items,
        occurredAt: c.occurredAt,
        channel: c.channel,
        counterparty: c.counterparty,
        location: c.location,
        to: c.intent === 'transfer' ? c.to : undefined,
      },
      source,
    );
    if (!result.ok) return reply(this.refusal(result, shop.id, c.intent));
    if (result.value.createdProducts.length > 0) this.invalidate(shop.id);
    const details = c.intent === 'transfer' ? [] : checked.items;
    const warned = checked.warnings.length > 0 && !result.value.duplicate ? `\n${checked.warnings.join('\n')}` : '';
    return reply(writeReply(result.value, seeCost, details) + warned, result.value.entries.map((e) => e.seq), result.value.duplicate);
  };

  /** Files need the asynchronous path (ChatGateway.respond); a caller without it gets told. */
  private readonly filesUnavailable = (_command: Command, { reply }: HandlerContext): BotReply => reply(FILES_UNAVAILABLE);

  /** The dispatch table: one handler per intent, the write intents' derived from the registry. */
  private readonly handlers: IntentHandlers = {
    ...(Object.fromEntries(WRITE_INTENTS.map((i) => [i, this.writeHandler])) as { [I in WriteIntent]: Handler<I> }),
    undo: (command, { message, shop, access, now, source, reply }) => {
      const replyTo = command.entryNo === undefined ? this.undoTarget(message) : undefined;
      if (command.entryNo === undefined && replyTo === undefined) {
        const last = this.lastUndo(shop.id, source.actorId, now);
        if (last !== undefined) return reply(secondUndoReply(last));
      }
      const result = this.service.undo(
        shop.id,
        { entryNo: command.entryNo, messageOfEntry: replyTo?.entryNo, replyTo: replyTo?.message, limit: access.limit },
        source,
      );
      if (!result.ok) return reply(this.refusal(result, shop.id, 'undo'));
      return reply(undoReply(result.value), result.value.reversals.map((e) => e.seq), result.value.duplicate);
    },
    correct: (command, { shop, access, source, seeCost, reply }) => {
      const value = command.field === 'quantity' ? command.value : Math.round(command.value);
      const other = command.changes?.find((c) => c.field !== command.field);
      const also = other === undefined ? undefined : { field: other.field, value: other.field === 'quantity' ? other.value : Math.round(other.value) };
      const result = this.service.correct(shop.id, { entryNo: command.entryNo, field: command.field, value, also, limit: access.limit }, source);
      if (!result.ok) return reply(this.refusal(result, shop.id, 'correct'));
      const v = result.value;
      return reply(correctionReply(v, seeCost), [v.reversal.seq, v.replacement.seq], v.duplicate);
    },
    query: (command, { shop, seeCost, reply }) => reply(this.query(shop, command, seeCost)),
    report: (command, { shop, seeCost, now, reply }) => reply(this.report(shop, command, seeCost, now)),
    setting: (command, { shop, reply }) => reply(this.setting(shop, command)),
    alias: (command, { shop, reply }) => {
      const added = this.catalogueService.addAliases(shop.id, command.product, command.aliases);
      if (!added.ok) return reply(this.catalogueRefusal(added.failure, shop.id));
      this.invalidate(shop.id);
      const { product, all, taken } = added.value;
      return reply(`✅ ${product.name} 的别名：${all.join('、') || '（无）'}` + (taken.length > 0 ? `\n（已被占用，未添加：${taken.join('、')}）` : ''));
    },
    help: (command, { reply }) => reply(helpText(command.topic)),
    export: this.filesUnavailable,
    importFile: this.filesUnavailable,
    confirmImport: this.filesUnavailable,
    cancelImport: this.filesUnavailable,
  };

  /** Replying 「撤销」 to a bot confirmation undoes the message it confirms (all its entries); to a user message, that message's entries. */
  private undoTarget(message: IncomingMessage): { entryNo?: number; message?: { platform: string; chatId: string; messageId: string } } | undefined {
    const target = message.replyTo;
    if (!target) return undefined;
    if (target.fromBot) {
      const seq = /#(\d+)/.exec(target.text ?? '')?.[1];
      return seq ? { entryNo: Number(seq) } : undefined;
    }
    return { message: { platform: message.platform, chatId: message.chatId, messageId: target.messageId } };
  }

  /**
   * The sender's undo, when their latest entry is one (not a correction): a second plain 撤销 would
   * walk back into older history, which is never what was meant.
   */
  private lastUndo(shopId: number, actorId: string, now: Date): EntryView | undefined {
    const recent = this.store.entries(shopId, { from: new Date(now.getTime() - UNDO_HOURS * 3_600_000) });
    let latest: EntryView | undefined;
    for (const e of recent) if (e.actorId === actorId && (latest === undefined || e.seq > latest.seq)) latest = e;
    if (latest === undefined || latest.kind !== 'reversal') return undefined;
    const message = latest.messageId;
    const correction = message !== null && recent.some((e) => e.messageId === message && e.replacesId !== null);
    return correction ? undefined : latest;
  }

  /**
   * `盘点 X 45` for a product kept in several places: the count is for one place, and which one
   * is not guessed. Returns the question, or undefined when every item is clear.
   */
  private whichLocation(shopId: number, c: Extract<Command, { intent: 'stocktake' }>): string | undefined {
    const catalogue = this.catalogue(shopId);
    for (const item of c.items) {
      if ((item.location ?? c.location) !== undefined) continue;
      const product = catalogue.resolve(item.product);
      if (product === undefined) continue;
      const rows = this.store.stock(shopId).filter((r) => r.product === product.name && r.qtyMilli !== 0);
      if (rows.length < 2) continue;
      const places = rows.map((r) => `${r.location} ${qty(r.qtyMilli, r.unit)}`).join('，');
      const other = rows.find((r) => r.location !== rows[0]?.location)?.location ?? rows[0]?.location ?? '门店';
      return `❓ ${product.name} 在 ${rows.length} 个地方有库存（${places}），这次盘的是哪里？请写上地点，没有写的不记账。\n例：盘点 ${product.name} ${item.quantity} 在 ${other}`;
    }
    return undefined;
  }

  /**
   * A purchase under a new name that is nearly a known one (`卫衣衣`, `T恤白 L`) would silently
   * split one product in two; ask first. `进货 新品 …` says it really is new.
   */
  private newOrKnown(shopId: number, c: Extract<Command, { intent: 'purchase' }>): string | undefined {
    for (const item of c.items) {
      if (item.known || item.newProduct === true) continue;
      const close = nearDuplicates(item.product, this.catalogue(shopId), 3);
      const first = close[0];
      if (first === undefined) continue;
      const rest = `${item.quantity}${item.unit ?? ''}${item.unitPrice !== undefined ? ` ${yuanGrouped(item.unitPrice)}` : ''}`;
      return `❓ 「${item.product}」是不是「${close.join('」或「')}」？为了不把一个商品记成两个，这条没有记账。\n是的话写：进货 ${first} ${rest}\n确实是新商品就写：进货 新品 ${item.product} ${rest}`;
    }
    return undefined;
  }

  private refusal(result: Result<unknown> & { ok: false }, shopId: number, kind: FailureContext['kind']): string {
    const failure = result.failure;
    const suggestions = failure.code === 'UNKNOWN_PRODUCT' ? suggestProducts(failure.product, this.catalogue(shopId), 3) : undefined;
    return failureReply(failure, { kind, suggestions });
  }

  private query(shop: ShopRecord, command: Extract<Command, { intent: 'query' }>, seeCost: boolean): string {
    if (command.filter === 'shortage' || command.filter === 'overstock') {
      const health = stockHealthNow(this.digest, shop.id, this.clock.now());
      if (command.filter === 'shortage') {
        const rows = health.shortages;
        if (rows.length === 0) return '✅ 没有缺货、低于预警或快卖完的商品。';
        return [`⚠️ 缺货/低库存 ${rows.length} 种：`, ...rows.slice(0, MAX_LIST).map(shortageText), ...more(rows.length)].join('\n');
      }
      const rows = health.overstock;
      if (rows.length === 0) return '✅ 没有积压或滞销的商品。';
      return [`📦 积压/滞销 ${rows.length} 种：`, ...rows.slice(0, MAX_LIST).map((o) => overstockText(o, health.settings.noSaleDays)), ...more(rows.length)].join('\n');
    }
    if (command.field === 'cost' && command.product !== undefined) return this.costQuery(shop, command.product, seeCost);
    if (command.products !== undefined) {
      return command.products
        .map((p) => {
          const result = this.service.stock(shop.id, p.product);
          return result.ok ? `📦 ${stockLine(result.value, seeCost)}` : this.refusal(result, shop.id, 'query');
        })
        .join('\n');
    }
    if (command.product !== undefined) {
      const result = this.service.stock(shop.id, command.product);
      if (!result.ok) return this.refusal(result, shop.id, 'query');
      return `📦 ${stockLine(result.value, seeCost)}`;
    }
    const rows = this.store.stock(shop.id);
    if (rows.length === 0) return '📦 还没有库存。先进货，例：进货 T恤 50 件 单价 20';
    const byProduct = new Map<number, typeof rows>();
    for (const r of rows) byProduct.set(r.productId, [...(byProduct.get(r.productId) ?? []), r]);
    const lines = [...byProduct.values()].map((group) => `· ${stockLine(group, seeCost)}`);
    const units = rows.reduce((s, r) => s + r.qtyMilli, 0);
    const value = rows.reduce((s, r) => s + r.value, 0);
    const head = `📦 库存 ${byProduct.size} 种，共 ${qty(units, '')} 个单位${seeCost ? `，金额 ${yuanGrouped(value)} 元` : ''}`;
    return [head, ...lines.slice(0, MAX_LIST), ...more(lines.length)].join('\n');
  }

  /** `卫衣 进价多少`: average cost of the stock and the last purchase price, for owners only. */
  private costQuery(shop: ShopRecord, name: string, seeCost: boolean): string {
    if (!seeCost) return refusalText({ code: 'COST_OWNER_ONLY', product: name });
    const result = this.service.stock(shop.id, name);
    if (!result.ok) return this.refusal(result, shop.id, 'query');
    const rows = result.value;
    const first = rows[0];
    if (first === undefined) return `📦 ${name}：还没有库存。`;
    const product = this.store.products(shop.id).find((p) => p.id === first.productId);
    const qtyMilli = rows.reduce((s, r) => s + r.qtyMilli, 0);
    const value = rows.reduce((s, r) => s + r.value, 0);
    const avg = qtyMilli > 0 ? Math.round((value * MILLI) / qtyMilli) : null;
    const parts = [
      avg === null ? '现在没有库存，算不出均价' : `库存均价 ${yuanGrouped(avg)} 元/${first.unit}`,
      product?.lastCost !== null && product?.lastCost !== undefined ? `最近一次进价 ${yuanGrouped(product.lastCost)} 元` : '还没有进货记录',
    ];
    return `💰 ${first.product}：${parts.join('，')}`;
  }

  private report(shop: ShopRecord, command: Extract<Command, { intent: 'report' }>, seeCost: boolean, now: Date): string {
    // 日报 for one day is the digest itself (not counted as the scheduled one); other periods get the report tables.
    const period = command.period;
    const oneDay = period === undefined || period.to.getTime() - period.from.getTime() <= 25 * 3_600_000;
    if (command.kind === 'daily' && oneDay) {
      return digestReply(this.digest, shop, seeCost, now, period ? localDate(period.from, shop.timeZone) : undefined);
    }
    if (command.kind === 'ledger' && period !== undefined) {
      const entries = this.store.entries(shop.id, { from: period.from, to: period.to });
      return ledgerReport(entries, shop, period, seeCost, entryText);
    }
    const health = (noSaleDays?: number) => stockHealthNow(this.digest, shop.id, now, noSaleDays === undefined ? {} : { noSaleDays });
    return renderReport(this.reports, this.store.stock(shop.id), health, shop, command, seeCost, now);
  }

  private setting(shop: ShopRecord, command: Extract<Command, { intent: 'setting' }>): string {
    if (command.key === 'digestTime') {
      this.catalogueService.setShop(shop.id, { digestTime: String(command.value) });
      return `✅ 日报时间已设为每天 ${command.value}（${shop.timeZone}）`;
    }
    if (command.key === 'timeZone') {
      this.catalogueService.setShop(shop.id, { timeZone: String(command.value) });
      return `✅ 时区已设为 ${command.value}`;
    }
    const name = command.product ?? '';
    if (command.key === 'unitConversion') {
      const result = this.service.setUnitConversion(shop.id, { product: name, unit: command.unit ?? '', factor: command.factor ?? 1, base: String(command.value) });
      if (!result.ok) return this.refusal(result, shop.id, 'query');
      this.invalidate(shop.id);
      return conversionReply(result.value);
    }
    const setting: ProductSetting =
      command.key === 'mode'
        ? { key: 'mode', value: String(command.value) as ProductMode }
        : command.key === 'sku'
          ? { key: 'sku', value: String(command.value) }
          : { key: command.key, value: typeof command.value === 'number' ? command.value : Number(command.value) };
    const result = this.catalogueService.setProduct(shop.id, name, setting);
    if (!result.ok) return this.catalogueRefusal(result.failure, shop.id);
    const { product, setting: set } = result.value;
    switch (set.key) {
      case 'reorderLevel':
        return `✅ ${product.name} 预警线：${set.value}${product.unit}（库存不高于它时提醒补货）`;
      case 'overstockLevel':
        return `✅ ${product.name} 积压线：${set.value}${product.unit}`;
      case 'salePrice':
        return `✅ ${product.name} 售价：${yuanGrouped(set.value)} 元/${product.unit}`;
      case 'leadTime':
        return `✅ ${product.name} 补货周期：${set.value} 天`;
      case 'mode': {
        const label = { normal: '普通（不许超卖）', presale: '预售（允许负库存，显示待发）', dropship: '一件代发（只记收入和成本，不动库存）' }[set.value];
        return `✅ ${product.name} 模式：${label ?? set.value}`;
      }
      case 'sku':
        this.invalidate(shop.id); // the code is a name the parser accepts from now on
        return `✅ ${product.name} 编码：${set.value}`;
    }
  }

  /** Settings and aliases refuse as the ledger does (an unknown product, with suggestions), or with their own codes. */
  private catalogueRefusal(failure: CatalogueFailure, shopId: number): string {
    return failure.code === 'SKU_TAKEN' ? refusalText(failure) : this.refusal({ ok: false, failure }, shopId, 'query');
  }
}

function secondUndoReply(last: EntryView): string {
  return refusalText({ code: 'SECOND_UNDO', lastSeq: last.seq });
}

function more(total: number): string[] {
  return total > MAX_LIST ? [`…共 ${total} 种，完整清单请导出：npx jxc export stock --format csv`] : [];
}
