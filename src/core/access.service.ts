import type { AccessStore, Audience, AuditRow, BindingRecord, CodePurpose, IdentityRecord, PersonRecord, PersonRole, ShopRole } from './access.ts';
import type { Clock, InventoryStore, ShopRecord } from './ports.ts';

/**
 * The access rules: who may open a shop, how chats are bound and accounts linked with one-time
 * codes, what role a message acts with, and that a shop never loses its last owner. Refusals are
 * coded values (`AccessRefusal`) that the chat layer words; nothing here knows a chat platform.
 *
 * Each use case calls its store ports one after another and never inside another call's callback,
 * so when the ports become asynchronous every call simply gains an `await`; the writes that must not
 * be split from their check (redeeming a code, demoting an owner) are single port calls.
 */

/** Binding and link codes stay valid this long. */
export const CODE_MINUTES = 10;

/** Who wrote a message, as every chat platform can say it. */
export interface Speaker {
  platform: string;
  userId: string;
  userName?: string | undefined;
  userHandle?: string | undefined;
}

/** Where a message was written. */
export interface ChatPlace {
  platform: string;
  chatId: string;
  chatType: 'private' | 'group';
  title?: string | undefined;
}

/** An expected refusal of an access use case; src/bot/refusals.ts words each code. */
export type AccessRefusal =
  /** Opening a shop is for JXC_OWNERS (or, without it, the first person and existing owners). */
  | { code: 'NOT_ALLOWED_TO_OPEN' }
  | { code: 'SHOP_NAME_TAKEN'; name: string }
  | { code: 'ALREADY_BOUND'; shopName: string }
  | { code: 'CODE_INVALID'; purpose: CodePurpose }
  | { code: 'CODE_SHOP_GONE'; purpose: CodePurpose }
  /** Only a known person (an owner, as the permission table decides) may ask for a code. */
  | { code: 'CODE_NEEDS_PERSON'; purpose: CodePurpose }
  /** A link code is handed out and redeemed only in private chats. */
  | { code: 'LINK_CODE_PRIVATE_ONLY' }
  /** A link code seen in a group is spent. */
  | { code: 'LINK_CODE_IN_GROUP' }
  /** 关联码 in a private chat not bound to a shop, by someone who does not own exactly one shop. */
  | { code: 'LINK_CODE_UNBOUND' }
  | { code: 'LINK_OTHER_SHOP'; boundShop: string; shop: string }
  | { code: 'LINK_ASKER_GONE' }
  | { code: 'LINK_ACCOUNT_REPLACE'; asker: string }
  | { code: 'LINK_ACCOUNT_TAKEN'; shop: string; holder: string; holderRole: PersonRole; asker: string }
  | { code: 'LINK_FAILED' }
  | { code: 'PERSON_NOT_FOUND'; target: string }
  | { code: 'LAST_OWNER' };

export type AccessRefusalCode = AccessRefusal['code'];

/** An access use case's answer: the value or the refusal. */
export type AccessResult<T> = { ok: true; value: T } | { ok: false; refusal: AccessRefusal };

const done = <T>(value: T): AccessResult<T> => ({ ok: true, value });
const refuse = <T = never>(refusal: AccessRefusal): AccessResult<T> => ({ ok: false, refusal });

/** A chat's shop, as the gateway needs it to answer. */
export interface ChatShop {
  binding: BindingRecord;
  /** Undefined when the bound shop has gone (the chat stays silent). */
  shop: ShopRecord | undefined;
}

/** What redeeming a code did. */
export type Redeemed =
  | { kind: 'bound'; shop: ShopRecord; audience: Audience; chatType: 'private' | 'group' }
  | { kind: 'linked'; shop: ShopRecord; asker: PersonRecord; audience: Audience };

/** A code handed out. */
export interface IssuedCode {
  code: string;
  minutes: number;
  shop: ShopRecord;
  person: PersonRecord;
}

/** The shops the access rules read and create. */
export type ShopDirectory = Pick<InventoryStore, 'shopById' | 'shopByName' | 'createShop'>;

