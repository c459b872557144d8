import type { AccessService, ChatPlace, IssuedCode, Redeemed, Speaker } from '../core/access.service.ts';
import type { PersonRecord } from '../core/access.ts';
import type { Clock, ShopRecord } from '../core/ports.ts';
import { formatQty } from '../core/quantity.ts';
import { KIND_LABELS } from '../core/labels.ts';
import type { AdminCommand, AdminParse } from './admin.parser.ts';
import { UNDO_HOURS, type BotLogger, type BotReply, type ChatAccess, type ChatEngine } from './engine.ts';
import { isFileCommand, type FileCommand, type FileIntents, type FileMessage } from './files/file-intents.ts';
import { yuan } from './format.ts';
import { priceShown, quoteFor } from './mask-cost.ts';
import { localTime } from '../core/zoned-time.ts';
import { helpText } from './help.ts';
import { DIGEST_PICTURE_OFF, DIGEST_PICTURE_ON, PICTURE_UNAVAILABLE } from './pictures/picture-replies.ts';
import type { PictureRenderer } from './pictures/picture-view.ts';
import { buildCatalogue, importKindOfCaption, mentionsFileVerb, orderPlatformOfCaption, parseMessage, readMessage, type MessageParse } from './parse/index.ts';
import { can, neededRole, ROLE_LABELS, type Role } from './permissions.ts';
import { INTERNAL_ERROR_TEXT, REMOVED_TEXT, refusalText, UNBOUND_TEXT, type BotRefusal } from './refusals.ts';

/** A chat message with what the gateway needs to bind chats: the chat's title and the sender's @handle; maybe a file. */
export interface GatewayMessage extends FileMessage {
  chatTitle?: string | undefined;
  userHandle?: string | undefined;
}

export interface GatewayOptions {
  /**
   * The configured default time zone. A stranger's line in an unbound chat is read in it only to
   * decide whether it is a command (no shop, so no shop's zone); UTC when not given.
   */
  timeZone?: string | undefined;
  /** Spreadsheet import and export; without it `respond` answers like `handle`. */
  files?: FileIntents | undefined;
  /** Where unexpected failures are logged; silent when not given. */
  logger?: BotLogger | undefined;
  /** Draws the pictures of `日报 图`, `销量 本月 图`…; without it those are answered with their text. */
  pictures?: PictureRenderer | undefined;
}

/** What strangers in an unbound chat are told, once per command they try. */
export const UNBOUND_HINT = UNBOUND_TEXT;

/** How the audit trail names a platform when the chat has no title. */
const UNTITLED_CHAT: Record<string, string> = { telegram: 'Telegram 私聊', wechat: '微信私聊', console: '控制台' };

/** Deciding whether a stranger's line is a command needs no shop's products. */
const NO_PRODUCTS = buildCatalogue([]);

const silentLogger: BotLogger = { info() {}, warn() {}, error() {}, debug() {} };

const replyOf = (text: string, intent?: BotReply['intent']): BotReply => ({ text, intent, entrySeqs: [], duplicate: false });
const speakerOf = (m: GatewayMessage): Speaker => ({ platform: m.platform, userId: m.userId, userName: m.userName, userHandle: m.userHandle });
const placeOf = (m: GatewayMessage): ChatPlace => ({ platform: m.platform, chatId: m.chatId, chatType: m.chatType, title: m.chatTitle });

/**
 * The front door for chat platforms and their single error boundary: works out the shop a chat is
 * bound to, who the sender is and what role they act with (through the access use cases), answers
 * the administration phrases, and passes everything else to the engine. Strangers in unbound chats
 * get one line and nothing else; an unexpected failure anywhere below is logged and answered with
 * the internal-error line, so no adapter ever sees an exception from a message.
 */
export class ChatGateway {
  private readonly logger: BotLogger;

