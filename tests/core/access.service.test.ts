import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAccessStore } from '../../src/adapters/prisma/sqlite-access.ts';
import { AccessService, type ChatPlace, type Speaker } from '../../src/core/access.service.ts';
import { createTestDb, TestClock, type TestDb } from '../helpers/db.ts';

let t: TestDb;
let clock: TestClock;
let store: SqliteAccessStore;
let access: AccessService;
let codes: string[];

const boss: Speaker = { platform: 'telegram', userId: 'boss', userName: '老王', userHandle: 'laowang' };
const li: Speaker = { platform: 'telegram', userId: 'li', userName: '小李', userHandle: 'xiaoli' };
const privateOf = (s: Speaker): ChatPlace => ({ platform: s.platform, chatId: `p-${s.userId}`, chatType: 'private' });
const group: ChatPlace = { platform: 'telegram', chatId: 'g1', chatType: 'group', title: '仓库群' };

function setup(owners: string[] = []) {
  t = createTestDb();
  clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  store = new SqliteAccessStore(t.db);
  codes = ['CODE01', 'CODE02', 'CODE03'];
  access = new AccessService(store, t.store, clock, { owners, codeGenerator: () => codes.shift() ?? 'LAST99' });
}

/** Boss opens 小店 in a private chat; li has spoken in the bound group. */
async function openShop() {
  const opened = await access.openShop(boss, privateOf(boss), '小店');
  if (!opened.ok) throw new Error(opened.refusal.code);
  const shop = opened.value.shop;
  const bossPerson = await access.identify(shop.id, boss, 'private');
  const issued = await access.issueCode(shop, bossPerson, 'chat', 'private');
  if (!issued.ok) throw new Error(issued.refusal.code);
  expect(await access.redeem(boss, group, issued.value.code, undefined)).toMatchObject({ ok: true, value: { kind: 'bound', chatType: 'group' } });
  await access.identify(shop.id, li, 'group');
  return shop;
}

beforeEach(() => setup());
afterEach(() => t.cleanup());

describe('opening shops', () => {
  it('lets the first person open one, refuses strangers after and a name already taken', async () => {
    expect(await access.openShop(boss, privateOf(boss), '小店')).toMatchObject({ ok: true, value: { audience: 'owner' } });
    expect(await access.openShop(li, privateOf(li), '李店')).toEqual({ ok: false, refusal: { code: 'NOT_ALLOWED_TO_OPEN' } });
    expect(await access.openShop(boss, group, '小店')).toEqual({ ok: false, refusal: { code: 'SHOP_NAME_TAKEN', name: '小店' } });
    expect((await t.store.listShops()).map((s) => s.name)).toEqual(['小店']);
  });

  it('follows JXC_OWNERS when it is set, in either spelling of the platform', async () => {
    t.cleanup();
    setup(['tg:li']);
    expect(await access.openShop(boss, privateOf(boss), '小店')).toEqual({ ok: false, refusal: { code: 'NOT_ALLOWED_TO_OPEN' } });
    expect(await access.openShop(li, group, undefined)).toMatchObject({ ok: true, value: { shop: { name: '仓库群' }, audience: 'staff' } });
  });
});

describe('the last owner', () => {
  it('can be neither removed nor demoted, until another owner is named', async () => {
    const shop = await openShop();
    expect(await access.changeRole(shop.id, 'laowang', 'removed')).toEqual({ ok: false, refusal: { code: 'LAST_OWNER' } });
    expect(await access.changeRole(shop.id, 'laowang', 'staff')).toEqual({ ok: false, refusal: { code: 'LAST_OWNER' } });
    expect(await access.changeRole(shop.id, 'laowang', 'owner')).toMatchObject({ ok: true });
    expect(await access.changeRole(shop.id, '@xiaoli', 'owner')).toMatchObject({ ok: true, value: { displayName: '小李', role: 'owner' } });
    expect(await access.changeRole(shop.id, 'laowang', 'viewer')).toMatchObject({ ok: true, value: { role: 'viewer' } });
    // Now 小李 is the only owner.
    expect(await access.changeRole(shop.id, 'xiaoli', 'removed')).toEqual({ ok: false, refusal: { code: 'LAST_OWNER' } });
    expect((await access.members(shop.id)).people.filter((p) => p.role === 'owner').map((p) => p.displayName)).toEqual(['小李']);
  });

  it('is kept by the store in one statement: two owners demoting each other leave one', async () => {
    const shop = await openShop();
    await access.changeRole(shop.id, 'xiaoli', 'owner');
    const owners = (await access.members(shop.id)).people.filter((p) => p.role === 'owner');
    // Both checks ran before either write in a racing pair of requests; the guard is in the write itself.
    const results = await Promise.all(owners.map((p) => store.setRoleKeepingAnOwner(shop.id, p.id, 'staff')));
    expect(results).toEqual([true, false]);
    expect((await access.members(shop.id)).people.filter((p) => p.role === 'owner')).toHaveLength(1);
  });

  it('names whom it could not find', async () => {
    const shop = await openShop();
    expect(await access.changeRole(shop.id, '@nobody', 'staff')).toEqual({ ok: false, refusal: { code: 'PERSON_NOT_FOUND', target: '@nobody' } });
  });
});