export interface AccessServiceOptions {
  /** Platform ids allowed to open shops (`tg:123`, `wx:wxid_abc`); empty: the first person on a fresh database. */
  owners: readonly string[];
  /** How codes are made; tests pass a fixed one. */
  codeGenerator?: (() => string) | undefined;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

const identityOf = (s: Speaker): Omit<IdentityRecord, 'personId'> => ({ platform: s.platform, platformUserId: s.userId, handle: s.userHandle ?? null });
const nameOf = (s: Speaker): string => s.userName ?? s.userHandle ?? s.userId;

export class AccessService {
  private readonly makeCode: () => string;

  constructor(
    private readonly store: AccessStore,
    private readonly shops: ShopDirectory,
    private readonly clock: Clock,
    private readonly options: AccessServiceOptions,
  ) {
    this.makeCode = options.codeGenerator ?? randomCode;
  }

  /** The shop a chat is bound to, or undefined for an unbound chat. */
  async chatShop(platform: string, chatId: string): Promise<ChatShop | undefined> {
    const binding = await this.store.bindingOf(platform, chatId);
    return binding && { binding, shop: await this.shops.shopById(binding.shopId) };
  }

  /** The person who wrote, recorded on first sight in a group so owners can name them in 授权 and the audit shows them. */
  async identify(shopId: number, speaker: Speaker, chatType: 'private' | 'group'): Promise<PersonRecord | undefined> {
    const found = await this.store.personByIdentity(shopId, speaker.platform, speaker.userId);
    if (found) {
      if (speaker.userHandle) await this.store.linkIdentity(found.id, identityOf(speaker));
      return found;
    }
    if (chatType !== 'group') return undefined;
    return await this.store.createPerson(shopId, nameOf(speaker), 'member', identityOf(speaker), this.clock.now());
  }

  /** The role a message acts with; null for someone removed from the shop. */
  async roleOf(shopId: number, person: PersonRecord | undefined, audience: Audience, chatType: 'private' | 'group'): Promise<ShopRole | null> {
    if (person?.role === 'removed') return null;
    if (person && person.role !== 'member') return person.role;
    // Group members the owner has not named follow the shop's member rule; a stranger's private chat sees nothing more than a viewer.
    if (chatType === 'group' && audience === 'staff') return await this.store.memberRole(shopId);
    return 'viewer';
  }

  /** Every account of the person who wrote (and the one they wrote from): whose entries they may undo. */
  async actorIds(shopId: number, person: PersonRecord | undefined, speaker: Speaker): Promise<string[]> {
    const own = person ? ((await this.store.people(shopId)).find((p) => p.id === person.id)?.identities ?? []) : [];
    return own.map((i) => `${i.platform}:${i.platformUserId}`).concat(`${speaker.platform}:${speaker.userId}`);
  }

  private async mayOpenShop(speaker: Speaker): Promise<boolean> {
    const short = speaker.platform === 'telegram' ? 'tg' : speaker.platform === 'wechat' ? 'wx' : speaker.platform;
    const owners = this.options.owners;
    if (owners.length > 0) return owners.includes(`${short}:${speaker.userId}`) || owners.includes(`${speaker.platform}:${speaker.userId}`);
    // Without JXC_OWNERS: the first person on a fresh database, and afterwards people who already own a shop.
    return await this.store.shopCount() === 0 || (await this.store.ownedShops(speaker.platform, speaker.userId)).length > 0;
  }

  /** Opens a shop from an unbound chat: the chat is bound to it (a private chat as the owner's) and the speaker is its owner. */
  async openShop(speaker: Speaker, chat: ChatPlace, requested: string | undefined): Promise<AccessResult<{ shop: ShopRecord; audience: Audience }>> {
    if (!await this.mayOpenShop(speaker)) return refuse({ code: 'NOT_ALLOWED_TO_OPEN' });
    const name = requested ?? chat.title ?? `${speaker.userName ?? '我'}的店`;
    if (await this.shops.shopByName(name)) return refuse({ code: 'SHOP_NAME_TAKEN', name });
    const now = this.clock.now();
    const shop = await this.shops.createShop(name, now);
    const audience: Audience = chat.chatType === 'private' ? 'owner' : 'staff';
    await this.store.bind({ shopId: shop.id, platform: chat.platform, chatId: chat.chatId, audience, title: chat.title ?? null }, now);
    await this.store.createPerson(shop.id, nameOf(speaker), 'owner', identityOf(speaker), now);
    return done({ shop, audience });
  }

