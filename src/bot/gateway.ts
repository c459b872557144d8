import type { AccessStore, Audience, BindingRecord, CodeGrant, PersonRecord } from '../core/access.ts';
import type { Clock, ShopRecord } from '../core/ports.ts';
import { formatQty } from '../core/quantity.ts';
import { KIND_LABELS } from '../core/labels.ts';
import { parseAdmin, type AdminCommand } from './admin.parser.ts';
import { UNDO_HOURS, type BotReply, type ChatAccess, type ChatEngine } from './engine.ts';
import { isFileCommand, type FileCommand, type FileIntents, type FileMessage } from './files/file-intents.ts';
import { yuan } from './format.ts';
import { maskCost } from './mask-cost.ts';
import { localTime } from '../core/zoned-time.ts';
import { helpText } from './help.ts';
import { buildCatalogue, importKindOfCaption, mentionsFileVerb, parseMessage } from './parse/index.ts';
import { can, neededRole, ROLE_LABELS, type Role } from './permissions.ts';

/** A chat message with what the gateway needs to bind chats: the chat's title and the sender's @handle; maybe a file. */
export interface GatewayMessage extends FileMessage {
  chatTitle?: string | undefined;
  userHandle?: string | undefined;
}

export interface GatewayOptions {
  /** Platform ids allowed to open shops (`tg:123`, `wx:wxid_abc`); empty: the first person on a fresh database. */
  owners: readonly string[];
  /** How binding codes are made; tests pass a fixed one. */
  codeGenerator?: () => string;
  /** Spreadsheet import and export; without it `respond` answers like `handle`. */
  files?: FileIntents | undefined;
}

/** Binding codes stay valid this long. */
export const CODE_MINUTES = 10;

/** What strangers in an unbound chat are told, once per command they try. */
export const UNBOUND_HINT = '本聊天还没有绑定店铺。请老板在这里发「开店 店名」，或在已绑定的聊天里发「绑定码」，再到这里发「绑定 码」。';

/** How the audit trail names a platform when the chat has no title. */
const UNTITLED_CHAT: Record<string, string> = { telegram: 'Telegram 私聊', wechat: '微信私聊', console: '控制台' };

/** A link code seen in a group is spent; this says so and what to do instead. */
export const LINK_CODE_IN_GROUP =
  '❌ 关联码只能在和我的私聊里用，发在群里的已经作废。请在和我的私聊里重新发「关联码」，再到另一个平台和我的私聊里发「关联 码」。';

/** What a person removed from the shop is told when they try a command. */
const REMOVED = '⛔ 你已被移出本店，不能再操作。如有疑问请联系老板。';

/** Deciding whether a stranger's line is a command needs no shop's products. */
const NO_PRODUCTS = buildCatalogue([]);

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/**
 * The front door for chat platforms: finds the shop a chat is bound to and who the sender is, handles
 * opening shops, binding chats and managing people, and passes everything else to the engine with the
 * sender's role. Strangers in unbound chats get one line and nothing else.
 */
export class ChatGateway {
  private readonly makeCode: () => string;

  constructor(
    readonly engine: ChatEngine,
    private readonly access: AccessStore,
    private readonly clock: Clock,
    private readonly options: GatewayOptions,
  ) {
    this.makeCode = options.codeGenerator ?? randomCode;
  }

  private readonly listeners: ((shopId: number, reply: BotReply) => void)[] = [];

  /** Called after each reply in a bound chat (the low-stock alert listens here). */
  onReply(listener: (shopId: number, reply: BotReply) => void): void {
    this.listeners.push(listener);
  }

