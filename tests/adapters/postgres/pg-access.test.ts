import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgAccessStore } from '../../../src/adapters/postgres/pg-access.ts';
import { openDatabase } from '../../../src/adapters/prisma/database.ts';
import { SqliteAccessStore } from '../../../src/adapters/prisma/sqlite-access.ts';
import type { AccessStore } from '../../../src/core/access.ts';
import { describePg } from '../../helpers/pg.ts';
import { insertSql, openPgFixture, raceUnderLock, type PgFixture } from './pg-fixture.ts';

/**
 * PgAccessStore on a database built from the real PostgreSQL migrations: what SqliteAccessStore does
 * (tests/core/access.service.test.ts drives it through AccessService), and the guarantees that SQLite's
 * single writer gave for free, checked with two pools racing under a held lock.
 */

let f: PgFixture;
let store: PgAccessStore;
let other: PgAccessStore;

const NOW = new Date('2026-11-27T04:00:00.000Z');
const MINUTE = 60_000;
const tg = (userId: string, handle: string | null = null) => ({ platform: 'telegram', platformUserId: userId, handle });

async function shop(id: number, name: string): Promise<number> {
  await f.insert('Shop', { id, name, createdAt: NOW });
  return id;
}

type Insert = (table: string, row: Record<string, unknown>) => Promise<void>;

/** Two shops, a few products, messages and entries (one undone) for audit lines. */
async function writeLedger(insert: Insert): Promise<number> {
  await insert('Shop', { id: 1, name: '小店', createdAt: NOW });
  await insert('Shop', { id: 2, name: '大店', createdAt: NOW });
  await insert('Location', { id: 1, shopId: 1, name: '默认', isDefault: true });
  await insert('Product', { id: 1, shopId: 1, name: 'T恤', unit: '件', createdAt: NOW });
  await insert('Product', { id: 2, shopId: 1, name: '短裤', unit: '条', createdAt: NOW });
  await insert('Product', { id: 3, shopId: 2, name: '别家', createdAt: NOW });
  await insert('ChatBinding', { shopId: 1, platform: 'telegram', chatId: 'g1', audience: 'staff', title: '仓库群', boundAt: NOW });
  await insert('SourceMessage', { id: 1, shopId: 1, platform: 'telegram', chatId: 'g1', messageId: 'm1', text: '进 T恤 5 件 20元', actorId: 'telegram:boss', receivedAt: NOW });
  await insert('SourceMessage', { id: 2, shopId: 1, platform: 'console', chatId: 'c', messageId: 'm2', text: '撤销 #1', actorId: 'console:me', receivedAt: NOW });
  const entry = (row: Record<string, unknown>) => insert('Entry', { shopId: 1, occurredAt: NOW, recordedAt: new Date(NOW.getTime() + 1000), actorId: 'telegram:boss', ...row });
  // A purchase past int4: 10^9 thousandths at 10^11 分.
  await entry({ id: 1, seq: 1, kind: 'purchase', productId: 1, locationId: 1, qtyMilli: 1_000_000_000, unitPrice: 100_000_000_000, amount: 1e14, actorName: '老王', messageId: 1 });
  await entry({ id: 2, seq: 2, kind: 'sale', productId: 2, locationId: null, qtyMilli: -2000, unitPrice: 3900, channel: '淘宝', counterparty: '张三', note: '顾客要白色的' });
  await entry({ id: 3, seq: 3, kind: 'reversal', productId: 1, locationId: 1, qtyMilli: -1_000_000_000, reversesId: 1, messageId: 2, actorId: 'console:me' });
  await entry({ id: 4, shopId: 2, seq: 1, kind: 'sale', productId: 3, qtyMilli: -1000, actorId: 'x' });
  return 1;
}

const roles = async (shopId: number) => (await store.people(shopId)).map((p) => [p.displayName, p.role]);