  constructor(
    readonly engine: ChatEngine,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly options: GatewayOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  private readonly listeners: ((shopId: number, reply: BotReply) => void)[] = [];

  /** Called after each reply in a bound chat (the low-stock alert listens here). */
  onReply(listener: (shopId: number, reply: BotReply) => void): void {
    this.listeners.push(listener);
  }

  /** Handles one message from any platform; null means stay silent. Never throws. */
  async handle(message: GatewayMessage): Promise<BotReply | null> {
    try {
      return await this.answer(message);
    } catch (error) {
      return this.failed(error, message);
    }
  }

  /**
   * Handles one message from any platform, files included: a received file, 导出, 确认导入 and 取消
   * are answered here (asynchronously: spreadsheets are read and written), everything else as
   * `handle` does. Adapters call this; null means stay silent. Never rejects.
   */
  async respond(message: GatewayMessage): Promise<BotReply | null> {
    try {
      const reply = await this.answerWithFiles(message);
      return reply?.picture ? await this.drawn(reply, message) : reply;
    } catch (error) {
      return this.failed(error, message);
    }
  }

  /**
   * A reply's picture drawn into a PNG file with the reply's text as its caption. A picture that cannot
   * be drawn is logged and the text goes alone, with a note: the figures are in it all the same.
   */
  private async drawn(reply: BotReply, message: GatewayMessage): Promise<BotReply> {
    const { picture, ...answer } = reply;
    const renderer = this.options.pictures;
    if (!picture || !renderer) return answer;
    const started = performance.now();
    try {
      const bytes = await renderer.render(picture.view);
      this.logger.info({ platform: message.platform, chat: message.chatId, intent: reply.intent, file: picture.name, bytes: bytes.byteLength, ms: Math.round(performance.now() - started) }, 'picture drawn');
      return { ...answer, file: { name: picture.name, caption: reply.text, bytes, picture: true } };
    } catch (error) {
      this.logger.error({ err: error, platform: message.platform, chat: message.chatId, intent: reply.intent }, 'picture failed');
      return { ...answer, text: `${reply.text}\n${PICTURE_UNAVAILABLE}` };
    }
  }

  /** The one place an unexpected failure becomes a reply: logged with its cause, the user gets an apology, never a stack trace. */
  private failed(error: unknown, message: GatewayMessage): BotReply {
    this.logger.error({ err: error, platform: message.platform, chat: message.chatId }, 'message failed');
    // Nothing was written: marked failed, so an adapter that can be redelivered the message lets it try again.
    return { ...replyOf(INTERNAL_ERROR_TEXT), failed: true };
  }

  private async answer(message: GatewayMessage): Promise<BotReply | null> {
    const chat = await this.access.chatShop(message.platform, message.chatId);
    const binding = chat?.binding;
    // One parse per message: in the shop's language when the chat has a shop, else for the administration phrases.
    const read = binding && chat.shop ? await this.engine.read(message.text, chat.shop) : this.readUnbound(message.text);
    const admin: AdminParse = read.kind === 'admin' ? read.admin : { kind: 'none' };
    const refused = (r: BotRefusal): BotReply => replyOf(refusalText(r));

    // A code used in a private chat: anyone may, whatever the chat's binding; what it grants is decided by the code.
    if (admin.kind === 'command' && admin.command.intent === 'bind' && (!binding || message.chatType === 'private')) {
      const redeemed = await this.access.redeem(speakerOf(message), placeOf(message), admin.command.code, binding);
      return redeemed.ok ? replyOf(redeemedText(redeemed.value)) : refused(redeemed.refusal);
    }
    if (!binding) {
      if (admin.kind === 'command' && admin.command.intent === 'openShop') {
        const opened = await this.access.openShop(speakerOf(message), placeOf(message), admin.command.name);
        return opened.ok ? replyOf(openedText(opened.value.shop, opened.value.audience)) : refused(opened.refusal);
      }
      if (admin.kind === 'command' && admin.command.intent === 'linkCode' && message.chatType === 'private') {
        const issued = await this.access.linkCodeUnbound(speakerOf(message), placeOf(message));
        return issued.ok ? replyOf(linkCodeText(issued.value)) : refused(issued.refusal);
      }
      if (admin.kind === 'error') return refused({ code: 'PARSE_ERROR', message: admin.message });
      return this.looksLikeCommand(message, read) ? refused({ code: 'UNBOUND' }) : null;
    }

    const shop = chat.shop;
    if (!shop) return null;
    const person = await this.access.identify(shop.id, speakerOf(message), message.chatType);
    const role = await this.access.roleOf(shop.id, person, binding.audience, message.chatType);
    if (role === null) return this.looksLikeCommand(message) ? refused({ code: 'REMOVED' }) : null;
    const access: ChatAccess = {
      role,
      seeCost: role === 'owner' && binding.audience === 'owner',
      limit:
        role === 'owner'
          ? undefined
          : {
              actorIds: await this.access.actorIds(shop.id, person, speakerOf(message)),
              notBefore: new Date(this.clock.now().getTime() - UNDO_HOURS * 3_600_000),
              hours: UNDO_HOURS,
            },
    };

    if (admin.kind === 'error') return refused({ code: 'PARSE_ERROR', message: admin.message });
    if (admin.kind === 'command') {
      const c = admin.command;
      // A link code posted in a group is spent whoever posted it: everyone there has seen it.
      if (c.intent === 'bind' && await this.access.spendIfLinkCode(c.code)) return refused({ code: 'LINK_CODE_IN_GROUP' });
      // `/start` in a bound chat is a greeting: show what the bot can do.
      if (c.intent === 'openShop' && /^\/start/.test(message.text.trim())) {
        return replyOf(`👋 这里是「${shop.name}」的进销存机器人。\n${helpText()}`, 'help');
      }
      if (!can(role, c.intent)) return refused({ code: 'PERMISSION', role, needed: neededRole(c.intent) });
      return replyOf(await this.admin(c, message, shop, person, access));
    }
    const answer = await this.engine.handle(message, shop, access, read.kind === 'admin' ? undefined : read);
    if (answer) for (const listener of this.listeners) this.notify(listener, shop.id, answer, message);
    return answer;
  }

  /** A listener's failure (the low-stock alert) is logged, never turned into the reply: the message itself was handled. */
  private notify(listener: (shopId: number, reply: BotReply) => void, shopId: number, reply: BotReply, message: GatewayMessage): void {
    try {
      listener(shopId, reply);
    } catch (error) {
      this.logger.error({ err: error, shop: shopId, platform: message.platform, chat: message.chatId }, 'reply listener failed');
    }
  }

  private async answerWithFiles(message: GatewayMessage): Promise<BotReply | null> {
    const files = this.options.files;
    // Most messages name no file word; they take the synchronous path at once.
    if (!files || (message.file === undefined && !mentionsFileVerb(message.text))) return await this.answer(message);
    const chat = await this.access.chatShop(message.platform, message.chatId);
    const shop = chat?.shop;
    if (!chat || !shop) {
      if (message.file === undefined) return await this.answer(message);
      return message.chatType === 'private' ? replyOf(UNBOUND_TEXT) : null;
    }
    let command: FileCommand;
    if (message.file !== undefined) {
      const kind = importKindOfCaption(message.file.caption);
      const platform = kind === 'orders' ? orderPlatformOfCaption(message.file.caption) : undefined;
      command = { intent: 'importFile', ...(kind === undefined ? {} : { kind }), ...(platform === undefined ? {} : { platform }) };
    } else {
      const parsed = await this.engine.parse(message.text, shop);
      if (parsed.kind !== 'command' || !isFileCommand(parsed.command)) return await this.answer(message);
      command = parsed.command;
    }
    const person = await this.access.identify(shop.id, speakerOf(message), message.chatType);
    const role = await this.access.roleOf(shop.id, person, chat.binding.audience, message.chatType);
    if (role === null) return message.chatType === 'private' || message.file === undefined ? replyOf(REMOVED_TEXT) : null;
    const ownerChat = message.chatType === 'private' && chat.binding.audience === 'owner';
    return files.handle(command, { message, shop, role, ownerChat });
  }

  /** Whether a line in a chat without a shop is meant for the bot (only its kind is used, never its dates). */
  private looksLikeCommand(message: GatewayMessage, read?: MessageParse): boolean {
    if (message.chatType === 'private') return true;
    // An administration phrase that did not apply here is judged as the inventory language would judge it.
    const parsed = read === undefined || read.kind === 'admin' ? parseMessage(message.text, this.unboundContext()) : read;
    return parsed.kind !== 'none';
  }

  /** A chat without a shop has no products; only the kind of a parse is used, never its dates. */
  private unboundContext(): { now: Date; timeZone: string; catalogue: typeof NO_PRODUCTS } {
    return { now: this.clock.now(), timeZone: this.options.timeZone ?? 'UTC', catalogue: NO_PRODUCTS };
  }

  private readUnbound(text: string): MessageParse {
    return readMessage(text, this.unboundContext());
  }

  private async admin(c: AdminCommand, message: GatewayMessage, shop: ShopRecord, person: PersonRecord | undefined, access: ChatAccess): Promise<string> {
    switch (c.intent) {
      case 'openShop':
      case 'bind':
        return refusalText({ code: 'ALREADY_BOUND', shopName: shop.name });
      case 'bindCode': {
        const issued = await this.access.issueCode(shop, person, 'chat', message.chatType);
        if (!issued.ok) return refusalText(issued.refusal);
        const { code, minutes } = issued.value;
        return [
          `🔑 绑定码 ${code}（${minutes} 分钟内有效，只能用一次）。在要接入「${shop.name}」的群或私聊里发：绑定 ${code}`,
          '它只接入聊天，不给任何人身份。要关联你在另一个平台的账号，请在和我的私聊里发「关联码」。',
        ].join('\n');
      }
      case 'linkCode': {
        const issued = await this.access.issueCode(shop, person, 'link', message.chatType);
        return issued.ok ? linkCodeText(issued.value) : refusalText(issued.refusal);
      }
      case 'unbind':
        await this.access.unbind(message.platform, message.chatId);
        return `✅ 本聊天已与店铺「${shop.name}」解绑，账本数据都还在。`;
      case 'members': {
        const { people, memberRole } = await this.access.members(shop.id);
        const lines = people.map((p) => {
          const role = p.role === 'member' ? `${ROLE_LABELS[memberRole]}（群成员默认）` : ROLE_LABELS[p.role as Role];
          const handles = p.identities.map((i) => (i.handle ? `@${i.handle}` : `${i.platform}`)).join(' ');
          return `· ${p.displayName} ${handles} — ${role}`;
        });
        return [`👥 「${shop.name}」成员 ${people.length} 人（群成员默认：${ROLE_LABELS[memberRole]}）`, ...lines].join('\n');
      }
      case 'grant':
      case 'remove': {
        const changed = await this.access.changeRole(shop.id, c.target, c.intent === 'remove' ? 'removed' : c.role);
        if (!changed.ok) return refusalText(changed.refusal);
        if (c.intent === 'remove') return `✅ 已把 ${changed.value.displayName} 移出「${shop.name}」。`;
        return `✅ ${changed.value.displayName} 现在是「${ROLE_LABELS[c.role]}」。`;
      }
      case 'memberRole':
        await this.access.setMemberRole(shop.id, c.role);
        return `✅ 群成员默认身份：${ROLE_LABELS[c.role]}${c.role === 'staff' ? '（可以记账和查库存，看不到成本和利润）' : '（只能查库存）'}`;
      case 'audit':
        return await this.audit(c, shop, access);
      case 'shopSetting': {
        await this.engine.digestQueries.updateSettings(shop.id, { [c.key]: c.value });
        const label = {
          lowStockAlert: '缺货提醒',
          digestPicture: '日报形式',
          salesWindowDays: '销量统计天数',
          leadTimeDays: '默认交期',
          safetyDays: '安全天数',
          overstockCoverDays: '积压天数（库存够卖超过这么多天算积压）',
          noSaleDays: '滞销天数（这么多天没卖出算滞销）',
          expiryWarnDays: '临期天数',
        }[c.key];
        if (c.key === 'digestPicture') return c.value ? DIGEST_PICTURE_ON : DIGEST_PICTURE_OFF;
        return `✅ ${label}：${typeof c.value === 'boolean' ? (c.value ? '开（卖到预警线时立即提醒）' : '关') : `${c.value} 天`}`;
      }
    }
  }

  private async audit(c: Extract<AdminCommand, { intent: 'audit' }>, shop: ShopRecord, access: ChatAccess): Promise<string> {
    let productId: number | undefined;
    if (c.product !== undefined) {
      const found = await this.engine.service.stock(shop.id, c.product);
      if (!found.ok || !found.value[0]) return refusalText({ code: 'AUDIT_UNKNOWN_PRODUCT', product: c.product });
      productId = found.value[0].productId;
    }
    const rows = await this.access.audit(shop.id, { productId, seq: c.entryNo, limit: c.entryNo ? 1 : 10 });
    if (rows.length === 0) return c.entryNo ? refusalText({ code: 'AUDIT_NO_ENTRY', entryNo: c.entryNo }) : '还没有记录。';
    const lines = rows.map((r) => {
      const qty = `${formatQty(Math.abs(r.qtyMilli))}${r.unit}`;
      const price = r.unitPrice !== null && priceShown(r.kind, access.seeCost) ? ` @${yuan(r.unitPrice)}` : '';
      const what = r.kind === 'reversal' ? `撤销 #${r.reversesSeq} ${r.product} ${qty}` : `${KIND_LABELS[r.kind as keyof typeof KIND_LABELS] ?? r.kind} ${r.product} ${qty}${price}`;
      const undone = r.reversedBySeq ? `（已被 #${r.reversedBySeq} 撤销）` : '';
      // A note is free text (`单号 778899`, `顾客要白色的`) and may name a price: masked like the quote.
      const note = r.note ? ` 备注：${quoteFor(r.note, access.seeCost)}` : '';
      // A chat without a title is a private chat (or the console): its id is someone's account, never shown.
      const chat = r.chatTitle ?? (r.platform ? (UNTITLED_CHAT[r.platform] ?? `${r.platform} 私聊`) : '');
      const quoted = r.text === null ? null : quoteFor(r.text, access.seeCost);
      const text = quoted ? `「${quoted.length > 40 ? `${quoted.slice(0, 40)}…` : quoted}」` : '';
      return `#${r.seq} ${localTime(r.recordedAt, shop.timeZone)} ${r.actorName ?? '未署名'} ${what}${note}${undone}\n   来自 ${chat} ${text}`;
    });
    return [`🧾 ${c.product ? `${c.product} 的` : ''}最近记录：`, ...lines].join('\n');
  }
}

/** The welcome after 开店. */
function openedText(shop: ShopRecord, audience: 'owner' | 'staff'): string {
  const where = audience === 'owner' ? '这是老板私聊，能看到成本和利润。' : '这是店员群：群里不显示成本和利润。';
  return `🎉 店铺「${shop.name}」已开通，你是老板。${where}\n发「帮助」看用法；发「绑定码」可以把别的群或私聊接到同一个店。`;
}

/** The confirmation after a code was redeemed. */
function redeemedText(r: Redeemed): string {
  if (r.kind === 'linked') {
    const sees = r.audience === 'owner' ? '这里是老板私聊，能看到成本和利润。' : '这里是私聊，不显示成本和利润。';
    return `✅ 已把这个账号关联到「${r.shop.name}」的 ${r.asker.displayName}（${ROLE_LABELS[r.asker.role as Role]}）。${sees}发「帮助」看用法。`;
  }
  if (r.chatType === 'group') return `✅ 已绑定到店铺「${r.shop.name}」（店员群）。发「帮助」看用法。`;
  if (r.audience === 'owner') return `✅ 已绑定到店铺「${r.shop.name}」（老板私聊）。发「帮助」看用法。`;
  return `✅ 已绑定到店铺「${r.shop.name}」（私聊，不显示成本和利润）。发「帮助」看用法。\n老板要在这个账号看成本：在原来和我的私聊里发「关联码」，再到这里发「关联 码」。`;
}

/** A link code handed out, with the warning not to share it. */
function linkCodeText({ code, minutes, person }: IssuedCode): string {
  return [
    `🔑 关联码 ${code}（${minutes} 分钟内有效，只能用一次，只关联你本人 ${person.displayName}）。`,
    `在另一个平台（微信或 Telegram）和我的私聊里发：关联 ${code}`,
    '⚠️ 不要转发或发到群里：拿到它的人能以你的身份看账、记账。',
  ].join('\n');
}