  /** Handles one message from any platform; null means stay silent. */
  handle(message: GatewayMessage): BotReply | null {
    const admin = parseAdmin(message.text);
    const binding = this.access.bindingOf(message.platform, message.chatId);
    const reply = (text: string, intent?: BotReply['intent']): BotReply => ({ text, intent, entrySeqs: [], duplicate: false });

    // A code used in a private chat: anyone may, whatever the chat's binding; what it grants is decided by the code.
    if (admin.kind === 'command' && admin.command.intent === 'bind' && (!binding || message.chatType === 'private')) {
      return reply(this.redeem(message, admin.command.code, binding));
    }
    if (!binding) {
      if (admin.kind === 'command' && admin.command.intent === 'openShop') return reply(this.openShop(message, admin.command.name));
      if (admin.kind === 'command' && admin.command.intent === 'linkCode' && message.chatType === 'private') return reply(this.linkCodeUnbound(message));
      if (admin.kind === 'error') return reply(`❌ ${admin.message}`);
      return this.looksLikeCommand(message) ? reply(UNBOUND_HINT) : null;
    }

    const shop = this.engine.store.shopById(binding.shopId);
    if (!shop) return null;
    const person = this.identify(message, shop.id);
    const role = this.roleOf(person, binding.audience, message, shop.id);
    if (role === null) return this.looksLikeCommand(message) ? reply(REMOVED) : null;
    const access: ChatAccess = {
      role,
      seeCost: role === 'owner' && binding.audience === 'owner',
      limit:
        role === 'owner'
          ? undefined
          : {
              actorIds: (this.access.people(shop.id).find((p) => p.id === person?.id)?.identities ?? []).map((i) => `${i.platform}:${i.platformUserId}`).concat(`${message.platform}:${message.userId}`),
              notBefore: new Date(this.clock.now().getTime() - UNDO_HOURS * 3_600_000),
              hours: UNDO_HOURS,
            },
    };

    if (admin.kind === 'error') return reply(`❌ ${admin.message}`);
    if (admin.kind === 'command') {
      const c = admin.command;
      // A link code posted in a group is spent whoever posted it: everyone there has seen it.
      if (c.intent === 'bind' && this.access.findCode(c.code, this.clock.now())?.purpose === 'link') {
        this.access.redeemCode(c.code, this.clock.now());
        return reply(LINK_CODE_IN_GROUP);
      }
      // `/start` in a bound chat is a greeting: show what the bot can do.
      if (c.intent === 'openShop' && /^\/start/.test(message.text.trim())) {
        return reply(`👋 这里是「${shop.name}」的进销存机器人。\n${helpText()}`, 'help');
      }
      if (!can(role, c.intent)) return reply(`⛔ 你的身份是「${ROLE_LABELS[role]}」，这个操作需要「${ROLE_LABELS[neededRole(c.intent)]}」权限。`);
      return reply(this.admin(c, message, shop, person, access));
    }
    const answer = this.engine.handle(message, shop, access);
    if (answer) for (const listener of this.listeners) listener(shop.id, answer);
    return answer;
  }

  /**
   * Handles one message from any platform, files included: a received file, 导出, 确认导入 and 取消
   * are answered here (asynchronously: spreadsheets are read and written), everything else as
   * `handle` does. Adapters call this; null means stay silent.
   */
  async respond(message: GatewayMessage): Promise<BotReply | null> {
    const files = this.options.files;
    // Most messages name no file word; they take the synchronous path at once.
    if (!files || (message.file === undefined && !mentionsFileVerb(message.text))) return this.handle(message);
    const binding = this.access.bindingOf(message.platform, message.chatId);
    const shop = binding ? this.engine.store.shopById(binding.shopId) : undefined;
    if (!binding || !shop) {
      if (message.file === undefined) return this.handle(message);
      return message.chatType === 'private' ? { text: UNBOUND_HINT, entrySeqs: [], duplicate: false } : null;
    }
    let command: FileCommand;
    if (message.file !== undefined) {
      const kind = importKindOfCaption(message.file.caption);
      command = kind === undefined ? { intent: 'importFile' } : { intent: 'importFile', kind };
    } else {
      const parsed = this.engine.parse(message.text, shop);
      if (parsed.kind !== 'command' || !isFileCommand(parsed.command)) return this.handle(message);
      command = parsed.command;
    }
    const person = this.identify(message, shop.id);
    const role = this.roleOf(person, binding.audience, message, shop.id);
    if (role === null) return message.chatType === 'private' || message.file === undefined ? { text: REMOVED, entrySeqs: [], duplicate: false } : null;
    const ownerChat = message.chatType === 'private' && binding.audience === 'owner';
    return files.handle(command, { message, shop, role, ownerChat });
  }

