import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestScheduler, SENDING_TIMEOUT_MS, type DigestOutbox } from '../../../src/adapters/cron/digest-scheduler.ts';
import type { DigestRunStore } from '../../../src/core/digest-runs.ts';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/prisma/database.ts';
import { SqliteAccessStore } from '../../../src/adapters/prisma/sqlite-access.ts';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import { SqliteStore } from '../../../src/adapters/prisma/sqlite-store.ts';
import type { Audience } from '../../../src/core/access.ts';
import type { DeliveryResult } from '../../../src/bot/outbox.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../../helpers/db.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const silent = { info() {}, warn() {}, error() {} };

interface Sent {
  platform: string;
  chatId: string;
  text: string;
  at: Date;
}

/** The running chat adapters as the scheduler sees them; `respond` decides each attempt's fate. */
class FakeOutbox implements DigestOutbox {
  readonly sent: Sent[] = [];
  readonly attempts: { platform: string; chatId: string }[] = [];
  respond: (platform: string, chatId: string) => DeliveryResult | Promise<DeliveryResult> = () => ({ ok: true });

  constructor(
    private readonly clock: TestClock,
    private readonly platforms: readonly string[] = ['telegram', 'wechat'],
  ) {}

  has(platform: string): boolean {
    return this.platforms.includes(platform);
  }

  async send(platform: string, chatId: string, text: string): Promise<DeliveryResult> {
    this.attempts.push({ platform, chatId });
    // A real send yields to the event loop; so does this one, so concurrent ticks interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const result = await this.respond(platform, chatId);
    if (result.ok) this.sent.push({ platform, chatId, text, at: this.clock.now() });
    return result;
  }

  to(chatId: string): Sent[] {
    return this.sent.filter((s) => s.chatId === chatId);
  }
}

let t: TestDb;
let clock: TestClock;
let extra: SqliteDatabase[];

beforeEach(() => {
  t = createTestDb();
  clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  extra = [];
});
afterEach(() => {
  for (const db of extra) if (db.open) db.close();
  t.cleanup();
});

/** Another process on the same database file: its own connection, store and scheduler. */
function connection(): SqliteDatabase {
  const db = openDatabase(t.path);
  extra.push(db);
  return db;
}

function scheduler(outbox: DigestOutbox, options: { db?: SqliteDatabase; id?: string; runs?: (s: SqliteDigestStore) => DigestRunStore } = {}) {
  const db = options.db ?? t.db;
  const store = new SqliteStore(db);
  const digest = new SqliteDigestStore(db);
  return new DigestScheduler({
    shops: () => store.listShops(),
    queries: digest,
    runs: options.runs ? options.runs(digest) : digest,
    outbox,
    clock,
    logger: silent,
    instanceId: options.id ?? 'A',
  });
}

async function openShop(name: string, timeZone = 'Asia/Shanghai', chats: [string, string, Audience][] = [['telegram', `${name}-boss`, 'owner']]) {
  const shop = await t.store.createShop(name, clock.now());
  await t.store.updateShop(shop.id, { timeZone });
  const access = new SqliteAccessStore(t.db);
  for (const [platform, chatId, audience] of chats) await access.bind({ shopId: shop.id, platform, chatId, audience, title: null }, clock.now());
  return shop;
}

const digests = () => new SqliteDigestStore(t.db);
const runCount = () => (t.db.prepare('SELECT COUNT(*) AS n FROM DigestRun').get() as { n: number }).n;

