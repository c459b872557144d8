/**
 * A small shop with a month of trade, for the digest picture: the tests, the benchmark and the
 * README's example picture draw it. Written through InventoryService (the real ledger rules), at
 * fixed times, so every run gives the same figures: sales every day on 淘宝, 京东, 拼多多 and 抖音, a
 * product at its reorder level (T恤), one far above its overstock level (帆布包) and one unsold for
 * the whole month (旧款袜子).
 */
import { CatalogueService } from '../src/core/catalogue.service.ts';
import { InventoryService } from '../src/core/inventory.service.ts';
import type { Clock, InventoryStore, ShopRecord } from '../src/core/ports.ts';

/** The digest's evening: 2026-11-27 21:00 in Shanghai. */
export const PICTURE_DIGEST_AT = new Date('2026-11-27T13:00:00Z');
export const PICTURE_CHANNELS = ['淘宝', '京东', '拼多多', '抖音'] as const;

class FixedClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

/** Creates the shop 小王的店 and its month; returns the shop. */
export async function seedPictureShop(store: InventoryStore, name = '小王的店'): Promise<ShopRecord> {
  const clock = new FixedClock(new Date('2026-10-20T02:00:00Z'));
  const shop = await store.createShop(name, clock.now());
  const svc = new InventoryService(store, clock);
  const settings = new CatalogueService(store);
  let n = 0;
  const write = async (req: Parameters<InventoryService['record']>[1]): Promise<void> => {
    n += 1;
    const r = await svc.record(shop.id, req, { platform: 'seed', chatId: 'seed', messageId: `seed-${n}`, text: 'seed', actorId: 'seed:owner', actorName: '老板' });
    if (!r.ok) throw new Error(`seed write refused: ${r.failure.code}`);
  };

  await write({
    kind: 'purchase',
    items: [
      { product: 'T恤', quantity: 380, unitPrice: 2000 },
      { product: '卫衣', quantity: 150, unitPrice: 6000 },
      { product: '帆布包', quantity: 300, unitPrice: 1500 },
      { product: '旧款袜子', quantity: 80, unitPrice: 500 },
    ],
  });
  const set = async (product: string, key: 'reorderLevel' | 'overstockLevel', value: number) => {
    const r = await settings.setProduct(shop.id, product, { key, value });
    if (!r.ok) throw new Error(`seed setting refused: ${r.failure.code}`);
  };
  await set('T恤', 'reorderLevel', 30);
  await set('帆布包', 'overstockLevel', 100);

  // 30 days of sales, 2026-10-29 to 2026-11-27, at 14:00 Shanghai; a few each day per channel.
  for (let day = 0; day < 30; day++) {
    const at = new Date(Date.UTC(2026, 9, 29 + day, 6));
    for (const [c, channel] of PICTURE_CHANNELS.entries()) {
      const tees = ((day * 7 + c * 3) % 4) + (c === 0 ? 3 : 1);
      const hoodies = (day + c) % 4 === 0 ? 1 : 0;
      const bags = (day + c) % 6 === 0 ? 1 : 0;
      const items = [{ product: 'T恤', quantity: tees, unitPrice: 5900 - c * 300 }];
      if (hoodies > 0) items.push({ product: '卫衣', quantity: hoodies, unitPrice: 15900 });
      if (bags > 0) items.push({ product: '帆布包', quantity: bags, unitPrice: 3900 });
      clock.at = at;
      await write({ kind: 'sale', channel, occurredAt: at, items });
    }
  }
  return shop;
}
