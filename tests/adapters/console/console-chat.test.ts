import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runConsoleChat } from '../../../src/adapters/console/console-chat.ts';
import { ChatEngine } from '../../../src/bot/engine.ts';
import { createTestDb, engineDeps, TestClock } from '../../helpers/db.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('console chat message ids', () => {
  it('two consoles started in the same millisecond both record their purchase', async () => {
    const t = createTestDb();
    try {
      const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
      const engine = new ChatEngine(t.store, clock, engineDeps(t.db));
      const shop = await t.store.createShop('小店', clock.now());
      // Both sessions see the same start time.
      vi.spyOn(Date, 'now').mockReturnValue(1_795_000_000_000);
      const run = (user: string) =>
        runConsoleChat({
          handle: (m) => engine.handle(m, shop, 'owner'),
          shop,
          user,
          input: Readable.from(['进货 T恤 5 件 单价 20\n']),
          output: new PassThrough(),
          interactive: false,
        });
      await Promise.all([run('老板'), run('小李')]);
      expect((await t.store.stock(shop.id)).map((r) => r.qtyMilli)).toEqual([10_000]);
      expect(await t.store.entries(shop.id)).toHaveLength(2);
    } finally {
      t.cleanup();
    }
  });
});