describe('the schedule', () => {
  it('fires at each shop’s local 21:00, in a zone without DST and across New York’s clock change', async () => {
    const sh = await openShop('上海店', 'Asia/Shanghai');
    const ny = await openShop('纽约店', 'America/New_York');
    // The days before the test window were already sent.
    for (const [shop, date] of [
      [sh.id, '2026-10-29'],
      [ny.id, '2026-10-29'],
    ] as const) {
      await digests().claim({ shopId: shop, localDate: date, scheduledAt: new Date(0), late: false, claimedBy: 'earlier', now: new Date(0), deliveries: [] });
    }
    const outbox = new FakeOutbox(clock);
    const s = scheduler(outbox);
    for (let time = Date.parse('2026-10-30T02:00:00Z'); time < Date.parse('2026-11-04T00:00:00Z'); time += 5 * MINUTE) {
      clock.set(new Date(time));
      await s.tick();
    }
    expect(outbox.to('上海店-boss').map((m) => m.at.toISOString())).toEqual([
      '2026-10-30T13:00:00.000Z',
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T13:00:00.000Z',
      '2026-11-02T13:00:00.000Z',
      '2026-11-03T13:00:00.000Z',
    ]);
    // 21:00 EDT is 01:00 UTC until the clocks go back on 1 November; 21:00 EST is 02:00 UTC after.
    expect(outbox.to('纽约店-boss').map((m) => [m.at.toISOString(), m.text.split('\n')[0]])).toEqual([
      ['2026-10-31T01:00:00.000Z', '📋 纽约店 日报 10月30日（截至 21:00）'],
      ['2026-11-01T01:00:00.000Z', '📋 纽约店 日报 10月31日（截至 21:00）'],
      ['2026-11-02T02:00:00.000Z', '📋 纽约店 日报 11月1日（截至 21:00）'],
      ['2026-11-03T02:00:00.000Z', '📋 纽约店 日报 11月2日（截至 21:00）'],
    ]);
    expect(outbox.sent.some((m) => m.text.includes('补发'))).toBe(false);
  });

  it('follows a changed digest time and time zone without restarting', async () => {
    const shop = await openShop('改时间店');
    await t.store.updateShop(shop.id, { digestTime: '18:30' });
    const outbox = new FakeOutbox(clock);
    const s = scheduler(outbox);
    clock.set('2026-11-27T10:29:00Z');
    await s.tick();
    expect(outbox.sent).toHaveLength(0);
    clock.set('2026-11-27T10:30:00Z');
    await s.tick();
    expect(outbox.sent).toHaveLength(1);
  });
});

