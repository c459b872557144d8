/**
 * Shops, people and the chats bound to them: who may act on which shop's books.
 */

export type PersonRole = 'owner' | 'staff' | 'viewer' | 'member' | 'removed';
/** The roles a person can be given, and the role a message acts with. */
export type ShopRole = 'owner' | 'staff' | 'viewer';
export type Audience = 'owner' | 'staff';

export interface PersonRecord {
  id: number;
  shopId: number;
  displayName: string;
  role: PersonRole;
}

export interface IdentityRecord {
  personId: number;
  platform: string;
  platformUserId: string;
  handle: string | null;
}

export interface BindingRecord {
  shopId: number;
  platform: string;
  chatId: string;
  audience: Audience;
  title: string | null;
}

export interface AuditRow {
  seq: number;
  kind: string;
  product: string;
  unit: string;
  location: string | null;
  qtyMilli: number;
  unitPrice: number | null;
  channel: string | null;
  counterparty: string | null;
  occurredAt: Date;
  recordedAt: Date;
  actorName: string | null;
  actorId: string;
  reversesSeq: number | null;
  reversedBySeq: number | null;
  platform: string | null;
  chatId: string | null;
  chatTitle: string | null;
  text: string | null;
  /** The entry's note (trailing words that were not fields), shown in the audit line. */
  note: string | null;
}

/**
 * What a binding code is for. `chat` binds the chat it is used in, as a staff chat (a private chat of
 * someone who is already an owner becomes an owner chat); it never changes anyone's account or role,
 * so a code shown in a group grants no more than the group does. `link` adds the asker's account on
 * another platform to the asker; it is only handed out in the asker's private chat.
 */
export type CodePurpose = 'chat' | 'link';

export interface CodeGrant {
  shopId: number;
  /** Who asked for the code. */
  personId: number;
  purpose: CodePurpose;
}

/** Storage of shops' people, identities, chat bindings and binding codes. */
export interface AccessStore {
  shopCount(): Promise<number>;
  bindingOf(platform: string, chatId: string): Promise<BindingRecord | undefined>;
  bindings(shopId: number): Promise<BindingRecord[]>;
  bind(binding: BindingRecord, now: Date): Promise<void>;
  unbind(platform: string, chatId: string): Promise<boolean>;
  personByIdentity(shopId: number, platform: string, platformUserId: string): Promise<PersonRecord | undefined>;
  /** Shops where this platform account is an owner. */
  ownedShops(platform: string, platformUserId: string): Promise<number[]>;
  createPerson(shopId: number, displayName: string, role: PersonRole, identity: Omit<IdentityRecord, 'personId'>, now: Date): Promise<PersonRecord>;
  linkIdentity(personId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<void>;
  people(shopId: number): Promise<(PersonRecord & { identities: IdentityRecord[] })[]>;
  setRole(personId: number, role: PersonRole): Promise<void>;
  /**
   * Gives a person of the shop a role unless that would leave the shop without an owner; false,
   * changing nothing, when it would. One statement, so the check and the change cannot be split.
   */
  setRoleKeepingAnOwner(shopId: number, personId: number, role: ShopRole | 'removed'): Promise<boolean>;
  setMemberRole(shopId: number, role: 'staff' | 'viewer'): Promise<void>;
  memberRole(shopId: number): Promise<'staff' | 'viewer'>;
  createCode(shopId: number, personId: number, code: string, now: Date, expiresAt: Date, purpose: CodePurpose): Promise<void>;
  /** What an unexpired, unused code grants, without using it; undefined otherwise. */
  findCode(code: string, now: Date): Promise<CodeGrant | undefined>;
  /** Marks an unexpired, unused code used and returns what it grants; undefined otherwise. */
  redeemCode(code: string, now: Date): Promise<CodeGrant | undefined>;
  /**
   * Moves an account from a person the shop only knows as a group member (no role given, no codes) to
   * another person, and forgets the emptied member. False, changing nothing, for anyone else.
   */
  moveMemberIdentity(fromPersonId: number, toPersonId: number, identity: Omit<IdentityRecord, 'personId'>): Promise<boolean>;
  audit(shopId: number, filter: { productId?: number; seq?: number; limit: number }): Promise<AuditRow[]>;
}