describe('codes', () => {
  it('are handed out to a known person only, and link codes only in a private chat', async () => {
    const shop = await openShop();
    const bossPerson = await access.identify(shop.id, boss, 'private');
    expect(await access.issueCode(shop, undefined, 'chat', 'private')).toEqual({ ok: false, refusal: { code: 'CODE_NEEDS_PERSON', purpose: 'chat' } });
    expect(await access.issueCode(shop, bossPerson, 'link', 'group')).toEqual({ ok: false, refusal: { code: 'LINK_CODE_PRIVATE_ONLY' } });
    expect(await access.issueCode(shop, bossPerson, 'link', 'private')).toMatchObject({ ok: true, value: { code: 'CODE02', minutes: 10 } });
  });

  it('bind once, within their minutes', async () => {
    const shop = await openShop();
    const bossPerson = await access.identify(shop.id, boss, 'private');
    const g2: ChatPlace = { ...group, chatId: 'g2' };
    const g3: ChatPlace = { ...group, chatId: 'g3' };
    await access.issueCode(shop, bossPerson, 'chat', 'private');
    expect(await access.redeem(boss, g2, 'CODE02', undefined)).toMatchObject({ ok: true });
    expect(await access.redeem(boss, g3, 'CODE02', undefined)).toEqual({ ok: false, refusal: { code: 'CODE_INVALID', purpose: 'chat' } });
    await access.issueCode(shop, bossPerson, 'chat', 'private');
    clock.advance(11 * 60_000);
    expect(await access.redeem(boss, g3, 'CODE03', undefined)).toEqual({ ok: false, refusal: { code: 'CODE_INVALID', purpose: 'chat' } });
    expect(await access.chatShop('telegram', 'g3')).toBeUndefined();
    expect(await access.redeem(boss, g2, 'CODE03', (await access.chatShop('telegram', 'g2'))?.binding)).toEqual({
      ok: false,
      refusal: { code: 'ALREADY_BOUND', shopName: '小店' },
    });
  });

  it('spend a link code shown in a group, so nobody there can take the account', async () => {
    const shop = await openShop();
    const bossPerson = await access.identify(shop.id, boss, 'private');
    await access.issueCode(shop, bossPerson, 'link', 'private');
    expect(await access.spendIfLinkCode('CODE02')).toBe(true);
    const wechat: Speaker = { platform: 'wechat', userId: 'wxid_boss', userName: '老王' };
    expect(await access.redeem(wechat, privateOf(wechat), 'CODE02', undefined)).toEqual({ ok: false, refusal: { code: 'CODE_INVALID', purpose: 'chat' } });
  });

  it('link the asker’s account on another platform, and never one that is someone else’s', async () => {
    const shop = await openShop();
    const bossPerson = await access.identify(shop.id, boss, 'private');
    await access.issueCode(shop, bossPerson, 'link', 'private');
    // The asker already has a Telegram account: another Telegram account cannot replace it.
    expect(await access.redeem(li, privateOf(li), 'CODE02', undefined)).toEqual({ ok: false, refusal: { code: 'LINK_ACCOUNT_REPLACE', asker: '老王' } });
    // A WeChat account that is already 小张 (店员) stays 小张's.
    const zhang: Speaker = { platform: 'wechat', userId: 'wxid_zhang', userName: '小张' };
    await store.createPerson(shop.id, '小张', 'staff', { platform: 'wechat', platformUserId: 'wxid_zhang', handle: null }, clock.now());
    expect(await access.redeem(zhang, privateOf(zhang), 'CODE02', undefined)).toEqual({
      ok: false,
      refusal: { code: 'LINK_ACCOUNT_TAKEN', shop: '小店', holder: '小张', holderRole: 'staff', asker: '老王' },
    });
    const wechat: Speaker = { platform: 'wechat', userId: 'wxid_boss', userName: '老王' };
    expect(await access.redeem(wechat, privateOf(wechat), 'CODE02', undefined)).toMatchObject({ ok: true, value: { kind: 'linked', audience: 'owner', asker: { displayName: '老王' } } });
    expect(await access.roleOf(shop.id, await access.identify(shop.id, wechat, 'private'), 'owner', 'private')).toBe('owner');
  });
});

describe('roles', () => {
  it('are null for someone removed, the shop’s member rule for unnamed group members, viewer for strangers in private', async () => {
    const shop = await openShop();
    const person = await access.identify(shop.id, li, 'group');
    expect(await access.roleOf(shop.id, person, 'staff', 'group')).toBe('viewer');
    await access.setMemberRole(shop.id, 'staff');
    expect(await access.roleOf(shop.id, person, 'staff', 'group')).toBe('staff');
    expect(await access.roleOf(shop.id, undefined, 'staff', 'private')).toBe('viewer');
    await access.changeRole(shop.id, 'xiaoli', 'removed');
    expect(await access.roleOf(shop.id, await access.identify(shop.id, li, 'group'), 'staff', 'group')).toBeNull();
  });
});