  private looksLikeCommand(message: GatewayMessage): boolean {
    if (message.chatType === 'private') return true;
    const parsed = parseMessage(message.text, { now: this.clock.now(), timeZone: 'Asia/Shanghai', catalogue: NO_PRODUCTS });
    return parsed.kind !== 'none';
  }

  /** Records who wrote, so owners can name them in 授权 and the audit shows them. */
  private identify(message: GatewayMessage, shopId: number): PersonRecord | undefined {
    const found = this.access.personByIdentity(shopId, message.platform, message.userId);
    if (found) {
      if (message.userHandle) this.access.linkIdentity(found.id, { platform: message.platform, platformUserId: message.userId, handle: message.userHandle });
      return found;
    }
    if (message.chatType !== 'group') return undefined;
    return this.access.createPerson(
      shopId,
      message.userName ?? message.userHandle ?? message.userId,
      'member',
      { platform: message.platform, platformUserId: message.userId, handle: message.userHandle ?? null },
      this.clock.now(),
    );
  }

  private roleOf(person: PersonRecord | undefined, audience: Audience, message: GatewayMessage, shopId: number): Role | null {
    if (person?.role === 'removed') return null;
    if (person && person.role !== 'member') return person.role;
    // Group members the owner has not named follow the shop's member rule; a stranger's private chat sees nothing more than a viewer.
    if (message.chatType === 'group' && audience === 'staff') return this.access.memberRole(shopId);
    return 'viewer';
  }

  private mayOpenShop(message: GatewayMessage): boolean {
    const id = `${message.platform === 'telegram' ? 'tg' : message.platform === 'wechat' ? 'wx' : message.platform}:${message.userId}`;
    if (this.options.owners.length > 0) return this.options.owners.includes(id) || this.options.owners.includes(`${message.platform}:${message.userId}`);
    // Without JXC_OWNERS: the first person on a fresh database, and afterwards people who already own a shop.
    return this.access.shopCount() === 0 || this.access.ownedShops(message.platform, message.userId).length > 0;
  }

  private openShop(message: GatewayMessage, requested: string | undefined): string {
    if (!this.mayOpenShop(message)) return UNBOUND_HINT;
    const name = requested ?? message.chatTitle ?? `${message.userName ?? '我'}的店`;
    if (this.engine.store.shopByName(name)) return `❌ 店名「${name}」已被使用，请换一个。例：开店 ${name}2`;
    const now = this.clock.now();
    const shop = this.engine.store.createShop(name, now);
    const audience: Audience = message.chatType === 'private' ? 'owner' : 'staff';
    this.access.bind({ shopId: shop.id, platform: message.platform, chatId: message.chatId, audience, title: message.chatTitle ?? null }, now);
    this.access.createPerson(
      shop.id,
      message.userName ?? message.userHandle ?? message.userId,
      'owner',
      { platform: message.platform, platformUserId: message.userId, handle: message.userHandle ?? null },
      now,
    );
    const where = audience === 'owner' ? '这是老板私聊，能看到成本和利润。' : '这是店员群：群里不显示成本和利润。';
    return `🎉 店铺「${name}」已开通，你是老板。${where}\n发「帮助」看用法；发「绑定码」可以把别的群或私聊接到同一个店。`;
  }

  /** `绑定 码` / `关联 码` in an unbound chat or in a private chat: the code's purpose decides what happens. */
  private redeem(message: GatewayMessage, code: string, binding: BindingRecord | undefined): string {
    const now = this.clock.now();
    const grant = this.access.findCode(code, now);
    if (!grant) {
      return binding ? this.alreadyBound(binding) : '❌ 绑定码无效、已用过或已过期（10 分钟有效）。请老板重新发「绑定码」。';
    }
    if (grant.purpose === 'link') return this.link(message, code, grant, binding);
    if (binding) return this.alreadyBound(binding);
    if (!this.access.redeemCode(code, now)) return '❌ 绑定码无效、已用过或已过期（10 分钟有效）。请老板重新发「绑定码」。';
    const shop = this.engine.store.shopById(grant.shopId);
    if (!shop) return '❌ 这个绑定码对应的店铺已不存在。';
    // The code binds the chat and nothing else: the redeemer keeps whatever role their own account has.
    const self = message.chatType === 'private' ? this.access.personByIdentity(shop.id, message.platform, message.userId) : undefined;
    const audience: Audience = self?.role === 'owner' ? 'owner' : 'staff';
    this.access.bind({ shopId: shop.id, platform: message.platform, chatId: message.chatId, audience, title: message.chatTitle ?? null }, now);
    if (message.chatType === 'group') return `✅ 已绑定到店铺「${shop.name}」（店员群）。发「帮助」看用法。`;
    if (audience === 'owner') return `✅ 已绑定到店铺「${shop.name}」（老板私聊）。发「帮助」看用法。`;
    return `✅ 已绑定到店铺「${shop.name}」（私聊，不显示成本和利润）。发「帮助」看用法。\n老板要在这个账号看成本：在原来和我的私聊里发「关联码」，再到这里发「关联 码」。`;
  }

