import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLowStockAlerts } from '../../../src/adapters/cron/index.ts';
import { startDigestScheduler } from '../../../src/adapters/cron/index.ts';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import { createConfig } from '../../../src/config.ts';
import type { DeliveryResult } from '../../../src/bot/outbox.ts';
import { createApp, type App } from '../../../src/main.ts';
import { createService, createTestDb, migratedDatabaseFile, source, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let app: App;
let clock: TestClock;
let sent: { platform: string; chatId: string; text: string }[];

async function appWith(digest: 'on' | 'off'): Promise<App> {
  const created = await createApp(createConfig({ DATABASE_URL: `file:${migratedDatabaseFile(t.dir, 'app.db')}`, JXC_DIGEST: digest, LOG_LEVEL: 'silent' }), {
    clock,
    logger: pino({ level: 'silent' }),
  });
  for (const platform of ['telegram', 'wechat']) {
    created.outbox.register({
      platform,
      async send(chatId: string, text: string): Promise<DeliveryResult> {
        if (chatId === 'left') return { ok: false, permanent: true, error: 'GrammyError: 403 bot was kicked from the group chat' };
        sent.push({ platform, chatId, text });
        return { ok: true };
      },
    });
  }
  return created;
}

beforeEach(() => {
  t = createTestDb();
  clock = new TestClock(new Date('2026-11-27T13:00:00Z'));
  sent = [];
});
afterEach(async () => {
  await app.close();
  t.cleanup();
});

describe('startDigestScheduler', () => {
  it('tells the owner, not staff, when the day’s costs are still being recomputed by a queued repost', async () => {
    app = await appWith('on');
    const shop = await app.shop('主店');
    await app.access.bind({ shopId: shop.id, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, clock.now());
    await app.access.bind({ shopId: shop.id, platform: 'telegram', chatId: 'staff', audience: 'staff', title: null }, clock.now());
    const recorded = await app.engine.service.record(shop.id, { kind: 'purchase', items: [{ product: '茶叶', quantity: 5, unitPrice: 3000 }] }, source());
    if (!recorded.ok) throw new Error('purchase refused');
    const product = recorded.value.entries[0]?.productId as number;
    // What a backdated entry into a long history leaves behind until the bot finishes it.
    await app.store.transaction((uow) => uow.queueRepost(shop.id, product, { occurredAt: new Date('2026-11-20T00:00:00Z'), seq: 1 }));
    const handle = startDigestScheduler(app, { schedule: () => ({ stop() {} }) });
    await handle.started;
    expect(sent.find((m) => m.chatId === 'boss')?.text).toContain('（成本重算中');
    expect(sent.find((m) => m.chatId === 'staff')?.text).not.toContain('成本');
    handle.stop();
  });

  it('sends the due digest at start-up and then on every tick, once', async () => {
    app = await appWith('on');
    const shop = await app.shop('主店');
    await app.access.bind({ shopId: shop.id, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, clock.now());
    let task: (() => Promise<void>) | undefined;
    let stopped = false;
    const handle = startDigestScheduler(app, {
      schedule: (run) => {
        task = run;
        return { stop: () => (stopped = true) };
      },
    });
    await handle.started;
    expect(sent.map((m) => [m.chatId, m.text.split('\n')[0]])).toEqual([['boss', '📋 主店 日报 11月27日（截至 21:00）']]);
    clock.advance(60_000);
    await task?.();
    await handle.tick();
    expect(sent).toHaveLength(1);
    handle.stop();
    expect(stopped).toBe(true);
  });

  it('schedules nothing with JXC_DIGEST=off', async () => {
    app = await appWith('off');
    const shop = await app.shop('主店');
    await app.access.bind({ shopId: shop.id, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, clock.now());
    let scheduled = false;
    const handle = startDigestScheduler(app, {
      schedule: () => {
        scheduled = true;
        return { stop() {} };
      },
    });
    await handle.started;
    expect(scheduled).toBe(false);
    expect(sent).toEqual([]);
  });

  it('ticks through node-cron when no schedule is given, and stops', async () => {
    app = await appWith('on');
    const handle = startDigestScheduler(app);
    await handle.started;
    handle.stop();
  });
});

describe('the low-stock alert', () => {
  it('tells every bound chat once when a sale takes a product to its reorder level', async () => {
    clock.set('2026-11-27T02:00:00Z'); // 10:00: no digest due to get in the way
    app = await appWith('on');
    const shop = await app.shop('主店');
    for (const [chatId, audience] of [
      ['boss', 'owner'],
      ['group', 'staff'],
      ['left', 'staff'],
    ] as const) {
      await app.access.bind({ shopId: shop.id, platform: 'telegram', chatId, audience, title: null }, clock.now());
    }
    const digest = new SqliteDigestStore(app.db!);
    const handle = startDigestScheduler(app, { schedule: () => ({ stop() {} }) });
    await handle.started;
    expect(sent).toEqual([]);
    const alerts = handle.lowStock;
    const svc = createService(app.store, clock);
    await svc.record(shop.id, { kind: 'purchase', items: [{ product: 'T恤', quantity: 8, unitPrice: 2000 }] }, source());
    const productId = (await app.store.products(shop.id))[0]?.id as number;
    await app.store.updateProduct(shop.id, productId, { reorderLevel: 5 });
    const sell = async (quantity: number) => {
      const r = await svc.record(shop.id, { kind: 'sale', items: [{ product: 'T恤', quantity, unitPrice: 5900 }] }, source());
      if (!r.ok) throw new Error(r.failure.code);
      return { intent: 'sale', entrySeqs: r.value.entries.map((e) => e.seq), duplicate: false };
    };

    // Off by default.
    expect(await alerts.afterReply(shop.id, await sell(3))).toBe(0);
    await digest.updateSettings(shop.id, { lowStockAlert: true });
    await app.store.updateProduct(shop.id, productId, { reorderLevel: 4 });
    expect(await alerts.afterReply(shop.id, await sell(1))).toBe(2);
    expect(sent.map((m) => [m.chatId, m.text])).toEqual([
      ['boss', '⚠️ 低库存：T恤 只剩 4件，已到预警线 4件，该补货了。'],
      ['group', '⚠️ 低库存：T恤 只剩 4件，已到预警线 4件，该补货了。'],
    ]);
    // Already below the line: the next sale says nothing; a chat that removed the bot is marked.
    expect(await alerts.afterReply(shop.id, await sell(1))).toBe(0);
    expect((await digest.activeChats(shop.id)).map((c) => c.chatId)).toEqual(['boss', 'group']);
    // Not a sale, or a redelivered one: nothing.
    expect(await alerts.afterReply(shop.id, { intent: 'purchase', entrySeqs: [1], duplicate: false })).toBe(0);
    expect(await alerts.afterReply(shop.id, { ...await sell(1), duplicate: true })).toBe(0);
  });

  it('can be made without the scheduler', async () => {
    app = await appWith('off');
    const store = new SqliteDigestStore(app.db!);
    const alerts = createLowStockAlerts({ queries: store, runs: store, outbox: app.outbox, clock, logger: app.logger });
    expect(typeof alerts.afterReply).toBe('function');
  });
});

describe('digest settings', () => {
  it('start at the documented defaults and refuse nonsense', async () => {
    app = await appWith('off');
    const shop = await app.shop('主店');
    const store = new SqliteDigestStore(app.db!);
    expect(await store.settings(shop.id)).toEqual({
      salesWindowDays: 14,
      leadTimeDays: 7,
      safetyDays: 7,
      overstockCoverDays: 90,
      noSaleDays: 30,
      expiryWarnDays: 30,
      lowStockAlert: false,
      digestPicture: false,
    });
    await store.updateSettings(shop.id, { salesWindowDays: 28, noSaleDays: 60 });
    expect(await store.settings(shop.id)).toMatchObject({ salesWindowDays: 28, noSaleDays: 60 });
    await expect(store.updateSettings(shop.id, { safetyDays: 0 })).rejects.toThrow(RangeError);
    await expect(store.updateSettings(shop.id, { leadTimeDays: 1.5 })).rejects.toThrow(RangeError);
  });
});