describe('exactly once', () => {
  const chats: [string, string, Audience][] = [
    ['telegram', 'boss', 'owner'],
    ['telegram', 'group', 'staff'],
    ['wechat', 'room', 'staff'],
  ];

  it('sends once per chat when two schedulers share the database', async () => {
    const shop = await openShop('双开店', 'Asia/Shanghai', chats);
    await createService(t.store, clock).record(shop.id, { kind: 'purchase', items: [{ product: 'T恤', quantity: 5, unitPrice: 2000 }] }, source());
    const outbox = new FakeOutbox(clock);
    const a = scheduler(outbox, { id: 'A' });
    const b = scheduler(outbox, { db: connection(), id: 'B' });
    // C believes no run exists yet (it looked before A's claim): the claim itself must refuse it.
    const c = scheduler(outbox, { db: connection(), id: 'C', runs: (s) => Object.assign(Object.create(s) as SqliteDigestStore, { hasRun: () => false }) });
    const claims: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      clock.set(new Date(Date.parse('2026-11-27T13:00:00Z') + minute * MINUTE));
      // A first, then B and C at once: C's claim comes after A's and must be refused by the claim itself.
      const first = await a.tick();
      const reports = [first, ...(await Promise.all([b.tick(), c.tick()]))];
      reports.forEach((r, i) => claims.push(...r.claimed.map((x) => `${'ABC'[i]} ${x.localDate}`)));
    }
    expect(claims).toEqual(['A 2026-11-27']);
    expect(runCount()).toBe(1);
    expect(outbox.sent.map((m) => m.chatId).sort()).toEqual(['boss', 'group', 'room']);
    expect(outbox.to('boss')[0]?.text).toContain('库存金额 100.00 元');
    for (const staff of ['group', 'room']) expect(outbox.to(staff)[0]?.text).not.toMatch(/金额|成本|毛利/);
    const run = await digests().run(shop.id, '2026-11-27');
    expect(run?.finishedAt).not.toBeNull();
    expect(run?.deliveries.map((d) => [d.chatId, d.status, d.attempts])).toEqual([
      ['boss', 'sent', 1],
      ['group', 'sent', 1],
      ['room', 'sent', 1],
    ]);
  });

  it('sends one late digest when the process starts after the scheduled time, and none on another restart', async () => {
    const shop = await openShop('重启店');
    clock.set('2026-11-27T15:00:00Z'); // 23:00 in Shanghai: two hours late
    const outbox = new FakeOutbox(clock);
    const first = await scheduler(outbox, { id: 'A' }).tick();
    expect(first.claimed).toEqual([{ shopId: shop.id, localDate: '2026-11-27', late: true, chats: 1 }]);
    expect(outbox.sent).toHaveLength(1);
    expect(outbox.sent[0]?.text.split('\n').slice(0, 2)).toEqual(['📋 重启店 日报 11月27日（截至 23:00）', '⏰ 补发：预定发送时机器人不在线。']);
    clock.advance(MINUTE);
    await scheduler(outbox, { db: connection(), id: 'B' }).tick();
    clock.set('2026-11-28T00:30:00Z');
    await scheduler(outbox, { db: connection(), id: 'C' }).tick();
    expect(outbox.sent).toHaveLength(1);
    expect((await digests().run(shop.id, '2026-11-27'))?.late).toBe(true);
  });

  it('sends nothing for a digest missed by more than 12 hours', async () => {
    await openShop('久停店');
    clock.set('2026-11-28T01:01:00Z'); // 09:01 the next morning
    const outbox = new FakeOutbox(clock);
    await scheduler(outbox).tick();
    expect(outbox.sent).toHaveLength(0);
    expect(runCount()).toBe(0);
  });

  it('after a crash mid-run, sends the rest once and never repeats the copy that was in flight', async () => {
    const shop = await openShop('崩溃店', 'Asia/Shanghai', chats);
    clock.set('2026-11-27T13:00:00Z');
    const dying = new FakeOutbox(clock);
    // The process dies while Telegram is answering its first send: the call never returns.
    dying.respond = () => new Promise<DeliveryResult>(() => {});
    void scheduler(dying, { id: 'dead' }).tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(dying.attempts).toEqual([{ platform: 'telegram', chatId: 'boss' }]);

    const outbox = new FakeOutbox(clock);
    const restarted = scheduler(outbox, { db: connection(), id: 'restarted' });
    clock.advance(MINUTE);
    await restarted.tick();
    expect(outbox.sent.map((m) => m.chatId)).toEqual(['group', 'room']);
    clock.advance(SENDING_TIMEOUT_MS);
    await restarted.tick();
    clock.advance(HOUR);
    await restarted.tick();
    expect(outbox.sent.map((m) => m.chatId)).toEqual(['group', 'room']);
    const run = await digests().run(shop.id, '2026-11-27');
    expect(run?.deliveries.map((d) => [d.chatId, d.status])).toEqual([
      ['boss', 'interrupted'],
      ['group', 'sent'],
      ['room', 'sent'],
    ]);
    expect(run?.finishedAt).not.toBeNull();
  });

  it('sends every copy after a crash between the claim and the first send', async () => {
    const shop = await openShop('刚认领店', 'Asia/Shanghai', chats);
    clock.set('2026-11-27T13:00:00Z');
    await digests().claim({
      shopId: shop.id,
      localDate: '2026-11-27',
      scheduledAt: clock.now(),
      late: false,
      claimedBy: 'dead',
      now: clock.now(),
      deliveries: chats.map(([platform, chatId, audience]) => ({ platform, chatId, audience, text: `日报 ${chatId}` })),
    });
    const outbox = new FakeOutbox(clock);
    clock.advance(2 * MINUTE);
    await scheduler(outbox, { id: 'restarted' }).tick();
    expect(outbox.sent.map((m) => m.text)).toEqual(['日报 boss', '日报 group', '日报 room']);
  });
});