  private alreadyBound(binding: BindingRecord): string {
    const shop = this.engine.store.shopById(binding.shopId);
    return `本聊天已经绑定店铺「${shop?.name ?? ''}」。要换店请先发「解绑」。`;
  }

  /**
   * Adds the redeemer's account to the person who asked for the code. Only in a private chat (a link
   * code seen in a group is spent, so nobody else there can use it), and never taking an account
   * that is already someone else's or replacing the asker's own account on this platform.
   */
  private link(message: GatewayMessage, code: string, grant: CodeGrant, binding: BindingRecord | undefined): string {
    const now = this.clock.now();
    if (message.chatType !== 'private') {
      this.access.redeemCode(code, now);
      return LINK_CODE_IN_GROUP;
    }
    const shop = this.engine.store.shopById(grant.shopId);
    if (!shop) return '❌ 这个关联码对应的店铺已不存在。';
    if (binding && binding.shopId !== shop.id) return `❌ 本聊天已经绑定店铺「${this.engine.store.shopById(binding.shopId)?.name ?? ''}」，不能关联到「${shop.name}」。`;
    const people = this.access.people(shop.id);
    const asker = people.find((p) => p.id === grant.personId);
    if (!asker || asker.role === 'removed' || asker.role === 'member') return '❌ 发这个关联码的人已不在本店，关联码作废。';
    const identity = { platform: message.platform, platformUserId: message.userId, handle: message.userHandle ?? null };
    const own = asker.identities.find((i) => i.platform === message.platform);
    if (own && own.platformUserId !== message.userId) {
      return `❌ ${asker.displayName} 在这个平台已经关联了另一个账号，不能替换。请用原来的账号和我私聊。`;
    }
    const holder = people.find((p) => p.id !== asker.id && p.identities.some((i) => i.platform === message.platform && i.platformUserId === message.userId));
    if (holder && !(holder.role === 'member' && holder.identities.length === 1)) {
      const role = holder.role === 'removed' ? '已移出' : holder.role === 'member' ? '群成员' : ROLE_LABELS[holder.role];
      return `❌ 这个账号在「${shop.name}」已经是 ${holder.displayName}（${role}），不能再关联到 ${asker.displayName}。`;
    }
    if (!this.access.redeemCode(code, now)) return '❌ 关联码无效、已用过或已过期（10 分钟有效）。请在和我的私聊里重新发「关联码」。';
    if (holder) {
      // The asker had only spoken in a group from this account: the same person, now proven by the code.
      if (!this.access.moveMemberIdentity(holder.id, asker.id, identity)) return '❌ 关联没有成功，请重新发「关联码」再试。';
    } else if (!own) {
      this.access.linkIdentity(asker.id, identity);
    }
    const audience: Audience = asker.role === 'owner' ? 'owner' : 'staff';
    this.access.bind({ shopId: shop.id, platform: message.platform, chatId: message.chatId, audience, title: binding?.title ?? message.chatTitle ?? null }, now);
    const sees = audience === 'owner' ? '这里是老板私聊，能看到成本和利润。' : '这里是私聊，不显示成本和利润。';
    return `✅ 已把这个账号关联到「${shop.name}」的 ${asker.displayName}（${ROLE_LABELS[asker.role]}）。${sees}发「帮助」看用法。`;
  }