  /**
   * Hands out a one-time code: `chat` binds another chat to the shop, `link` adds the asker's account
   * on another platform. A link code only in a private chat: a group would show it to everyone there.
   */
  async issueCode(shop: ShopRecord, person: PersonRecord | undefined, purpose: CodePurpose, chatType: 'private' | 'group'): Promise<AccessResult<IssuedCode>> {
    if (purpose === 'link' && chatType !== 'private') return refuse({ code: 'LINK_CODE_PRIVATE_ONLY' });
    if (!person) return refuse({ code: 'CODE_NEEDS_PERSON', purpose });
    const now = this.clock.now();
    const code = this.makeCode();
    await this.store.createCode(shop.id, person.id, code, now, new Date(now.getTime() + CODE_MINUTES * 60_000), purpose);
    return done({ code, minutes: CODE_MINUTES, shop, person });
  }

  /** `关联码` in a private chat not bound yet: an owner of exactly one shop gets this chat bound as an owner chat first. */
  async linkCodeUnbound(speaker: Speaker, chat: ChatPlace): Promise<AccessResult<IssuedCode>> {
    const owned = await this.store.ownedShops(speaker.platform, speaker.userId);
    const shop = owned.length === 1 ? await this.shops.shopById(owned[0] as number) : undefined;
    if (!shop) return refuse({ code: 'LINK_CODE_UNBOUND' });
    const person = await this.store.personByIdentity(shop.id, speaker.platform, speaker.userId);
    await this.store.bind({ shopId: shop.id, platform: chat.platform, chatId: chat.chatId, audience: 'owner', title: null }, this.clock.now());
    return await this.issueCode(shop, person, 'link', chat.chatType);
  }

  /** A link code posted in a bound group is spent whoever posted it: everyone there has seen it. True when it was one. */
  async spendIfLinkCode(code: string): Promise<boolean> {
    const now = this.clock.now();
    if ((await this.store.findCode(code, now))?.purpose !== 'link') return false;
    await this.store.redeemCode(code, now);
    return true;
  }

  /** `绑定 码` / `关联 码` in an unbound chat or a private chat: the code's purpose decides what happens. */
  async redeem(speaker: Speaker, chat: ChatPlace, code: string, binding: BindingRecord | undefined): Promise<AccessResult<Redeemed>> {
    const now = this.clock.now();
    const grant = await this.store.findCode(code, now);
    if (!grant) return binding ? await this.alreadyBound(binding) : refuse({ code: 'CODE_INVALID', purpose: 'chat' });
    if (grant.purpose === 'link') return await this.link(speaker, chat, code, grant.shopId, grant.personId, binding);
    if (binding) return await this.alreadyBound(binding);
    if (!await this.store.redeemCode(code, now)) return refuse({ code: 'CODE_INVALID', purpose: 'chat' });
    const shop = await this.shops.shopById(grant.shopId);
    if (!shop) return refuse({ code: 'CODE_SHOP_GONE', purpose: 'chat' });
    // The code binds the chat and nothing else: the redeemer keeps whatever role their own account has.
    const self = chat.chatType === 'private' ? await this.store.personByIdentity(shop.id, speaker.platform, speaker.userId) : undefined;
    const audience: Audience = self?.role === 'owner' ? 'owner' : 'staff';
    await this.store.bind({ shopId: shop.id, platform: chat.platform, chatId: chat.chatId, audience, title: chat.title ?? null }, now);
    return done({ kind: 'bound', shop, audience, chatType: chat.chatType });
  }

  private async alreadyBound(binding: BindingRecord): Promise<AccessResult<never>> {
    return refuse({ code: 'ALREADY_BOUND', shopName: (await this.shops.shopById(binding.shopId))?.name ?? '' });
  }