describePg('PgAccessStore', () => {
  beforeAll(async () => {
    f = await openPgFixture(import.meta.url);
    store = new PgAccessStore(f.a);
    other = new PgAccessStore(f.b);
  });
  beforeEach(async () => {
    await f.reset();
  });
  afterAll(async () => {
    await f?.close();
  });

  describe('chat bindings', () => {
    it('binds a chat once per platform and chat id, a second bind moving it, and unbinds it once', async () => {
      expect(await store.shopCount()).toBe(0);
      const s1 = await shop(1, '小店');
      const s2 = await shop(2, '大店');
      expect(await store.shopCount()).toBe(2);
      await store.bind({ shopId: s1, platform: 'telegram', chatId: 'g1', audience: 'staff', title: '仓库群' }, NOW);
      await store.bind({ shopId: s1, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, NOW);
      await store.bind({ shopId: s1, platform: 'wechat', chatId: 'g1', audience: 'staff', title: '微信群' }, NOW);
      expect(await store.bindingOf('telegram', 'g1')).toEqual({ shopId: s1, platform: 'telegram', chatId: 'g1', audience: 'staff', title: '仓库群' });
      expect(await store.bindingOf('telegram', 'nope')).toBeUndefined();
      expect((await store.bindings(s1)).map((b) => `${b.platform}:${b.chatId}`)).toEqual(['telegram:g1', 'telegram:boss', 'wechat:g1']);

      const later = new Date(NOW.getTime() + MINUTE);
      await other.bind({ shopId: s2, platform: 'telegram', chatId: 'g1', audience: 'owner', title: '新群名' }, later);
      expect(await store.bindingOf('telegram', 'g1')).toEqual({ shopId: s2, platform: 'telegram', chatId: 'g1', audience: 'owner', title: '新群名' });
      const { rows } = await f.admin.query(`SELECT "boundAt" FROM "ChatBinding" WHERE "chatId" = 'g1' AND "platform" = 'telegram'`);
      expect(rows).toEqual([{ boundAt: later }]);
      expect((await store.bindings(s1)).map((b) => b.chatId)).toEqual(['boss', 'g1']);

      expect(await store.unbind('telegram', 'g1')).toBe(true);
      expect(await store.unbind('telegram', 'g1')).toBe(false);
      expect(await store.bindingOf('telegram', 'g1')).toBeUndefined();
    });
  });

  describe('people and identities', () => {
    it('creates a person with an account, finds them by it in their shop only, and lists them with their accounts', async () => {
      const s1 = await shop(1, '小店');
      const s2 = await shop(2, '大店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss', 'laowang'), NOW);
      expect(boss).toEqual({ id: boss.id, shopId: s1, displayName: '老王', role: 'owner' });
      const li = await store.createPerson(s1, '小李', 'member', tg('li'), NOW);
      await store.linkIdentity(boss.id, { platform: 'wechat', platformUserId: 'wxid_boss', handle: null });
      expect(await store.personByIdentity(s1, 'telegram', 'boss')).toEqual(boss);
      expect(await store.personByIdentity(s1, 'wechat', 'wxid_boss')).toEqual(boss);
      expect(await store.personByIdentity(s2, 'telegram', 'boss')).toBeUndefined();
      expect(await store.people(s1)).toEqual([
        {
          ...boss,
          identities: [
            { personId: boss.id, platform: 'telegram', platformUserId: 'boss', handle: 'laowang' },
            { personId: boss.id, platform: 'wechat', platformUserId: 'wxid_boss', handle: null },
          ],
        },
        { ...li, identities: [{ personId: li.id, platform: 'telegram', platformUserId: 'li', handle: null }] },
      ]);
      expect(await store.people(s2)).toEqual([]);
    });

    it('keeps one account per person and platform: linking again changes its id or handle, and the same one writes nothing', async () => {
      const s1 = await shop(1, '小店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss', 'laowang'), NOW);
      const before = (await f.admin.query(`SELECT xmin::text AS v FROM "Identity"`)).rows[0].v;
      await store.linkIdentity(boss.id, tg('boss', 'laowang'));
      expect((await f.admin.query(`SELECT xmin::text AS v FROM "Identity"`)).rows[0].v, 'an unchanged account is not rewritten').toBe(before);
      await store.linkIdentity(boss.id, tg('boss', null));
      expect((await store.people(s1))[0]?.identities).toEqual([{ personId: boss.id, platform: 'telegram', platformUserId: 'boss', handle: null }]);
      await store.linkIdentity(boss.id, tg('boss2', 'wang2'));
      expect((await store.people(s1))[0]?.identities).toEqual([{ personId: boss.id, platform: 'telegram', platformUserId: 'boss2', handle: 'wang2' }]);
      expect(await store.personByIdentity(s1, 'telegram', 'boss')).toBeUndefined();
    });

    it('lists the shops an account owns, each once, and not those where it is staff', async () => {
      const [s1, s2, s3] = [await shop(1, '一店'), await shop(2, '二店'), await shop(3, '三店')];
      await store.createPerson(s3, '老王', 'owner', tg('boss'), NOW);
      await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      await store.createPerson(s1, '老王二号', 'owner', tg('boss'), NOW);
      await store.createPerson(s2, '老王', 'staff', tg('boss'), NOW);
      // In the order the account became their owner, as SQLite gives them.
      expect(await store.ownedShops('telegram', 'boss')).toEqual([s3, s1]);
      expect(await store.ownedShops('wechat', 'boss')).toEqual([]);
    });

    it('gives group members the shop’s member role, viewer until it is set', async () => {
      const s1 = await shop(1, '小店');
      expect(await store.memberRole(s1)).toBe('viewer');
      await store.setMemberRole(s1, 'staff');
      expect(await store.memberRole(s1)).toBe('staff');
      expect(await store.memberRole(99)).toBe('viewer');
    });
  });

  describe('the last owner', () => {
    it('can be neither removed nor demoted, until another owner is named', async () => {
      const s1 = await shop(1, '小店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      const li = await store.createPerson(s1, '小李', 'member', tg('li'), NOW);
      expect(await store.setRoleKeepingAnOwner(s1, boss.id, 'removed')).toBe(false);
      expect(await store.setRoleKeepingAnOwner(s1, boss.id, 'staff')).toBe(false);
      expect(await store.setRoleKeepingAnOwner(s1, boss.id, 'owner')).toBe(true);
      expect(await store.setRoleKeepingAnOwner(s1, li.id, 'owner')).toBe(true);
      expect(await store.setRoleKeepingAnOwner(s1, boss.id, 'viewer')).toBe(true);
      expect(await store.setRoleKeepingAnOwner(s1, li.id, 'removed')).toBe(false);
      expect(await roles(s1)).toEqual([
        ['老王', 'viewer'],
        ['小李', 'owner'],
      ]);
    });

    it('is kept when two owners demote each other one after the other', async () => {
      const s1 = await shop(1, '小店');
      const owners = [await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW), await store.createPerson(s1, '小李', 'owner', tg('li'), NOW)];
      const results: boolean[] = [];
      for (const p of owners) results.push(await store.setRoleKeepingAnOwner(s1, p.id, 'staff'));
      expect(results).toEqual([true, false]);
      expect((await roles(s1)).filter(([, role]) => role === 'owner')).toHaveLength(1);
    });

    it('changes nobody of another shop, and counts only this shop’s owners', async () => {
      const s1 = await shop(1, '小店');
      const s2 = await shop(2, '大店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      await store.createPerson(s2, '老张', 'owner', tg('zhang'), NOW);
      const li = await store.createPerson(s1, '小李', 'staff', tg('li'), NOW);
      expect(await store.setRoleKeepingAnOwner(s2, li.id, 'viewer')).toBe(false);
      expect(await store.setRoleKeepingAnOwner(s1, boss.id, 'staff')).toBe(false);
      expect(await roles(s1)).toEqual([
        ['老王', 'owner'],
        ['小李', 'staff'],
      ]);
      await store.setRole(li.id, 'removed');
      expect(await roles(s1)).toEqual([
        ['老王', 'owner'],
        ['小李', 'removed'],
      ]);
    });

    it('is kept when two processes demote the shop’s two owners at the same moment', async () => {
      const s1 = await shop(1, '小店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      const li = await store.createPerson(s1, '小李', 'owner', tg('li'), NOW);
      // Each process has checked there are two owners; both writes start before either commits.
      const results = await raceUnderLock(f.admin, 'SELECT 1 FROM "Person" WHERE "shopId" = $1 FOR SHARE', [s1], () => [
        store.setRoleKeepingAnOwner(s1, boss.id, 'staff'),
        other.setRoleKeepingAnOwner(s1, li.id, 'removed'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await roles(s1)).filter(([, role]) => role === 'owner')).toHaveLength(1);
    });
  });

  describe('binding codes', () => {
    async function withPeople() {
      const s1 = await shop(1, '小店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      return { s1, boss };
    }

    it('are found without being used, redeemed once, and only before they expire', async () => {
      const { s1, boss } = await withPeople();
      const expires = new Date(NOW.getTime() + 10 * MINUTE);
      await store.createCode(s1, boss.id, 'CODE01', NOW, expires, 'chat');
      await store.createCode(s1, boss.id, 'LINK01', NOW, expires, 'link');
      expect(await store.findCode('CODE01', NOW)).toEqual({ shopId: s1, personId: boss.id, purpose: 'chat' });
      expect(await store.findCode('CODE01', NOW)).toEqual({ shopId: s1, personId: boss.id, purpose: 'chat' });
      expect(await store.findCode('NOSUCH', NOW)).toBeUndefined();
      const at = new Date(NOW.getTime() + 9 * MINUTE);
      expect(await store.redeemCode('CODE01', at)).toEqual({ shopId: s1, personId: boss.id, purpose: 'chat' });
      expect(await store.redeemCode('CODE01', at)).toBeUndefined();
      expect(await store.findCode('CODE01', at)).toBeUndefined();
      const { rows } = await f.admin.query(`SELECT "usedAt" FROM "BindingCode" WHERE "code" = 'CODE01'`);
      expect(rows).toEqual([{ usedAt: at }]);
      // Ten minutes to the millisecond is too late.
      expect(await store.findCode('LINK01', expires)).toBeUndefined();
      expect(await store.redeemCode('LINK01', expires)).toBeUndefined();
      expect(await store.redeemCode('LINK01', new Date(expires.getTime() - 1))).toEqual({ shopId: s1, personId: boss.id, purpose: 'link' });
    });

    it('made before purposes existed only bind chats', async () => {
      const { s1, boss } = await withPeople();
      await f.insert('BindingCode', { shopId: s1, personId: boss.id, code: 'OLD001', createdAt: NOW, expiresAt: new Date(NOW.getTime() + MINUTE), purpose: 'legacy' });
      expect(await store.redeemCode('OLD001', NOW)).toEqual({ shopId: s1, personId: boss.id, purpose: 'chat' });
    });

    it('are redeemed by one of two processes using the same code at the same moment', async () => {
      const { s1, boss } = await withPeople();
      await store.createCode(s1, boss.id, 'RACE01', NOW, new Date(NOW.getTime() + 10 * MINUTE), 'link');
      const results = await raceUnderLock(f.admin, `SELECT 1 FROM "BindingCode" WHERE "code" = 'RACE01' FOR SHARE`, [], () => [
        store.redeemCode('RACE01', NOW),
        other.redeemCode('RACE01', NOW),
      ]);
      expect(results.filter((r) => r !== undefined)).toEqual([{ shopId: s1, personId: boss.id, purpose: 'link' }]);
    });
  });

  describe('moving a group member’s account', () => {
    async function members() {
      const s1 = await shop(1, '小店');
      const boss = await store.createPerson(s1, '老王', 'owner', tg('boss'), NOW);
      const member = await store.createPerson(s1, '老王的微信', 'member', { platform: 'wechat', platformUserId: 'wxid_boss', handle: null }, NOW);
      return { s1, boss, member };
    }
    const wx = { platform: 'wechat', platformUserId: 'wxid_boss', handle: null };

    it('moves it to the person and forgets the emptied member', async () => {
      const { s1, boss, member } = await members();
      expect(await store.moveMemberIdentity(member.id, boss.id, wx)).toBe(true);
      expect(await store.personByIdentity(s1, 'wechat', 'wxid_boss')).toEqual(boss);
      expect((await store.people(s1)).map((p) => [p.displayName, p.identities.map((i) => i.platform)])).toEqual([['老王', ['telegram', 'wechat']]]);
    });

    it('keeps a member who still has another account', async () => {
      const { s1, boss, member } = await members();
      await store.linkIdentity(member.id, tg('member-tg'));
      // The boss has a Telegram account already, so only the WeChat one can move.
      expect(await store.moveMemberIdentity(member.id, boss.id, tg('member-tg'))).toBe(false);
      expect(await store.moveMemberIdentity(member.id, boss.id, wx)).toBe(true);
      expect((await store.people(s1)).map((p) => [p.displayName, p.identities.map((i) => `${i.platform}:${i.platformUserId}`)])).toEqual([
        ['老王', ['telegram:boss', 'wechat:wxid_boss']],
        ['老王的微信', ['telegram:member-tg']],
      ]);
    });

    it('refuses, changing nothing, for someone given a role, someone with codes, or a person who already has an account there', async () => {
      const { s1, boss, member } = await members();
      const stays = async () => {
        expect(await store.personByIdentity(s1, 'wechat', 'wxid_boss')).toMatchObject({ id: member.id });
        expect((await store.people(s1)).map((p) => p.id)).toContain(member.id);
      };

      await store.setRole(member.id, 'staff');
      expect(await store.moveMemberIdentity(member.id, boss.id, wx)).toBe(false);
      await stays();
      await store.setRole(member.id, 'member');

      await store.createCode(s1, member.id, 'MEMBER', NOW, new Date(NOW.getTime() + MINUTE), 'chat');
      expect(await store.moveMemberIdentity(member.id, boss.id, wx)).toBe(false);
      await stays();
      await f.admin.query('DELETE FROM "BindingCode"');

      await store.linkIdentity(boss.id, { platform: 'wechat', platformUserId: 'wxid_other', handle: null });
      const before = JSON.stringify(await store.people(s1));
      expect(await store.moveMemberIdentity(member.id, boss.id, wx)).toBe(false);
      expect(JSON.stringify(await store.people(s1))).toBe(before);

      // The account must be the member's.
      expect(await store.moveMemberIdentity(member.id, boss.id, { platform: 'wechat', platformUserId: 'wxid_someone', handle: null })).toBe(false);
      await stays();
    });

    it('lets only one of two processes move the same account', async () => {
      const { s1, member } = await members();
      const a = await store.createPerson(s1, '甲', 'staff', tg('a'), NOW);
      const b = await store.createPerson(s1, '乙', 'staff', tg('b'), NOW);
      const results = await raceUnderLock(f.admin, `SELECT 1 FROM "Identity" WHERE "platformUserId" = 'wxid_boss' FOR SHARE`, [], () => [
        store.moveMemberIdentity(member.id, a.id, wx),
        other.moveMemberIdentity(member.id, b.id, wx),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const holders = (await store.people(s1)).filter((p) => p.identities.some((i) => i.platformUserId === 'wxid_boss'));
      expect(holders.map((p) => p.displayName)).toHaveLength(1);
      expect((await store.people(s1)).some((p) => p.id === member.id)).toBe(false);
    });
  });

  describe('audit', () => {
    const ledger = () => writeLedger((table, row) => f.insert(table, row));

    it('gives entries newest first with product, place, the entry each undoes or is undone by, and the message that wrote it', async () => {
      const s1 = await ledger();
      const rows = await store.audit(s1, { limit: 10 });
      expect(rows.map((r) => r.seq)).toEqual([3, 2, 1]);
      expect(rows[2]).toEqual({
        seq: 1,
        kind: 'purchase',
        product: 'T恤',
        unit: '件',
        location: '默认',
        qtyMilli: 1_000_000_000,
        unitPrice: 100_000_000_000,
        channel: null,
        counterparty: null,
        occurredAt: NOW,
        recordedAt: new Date(NOW.getTime() + 1000),
        actorName: '老王',
        actorId: 'telegram:boss',
        reversesSeq: null,
        reversedBySeq: 3,
        platform: 'telegram',
        chatId: 'g1',
        chatTitle: '仓库群',
        text: '进 T恤 5 件 20元',
        note: null,
      });
      expect(rows[1]).toMatchObject({ seq: 2, product: '短裤', unit: '条', location: null, qtyMilli: -2000, unitPrice: 3900, channel: '淘宝', counterparty: '张三', note: '顾客要白色的', platform: null, text: null });
      expect(rows[0]).toMatchObject({ seq: 3, kind: 'reversal', reversesSeq: 1, reversedBySeq: null, platform: 'console', chatTitle: null, text: '撤销 #1' });
    });

    it('narrows to a product, an entry number and a count', async () => {
      const s1 = await ledger();
      expect((await store.audit(s1, { productId: 1, limit: 10 })).map((r) => r.seq)).toEqual([3, 1]);
      expect((await store.audit(s1, { seq: 2, limit: 10 })).map((r) => r.seq)).toEqual([2]);
      expect((await store.audit(s1, { productId: 1, seq: 2, limit: 10 })).map((r) => r.seq)).toEqual([]);
      expect((await store.audit(s1, { limit: 2 })).map((r) => r.seq)).toEqual([3, 2]);
      expect((await store.audit(2, { limit: 10 })).map((r) => r.product)).toEqual(['别家']);
    });
  });
  describe('the same answers as SqliteAccessStore', () => {
    /** AccessStore whether its methods answer at once (SQLite's) or in a promise. */
    type EitherAccessStore = {
      [K in keyof AccessStore]: (...args: Parameters<AccessStore[K]>) => ReturnType<AccessStore[K]> | Awaited<ReturnType<AccessStore[K]>>;
    };

    /** A scripted run of calls; everything each returns. */
    async function script(s: EitherAccessStore) {
      const out: unknown[] = [];
      const later = new Date(NOW.getTime() + MINUTE);
      out.push(await s.shopCount());
      await s.bind({ shopId: 2, platform: 'wechat', chatId: 'room', audience: 'staff', title: '微信群' }, NOW);
      await s.bind({ shopId: 1, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, NOW);
      await s.bind({ shopId: 1, platform: 'telegram', chatId: 'g2', audience: 'staff', title: '二群' }, NOW);
      await s.bind({ shopId: 1, platform: 'wechat', chatId: 'room', audience: 'owner', title: '改名' }, later);
      out.push(await s.unbind('telegram', 'g2'), await s.unbind('telegram', 'g2'));
      out.push(await s.bindings(1), await s.bindings(2), await s.bindingOf('wechat', 'room'), await s.bindingOf('telegram', 'g2'));

      const boss = await s.createPerson(2, '老王', 'owner', tg('boss', 'laowang'), NOW);
      const li = await s.createPerson(1, '小李', 'staff', tg('li'), NOW);
      const boss1 = await s.createPerson(1, '老王', 'owner', tg('boss', 'laowang'), NOW);
      const twin = await s.createPerson(1, '老王分身', 'viewer', tg('boss'), NOW);
      const member = await s.createPerson(1, '群友', 'member', { platform: 'wechat', platformUserId: 'wx', handle: null }, NOW);
      await s.linkIdentity(li.id, { platform: 'wechat', platformUserId: 'wx_li', handle: 'li' });
      await s.linkIdentity(boss1.id, { platform: 'console', platformUserId: 'me', handle: null });
      await s.linkIdentity(li.id, tg('li', 'xiaoli'));
      out.push(boss, li, boss1, twin, member);
      out.push(await s.personByIdentity(1, 'telegram', 'boss'), await s.personByIdentity(2, 'telegram', 'boss'), await s.personByIdentity(1, 'telegram', 'nobody'));
      out.push(await s.ownedShops('telegram', 'boss'), await s.ownedShops('telegram', 'li'));

      out.push(await s.setRoleKeepingAnOwner(1, boss1.id, 'staff'), await s.setRoleKeepingAnOwner(1, li.id, 'owner'), await s.setRoleKeepingAnOwner(1, boss1.id, 'staff'));
      out.push(await s.setRoleKeepingAnOwner(2, li.id, 'viewer'), await s.setRoleKeepingAnOwner(1, li.id, 'removed'));
      await s.setRole(twin.id, 'removed');
      await s.setMemberRole(1, 'staff');
      out.push(await s.memberRole(1), await s.memberRole(2));

      await s.createCode(1, boss1.id, 'C1', NOW, new Date(NOW.getTime() + 10 * MINUTE), 'chat');
      await s.createCode(1, li.id, 'L1', NOW, new Date(NOW.getTime() + 10 * MINUTE), 'link');
      out.push(await s.findCode('C1', later), await s.redeemCode('C1', later), await s.redeemCode('C1', later), await s.findCode('C1', later));
      out.push(await s.findCode('L1', new Date(NOW.getTime() + 10 * MINUTE)), await s.redeemCode('L1', new Date(NOW.getTime() + 10 * MINUTE - 1)));

      out.push(await s.moveMemberIdentity(member.id, li.id, { platform: 'wechat', platformUserId: 'wx', handle: null }));
      out.push(await s.moveMemberIdentity(member.id, boss1.id, { platform: 'wechat', platformUserId: 'wx', handle: null }));
      out.push(await s.people(1), await s.people(2), await s.people(3));
      out.push(await s.audit(1, { limit: 10 }), await s.audit(1, { productId: 1, limit: 1 }), await s.audit(1, { seq: 2, limit: 5 }), await s.audit(2, { limit: 5 }));
      return out;
    }

    it('answers a scripted run of every call as SQLite does', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jxc-pg-access-'));
      const lite = openDatabase(join(dir, 'jxc.db'));
      try {
        await writeLedger(async (table, row) => {
          await f.insert(table, row);
          lite.prepare(insertSql(table, row, () => '?')).run(...Object.values(row).map((v) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? Number(v) : v)));
        });
        const got = await script(store);
        const want = await script(new SqliteAccessStore(lite));
        expect(got).toEqual(want);
        // Spot checks, so that both being wrong the same way would still show.
        expect(got[0]).toBe(2);
        expect(got.filter((x) => x === true || x === false).length).toBeGreaterThan(5);
        const audit = got[got.length - 4] as { seq: number; qtyMilli: number; occurredAt: Date }[];
        expect(audit.map((r) => r.seq)).toEqual([3, 2, 1]);
        expect(audit[2]?.qtyMilli).toBe(1_000_000_000);
        expect(audit[2]?.occurredAt).toEqual(NOW);
      } finally {
        lite.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