describe('deliveries', () => {
  it('retries a failed send with growing waits until it goes through', async () => {
    const shop = await openShop('重试店');
    const outbox = new FakeOutbox(clock);
    let failures = 2;
    outbox.respond = () => (failures-- > 0 ? { ok: false, permanent: false, error: 'HttpError: network down' } : { ok: true });
    const s = scheduler(outbox);
    const attemptsAt: string[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      clock.set(new Date(Date.parse('2026-11-27T13:00:00Z') + minute * MINUTE));
      const before = outbox.attempts.length;
      await s.tick();
      if (outbox.attempts.length > before) attemptsAt.push(clock.now().toISOString().slice(11, 16));
    }
    // Attempt 1 fails (wait 1 min), attempt 2 fails (wait 2 min), attempt 3 succeeds.
    expect(attemptsAt).toEqual(['13:00', '13:01', '13:03']);
    expect(outbox.sent).toHaveLength(1);
    expect((await digests().run(shop.id, '2026-11-27'))?.deliveries[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('gives up after eight failed attempts', async () => {
    const shop = await openShop('失败店');
    const outbox = new FakeOutbox(clock);
    outbox.respond = () => ({ ok: false, permanent: false, error: 'HttpError: 502' });
    const s = scheduler(outbox);
    for (let minute = 0; minute <= 180; minute++) {
      clock.set(new Date(Date.parse('2026-11-27T13:00:00Z') + minute * MINUTE));
      await s.tick();
    }
    expect(outbox.attempts).toHaveLength(8);
    const run = await digests().run(shop.id, '2026-11-27');
    expect(run?.deliveries[0]).toMatchObject({ status: 'failed', attempts: 8, lastError: 'HttpError: 502' });
    expect(run?.finishedAt).not.toBeNull();
  });

  it('marks a chat that blocked the bot and skips it until it is bound again', async () => {
    const shop = await openShop('拉黑店', 'Asia/Shanghai', [
      ['telegram', 'boss', 'owner'],
      ['telegram', 'gone', 'staff'],
    ]);
    const outbox = new FakeOutbox(clock);
    outbox.respond = (_platform, chatId) => (chatId === 'gone' ? { ok: false, permanent: true, error: 'GrammyError: 403 bot was kicked' } : { ok: true });
    const s = scheduler(outbox);
    clock.set('2026-11-27T13:00:00Z');
    await s.tick();
    clock.advance(HOUR);
    await s.tick();
    expect(outbox.attempts.filter((a) => a.chatId === 'gone')).toHaveLength(1);
    expect((await digests().run(shop.id, '2026-11-27'))?.deliveries.map((d) => d.status)).toEqual(['sent', 'blocked']);
    expect(t.db.prepare("SELECT blockedAt FROM ChatBinding WHERE chatId = 'gone'").get()).toEqual({ blockedAt: Date.parse('2026-11-27T13:00:00Z') });

    clock.set('2026-11-28T13:00:00Z');
    await s.tick();
    expect((await digests().run(shop.id, '2026-11-28'))?.deliveries.map((d) => d.chatId)).toEqual(['boss']);

    // The bot is added back and the chat bound again: it gets digests from then on.
    outbox.respond = () => ({ ok: true });
    await new SqliteAccessStore(t.db).bind({ shopId: shop.id, platform: 'telegram', chatId: 'gone', audience: 'staff', title: null }, new Date('2026-11-29T01:00:00Z'));
    clock.set('2026-11-29T13:00:00Z');
    await s.tick();
    expect(outbox.to('gone')).toHaveLength(1);
  });

  it('leaves a copy for a process that runs its platform, and gives it up after 12 hours', async () => {
    const shop = await openShop('微信店', 'Asia/Shanghai', [
      ['telegram', 'boss', 'owner'],
      ['wechat', 'room', 'staff'],
    ]);
    const telegramOnly = new FakeOutbox(clock, ['telegram']);
    const s = scheduler(telegramOnly);
    clock.set('2026-11-27T13:00:00Z');
    await s.tick();
    expect(telegramOnly.sent.map((m) => m.chatId)).toEqual(['boss']);
    expect((await digests().run(shop.id, '2026-11-27'))?.finishedAt).toBeNull();

    const wechat = new FakeOutbox(clock, ['wechat']);
    clock.advance(5 * MINUTE);
    await scheduler(wechat, { db: connection(), id: 'W' }).tick();
    expect(wechat.sent.map((m) => m.chatId)).toEqual(['room']);
    expect((await digests().run(shop.id, '2026-11-27'))?.finishedAt).not.toBeNull();

    clock.set('2026-11-28T13:00:00Z');
    await s.tick();
    clock.set('2026-11-29T01:01:00Z');
    await s.tick();
    expect((await digests().run(shop.id, '2026-11-28'))?.deliveries.map((d) => [d.chatId, d.status])).toEqual([
      ['boss', 'sent'],
      ['room', 'failed'],
    ]);
  });
});
