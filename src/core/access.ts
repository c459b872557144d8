/**
 * Shops, people and the chats bound to them: who may act on which shop's books.
 */

export type PersonRole = 'owner' | 'staff' | 'viewer' | 'member' | 'removed';
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
}

/** Storage of shops' people, identities, chat bindings and binding codes. */
export interface AccessStore {
  shopCount(): number;
  bindingOf(platform: string, chatId: string): BindingRecord | undefined;
  bindings(shopId: number): BindingRecord[];
  bind(binding: BindingRecord, now: Date): void;
  unbind(platform: string, chatId: string): boolean;
  personByIdentity(shopId: number, platform: string, platformUserId: string): PersonRecord | undefined;
  /** Shops where this platform account is an owner. */
  ownedShops(platform: string, platformUserId: string): number[];
  createPerson(shopId: number, displayName: string, role: PersonRole, identity: Omit<IdentityRecord, 'personId'>, now: Date): PersonRecord;
  linkIdentity(personId: number, identity: Omit<IdentityRecord, 'personId'>): void;
  people(shopId: number): (PersonRecord & { identities: IdentityRecord[] })[];
  setRole(personId: number, role: PersonRole): void;
  setMemberRole(shopId: number, role: 'staff' | 'viewer'): void;
  memberRole(shopId: number): 'staff' | 'viewer';
  createCode(shopId: number, personId: number, code: string, now: Date, expiresAt: Date): void;
  /** Marks an unexpired, unused code used and returns what it grants; undefined otherwise. */
  redeemCode(code: string, now: Date): { shopId: number; personId: number } | undefined;
  audit(shopId: number, filter: { productId?: number; seq?: number; limit: number }): AuditRow[];
}