  /** Hands out a link code in the asker's private chat only: a group would show it to everyone there. */
  private linkCode(message: GatewayMessage, shop: ShopRecord, person: PersonRecord | undefined): string {
    if (message.chatType !== 'private') {
      return '🔒 关联码只在私聊里发。请点开我的头像，在和我的私聊里发「关联码」。\n（要把别的群接到本店，发「绑定码」。）';
    }
    if (!person) return '⛔ 只有老板本人可以生成关联码。';
    const now = this.clock.now();
    const code = this.makeCode();
    this.access.createCode(shop.id, person.id, code, now, new Date(now.getTime() + CODE_MINUTES * 60_000), 'link');
    return [
      `🔑 关联码 ${code}（${CODE_MINUTES} 分钟内有效，只能用一次，只关联你本人 ${person.displayName}）。`,
      `在另一个平台（微信或 Telegram）和我的私聊里发：关联 ${code}`,
      '⚠️ 不要转发或发到群里：拿到它的人能以你的身份看账、记账。',
    ].join('\n');
  }

  /** `关联码` in a private chat not bound yet: an owner of exactly one shop gets their own chat bound as an owner chat first. */
  private linkCodeUnbound(message: GatewayMessage): string {
    const shops = this.access.ownedShops(message.platform, message.userId);
    const shop = shops.length === 1 ? this.engine.store.shopById(shops[0] as number) : undefined;
    if (!shop) return '这个私聊还没有绑定店铺。请先在店里的群发「绑定码」，再到这里发「绑定 码」，然后在这里发「关联码」。';
    const person = this.access.personByIdentity(shop.id, message.platform, message.userId);
    this.access.bind({ shopId: shop.id, platform: message.platform, chatId: message.chatId, audience: 'owner', title: null }, this.clock.now());
    return this.linkCode(message, shop, person);
  }

  private admin(c: AdminCommand, message: GatewayMessage, shop: ShopRecord, person: PersonRecord | undefined, access: ChatAccess): string {
    const now = this.clock.now();
    switch (c.intent) {
      case 'openShop':
        return `本聊天已经绑定店铺「${shop.name}」。要换店请先发「解绑」。`;
      case 'bind':
        return `本聊天已经绑定店铺「${shop.name}」。要换店请先发「解绑」。`;
      case 'bindCode': {
        if (!person) return '⛔ 只有老板本人可以生成绑定码。';
        const code = this.makeCode();
        this.access.createCode(shop.id, person.id, code, now, new Date(now.getTime() + CODE_MINUTES * 60_000), 'chat');
        return [
          `🔑 绑定码 ${code}（${CODE_MINUTES} 分钟内有效，只能用一次）。在要接入「${shop.name}」的群或私聊里发：绑定 ${code}`,
          '它只接入聊天，不给任何人身份。要关联你在另一个平台的账号，请在和我的私聊里发「关联码」。',
        ].join('\n');
      }
      case 'linkCode':
        return this.linkCode(message, shop, person);
      case 'unbind':
        this.access.unbind(message.platform, message.chatId);
        return `✅ 本聊天已与店铺「${shop.name}」解绑，账本数据都还在。`;
      case 'members': {
        const people = this.access.people(shop.id).filter((p) => p.role !== 'removed');
        const memberRole = this.access.memberRole(shop.id);
        const lines = people.map((p) => {
          const role = p.role === 'member' ? `${ROLE_LABELS[memberRole]}（群成员默认）` : ROLE_LABELS[p.role as Role];
          const handles = p.identities.map((i) => (i.handle ? `@${i.handle}` : `${i.platform}`)).join(' ');
          return `· ${p.displayName} ${handles} — ${role}`;
        });
        return [`👥 「${shop.name}」成员 ${people.length} 人（群成员默认：${ROLE_LABELS[memberRole]}）`, ...lines].join('\n');
      }
      case 'grant':
      case 'remove': {
        const target = this.findPerson(shop.id, c.target);
        if (!target) return `❌ 没找到 @${c.target}。请让 TA 先在已绑定的群里说一句话，再授权。`;
        const owners = this.access.people(shop.id).filter((p) => p.role === 'owner');
        const demotingLastOwner = target.role === 'owner' && owners.length <= 1 && (c.intent === 'remove' || c.role !== 'owner');
        if (demotingLastOwner) return '❌ 不能移除或降级最后一位老板。请先授权另一位老板。';
        if (c.intent === 'remove') {
          this.access.setRole(target.id, 'removed');
          return `✅ 已把 ${target.displayName} 移出「${shop.name}」。`;
        }
        this.access.setRole(target.id, c.role);
        return `✅ ${target.displayName} 现在是「${ROLE_LABELS[c.role]}」。`;
      }
      case 'memberRole':
        this.access.setMemberRole(shop.id, c.role);
        return `✅ 群成员默认身份：${ROLE_LABELS[c.role]}${c.role === 'staff' ? '（可以记账和查库存，看不到成本和利润）' : '（只能查库存）'}`;
      case 'audit':
        return this.audit(c, shop, access);
      case 'shopSetting': {
        const digest = this.engine.digestQueries;
        if (!digest) return '❌ 这个设置要在启用日报时使用。';
        digest.updateSettings(shop.id, { [c.key]: c.value });
        const label = {
          lowStockAlert: '缺货提醒',
          salesWindowDays: '销量统计天数',
          leadTimeDays: '默认交期',
          safetyDays: '安全天数',
          overstockCoverDays: '积压天数（库存够卖超过这么多天算积压）',
          noSaleDays: '滞销天数（这么多天没卖出算滞销）',
          expiryWarnDays: '临期天数',
        }[c.key];
        return `✅ ${label}：${typeof c.value === 'boolean' ? (c.value ? '开（卖到预警线时立即提醒）' : '关') : `${c.value} 天`}`;
      }
    }
  }