  /**
   * Adds the redeemer's account to the person who asked for the code. Only in a private chat (a link
   * code seen in a group is spent, so nobody else there can use it), and never taking an account
   * that is already someone else's or replacing the asker's own account on this platform.
   */
  private async link(speaker: Speaker, chat: ChatPlace, code: string, shopId: number, askerId: number, binding: BindingRecord | undefined): Promise<AccessResult<Redeemed>> {
    const now = this.clock.now();
    if (chat.chatType !== 'private') {
      await this.store.redeemCode(code, now);
      return refuse({ code: 'LINK_CODE_IN_GROUP' });
    }
    const shop = await this.shops.shopById(shopId);
    if (!shop) return refuse({ code: 'CODE_SHOP_GONE', purpose: 'link' });
    if (binding && binding.shopId !== shop.id) {
      return refuse({ code: 'LINK_OTHER_SHOP', boundShop: (await this.shops.shopById(binding.shopId))?.name ?? '', shop: shop.name });
    }
    const people = await this.store.people(shop.id);
    const asker = people.find((p) => p.id === askerId);
    if (!asker || asker.role === 'removed' || asker.role === 'member') return refuse({ code: 'LINK_ASKER_GONE' });
    const identity = identityOf(speaker);
    const own = asker.identities.find((i) => i.platform === speaker.platform);
    if (own && own.platformUserId !== speaker.userId) return refuse({ code: 'LINK_ACCOUNT_REPLACE', asker: asker.displayName });
    const holder = people.find((p) => p.id !== asker.id && p.identities.some((i) => i.platform === speaker.platform && i.platformUserId === speaker.userId));
    if (holder && !(holder.role === 'member' && holder.identities.length === 1)) {
      return refuse({ code: 'LINK_ACCOUNT_TAKEN', shop: shop.name, holder: holder.displayName, holderRole: holder.role, asker: asker.displayName });
    }
    if (!await this.store.redeemCode(code, now)) return refuse({ code: 'CODE_INVALID', purpose: 'link' });
    if (holder) {
      // The asker had only spoken in a group from this account: the same person, now proven by the code.
      if (!await this.store.moveMemberIdentity(holder.id, asker.id, identity)) return refuse({ code: 'LINK_FAILED' });
    } else if (!own) {
      await this.store.linkIdentity(asker.id, identity);
    }
    const audience: Audience = asker.role === 'owner' ? 'owner' : 'staff';
    await this.store.bind({ shopId: shop.id, platform: chat.platform, chatId: chat.chatId, audience, title: binding?.title ?? chat.title ?? null }, now);
    return done({ kind: 'linked', shop, asker, audience });
  }

  /** Unbinds a chat; the books stay. */
  async unbind(platform: string, chatId: string): Promise<void> {
    await this.store.unbind(platform, chatId);
  }

  /** The shop's people (those not removed) and the role unnamed group members get. */
  async members(shopId: number): Promise<{ people: (PersonRecord & { identities: IdentityRecord[] })[]; memberRole: 'staff' | 'viewer' }> {
    return { people: (await this.store.people(shopId)).filter((p) => p.role !== 'removed'), memberRole: await this.store.memberRole(shopId) };
  }

  /** 授权 / 移除: gives a named person a role or removes them; the last owner can be neither removed nor demoted. */
  async changeRole(shopId: number, target: string, role: ShopRole | 'removed'): Promise<AccessResult<PersonRecord>> {
    const person = await this.findPerson(shopId, target);
    if (!person) return refuse({ code: 'PERSON_NOT_FOUND', target });
    if (!await this.store.setRoleKeepingAnOwner(shopId, person.id, role)) return refuse({ code: 'LAST_OWNER' });
    return done({ ...person, role });
  }

  /** The role group members get until the owner names them. */
  async setMemberRole(shopId: number, role: 'staff' | 'viewer'): Promise<void> {
    await this.store.setMemberRole(shopId, role);
  }

  /** The shop's latest entries with who wrote them where. */
  async audit(shopId: number, filter: { productId?: number; seq?: number; limit: number }): Promise<AuditRow[]> {
    return await this.store.audit(shopId, filter);
  }

  /** A person by @handle, display name or platform id (in that order). */
  private async findPerson(shopId: number, target: string): Promise<PersonRecord | undefined> {
    const name = target.replace(/^@/, '').toLowerCase();
    const people = await this.store.people(shopId);
    return (
      people.find((p) => p.identities.some((i) => i.handle?.toLowerCase() === name)) ??
      people.find((p) => p.displayName.toLowerCase() === name) ??
      people.find((p) => p.identities.some((i) => i.platformUserId.toLowerCase() === name))
    );
  }
}
