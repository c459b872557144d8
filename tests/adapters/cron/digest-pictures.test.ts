import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestScheduler, type DigestOutbox } from '../../../src/adapters/cron/digest-scheduler.ts';
import { createPictureRenderer } from '../../../src/adapters/pictures/index.ts';
import { SqliteAccessStore } from '../../../src/adapters/prisma/sqlite-access.ts';
import { SqliteDigestStore } from '../../../src/adapters/prisma/sqlite-digest.ts';
import type { DeliveryResult, OutgoingPicture } from '../../../src/bot/outbox.ts';
import type { PictureRenderer } from '../../../src/bot/pictures/picture-view.ts';
import type { ShopRecord } from '../../../src/core/ports.ts';
import { PICTURE_DIGEST_AT, seedPictureShop } from '../../../bench/picture-shop.ts';
import { createTestDb, TestClock, type TestDb } from '../../helpers/db.ts';

/**
 * The scheduled digest as a picture (`设置 日报 图片`): drawn once per audience when the run is
 * claimed, kept with each delivery, sent with the text; a retry sends the same picture; shops that
 * did not choose pictures, and pictures that cannot be drawn, leave the text alone.
 */

const silent = { info() {}, warn() {}, error() {} };
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Sent {
  platform: string;
  chatId: string;
  text: string;
  picture?: OutgoingPicture | undefined;
}

class PictureOutbox implements DigestOutbox {
  readonly sent: Sent[] = [];
  respond: (attempt: number) => DeliveryResult = () => ({ ok: true });
  private attempts = 0;
  has(): boolean {
    return true;
  }
  async send(platform: string, chatId: string, text: string, picture?: OutgoingPicture): Promise<DeliveryResult> {
    const result = this.respond((this.attempts += 1));
    if (result.ok) this.sent.push({ platform, chatId, text, picture });
    return result;
  }
}

let t: TestDb;
let clock: TestClock;
let shop: ShopRecord;
let digest: SqliteDigestStore;

beforeEach(async () => {
  t = createTestDb();
  shop = await seedPictureShop(t.store);
  digest = new SqliteDigestStore(t.db);
  const access = new SqliteAccessStore(t.db);
  await access.bind({ shopId: shop.id, platform: 'telegram', chatId: 'boss', audience: 'owner', title: null }, PICTURE_DIGEST_AT);
  await access.bind({ shopId: shop.id, platform: 'wechat', chatId: 'group', audience: 'staff', title: '仓库群' }, PICTURE_DIGEST_AT);
  clock = new TestClock(new Date(PICTURE_DIGEST_AT.getTime() + 60_000));
});
afterEach(() => t.cleanup());

function scheduler(outbox: DigestOutbox, pictures: PictureRenderer = createPictureRenderer()) {
  return new DigestScheduler({ shops: () => t.store.listShops(), queries: digest, runs: digest, outbox, clock, logger: silent, instanceId: 'A', pictures });
}

describe('the scheduled digest as a picture', () => {
  it('sends each chat its audience’s picture with the text, once chosen', async () => {
    await digest.updateSettings(shop.id, { digestPicture: true });
    const outbox = new PictureOutbox();
    await scheduler(outbox).tick();
    expect(outbox.sent.map((s) => [s.platform, s.chatId, s.picture?.name])).toEqual([
      ['telegram', 'boss', '日报-2026-11-27.png'],
      ['wechat', 'group', '日报-2026-11-27.png'],
    ]);
    const [owner, staff] = outbox.sent;
    for (const s of outbox.sent) expect([...(s.picture?.bytes ?? new Uint8Array()).subarray(0, 8)]).toEqual(PNG);
    // Two copies: the staff picture is drawn without the owner's cards, so it is a different picture.
    expect(Buffer.from(owner?.picture?.bytes ?? []).equals(Buffer.from(staff?.picture?.bytes ?? []))).toBe(false);
    expect(owner?.text).toContain('💰 今日毛利');
    expect(staff?.text).not.toContain('毛利');
  });

  it('sends the same picture again on a retry', async () => {
    await digest.updateSettings(shop.id, { digestPicture: true });
    const outbox = new PictureOutbox();
    outbox.respond = (attempt) => (attempt === 1 ? { ok: false, permanent: false, error: 'network down' } : { ok: true });
    const s = scheduler(outbox);
    await s.tick();
    const stored = t.db.prepare("SELECT image FROM DigestDelivery WHERE chatId = 'boss'").get() as { image: Buffer };
    clock.advance(10 * 60_000);
    await s.tick();
    const boss = outbox.sent.find((m) => m.chatId === 'boss');
    expect(Buffer.from(boss?.picture?.bytes ?? []).equals(stored.image)).toBe(true);
  });

  it('sends the text alone when the shop did not choose pictures, or the picture cannot be drawn', async () => {
    const outbox = new PictureOutbox();
    let drawn = 0;
    const counting: PictureRenderer = { render: async () => ((drawn += 1), new Uint8Array(PNG)) };
    await scheduler(outbox, counting).tick();
    expect(outbox.sent.map((s) => s.picture)).toEqual([undefined, undefined]);
    expect(drawn).toBe(0);

    await digest.updateSettings(shop.id, { digestPicture: true });
    clock.advance(86_400_000);
    const broken: PictureRenderer = { render: () => Promise.reject(new Error('no font')) };
    const later = new PictureOutbox();
    await scheduler(later, broken).tick();
    expect(later.sent.map((s) => [s.chatId, s.picture, s.text.split('\n')[0]])).toEqual([
      ['boss', undefined, '📋 小王的店 日报 11月28日（截至 21:01）'],
      ['group', undefined, '📋 小王的店 日报 11月28日（截至 21:01）'],
    ]);
  });
});