  private findPerson(shopId: number, target: string): PersonRecord | undefined {
    const name = target.replace(/^@/, '').toLowerCase();
    const people = this.access.people(shopId);
    return (
      people.find((p) => p.identities.some((i) => i.handle?.toLowerCase() === name)) ??
      people.find((p) => p.displayName.toLowerCase() === name) ??
      people.find((p) => p.identities.some((i) => i.platformUserId.toLowerCase() === name))
    );
  }

  private audit(c: Extract<AdminCommand, { intent: 'audit' }>, shop: ShopRecord, access: ChatAccess): string {
    let productId: number | undefined;
    if (c.product !== undefined) {
      const found = this.engine.service.stock(shop.id, c.product);
      if (!found.ok || !found.value[0]) return `❌ 没有找到商品「${c.product}」。例：记录 T恤 或 记录 #12`;
      productId = found.value[0].productId;
    }
    const rows = this.access.audit(shop.id, { productId, seq: c.entryNo, limit: c.entryNo ? 1 : 10 });
    if (rows.length === 0) return c.entryNo ? `❌ 本店没有记录 #${c.entryNo}。` : '还没有记录。';
    const lines = rows.map((r) => {
      const qty = `${formatQty(Math.abs(r.qtyMilli))}${r.unit}`;
      const isCost = r.kind === 'purchase' || r.kind === 'supplier_return';
      const price = r.unitPrice !== null && (access.seeCost || !isCost) ? ` @${yuan(r.unitPrice)}` : '';
      const what = r.kind === 'reversal' ? `撤销 #${r.reversesSeq} ${r.product} ${qty}` : `${KIND_LABELS[r.kind as keyof typeof KIND_LABELS] ?? r.kind} ${r.product} ${qty}${price}`;
      const undone = r.reversedBySeq ? `（已被 #${r.reversedBySeq} 撤销）` : '';
      // A chat without a title is a private chat (or the console): its id is someone's account, never shown.
      const chat = r.chatTitle ?? (r.platform ? (UNTITLED_CHAT[r.platform] ?? `${r.platform} 私聊`) : '');
      const quoted = r.text === null ? null : access.seeCost ? r.text : maskCost(r.text);
      const text = quoted ? `「${quoted.length > 40 ? `${quoted.slice(0, 40)}…` : quoted}」` : '';
      return `#${r.seq} ${localTime(r.recordedAt, shop.timeZone)} ${r.actorName ?? '未署名'} ${what}${undone}\n   来自 ${chat} ${text}`;
    });
    return [`🧾 ${c.product ? `${c.product} 的` : ''}最近记录：`, ...lines].join('\n');
  }
}
