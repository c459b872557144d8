import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../src/adapters/console/console-chat.ts';
import { createPictureRenderer } from '../../src/adapters/pictures/index.ts';
import { SqliteAccessStore } from '../../src/adapters/prisma/sqlite-access.ts';
import type { BotLogger } from '../../src/bot/engine.ts';
import { ChatEngine } from '../../src/bot/engine.ts';
import { ChatGateway, type GatewayMessage } from '../../src/bot/gateway.ts';
import { PICTURE_KINDS, PICTURE_UNAVAILABLE } from '../../src/bot/pictures/picture-replies.ts';
import type { PictureRenderer, PictureView } from '../../src/bot/pictures/picture-view.ts';
import { AccessService } from '../../src/core/access.service.ts';
import { createTestDb, TestClock, engineDeps, type TestDb } from '../helpers/db.ts';

/**
 * Pictures through the gateway, the one place that draws them: the reply carries a PNG file with the
 * text as its caption; the staff view has no owner figures; a picture that cannot be drawn leaves the
 * text with a note; without a renderer the text answers alone; the console saves the PNG.
 */

let t: TestDb;
let clock: TestClock;
let n = 0;
const errors: object[] = [];
const logger: BotLogger = { info() {}, warn() {}, debug() {}, error: (obj) => errors.push(obj) };

beforeEach(() => {
  t = createTestDb();
  clock = new TestClock(new Date('2026-11-27T06:00:00Z'));
  errors.length = 0;
});
afterEach(() => t.cleanup());

function gatewayWith(pictures?: PictureRenderer): ChatGateway {
  return new ChatGateway(new ChatEngine(t.store, clock, engineDeps(t.db)), new AccessService(new SqliteAccessStore(t.db), t.store, clock, { owners: [] }), clock, {
    logger,
    pictures,
  });
}

function message(chatId: string, userId: string, text: string): GatewayMessage {
  n += 1;
  return { platform: 'telegram', chatId, chatType: chatId.startsWith('p') ? 'private' : 'group', messageId: String(n), userId, userName: userId, userHandle: userId, text };
}

/** The owner opens 小店 privately, binds group g1 with staff members, and records a sale. */
async function openShop(gateway: ChatGateway) {
  const say = (chat: string, user: string, text: string) => gateway.respond(message(chat, user, text));
  await say('p-boss', 'boss', '开店 小店');
  const code = (await say('p-boss', 'boss', '绑定码'))?.text.match(/绑定码 (\w+)/)?.[1];
  await say('g1', 'boss', `绑定 ${code}`);
  await say('g1', 'boss', '设置 群成员 店员');
  await say('p-boss', 'boss', '进货 T恤 50 件 单价 20');
  await say('g1', 'li', '卖了 T恤 3件 59元 淘宝');
  return say;
}

/** Records the views it is asked to draw and draws them for real. */
function recording(): PictureRenderer & { views: PictureView[] } {
  const real = createPictureRenderer();
  const views: PictureView[] = [];
  return { views, render: (view) => (views.push(view), real.render(view)) };
}

describe('pictures through the gateway', () => {
  it('answers 日报 图 with a PNG whose caption is the digest; staff get the staff view', async () => {
    const renderer = recording();
    const say = await openShop(gatewayWith(renderer));
    const owner = await say('p-boss', 'boss', '日报 图');
    expect(owner?.file?.picture).toBe(true);
    expect(owner?.file?.name).toBe('日报-2026-11-27.png');
    expect(owner?.file?.caption).toBe(owner?.text);
    expect(owner?.text).toMatch(/^📋 小店 日报 11月27日/);
    const bytes = owner?.file && 'bytes' in owner.file ? owner.file.bytes : new Uint8Array();
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(renderer.views[0]?.figures.map((f) => f.label)).toEqual(['今日销售额', '库存', '缺货/低库存', '积压/滞销', '今日毛利', '本月至今毛利', '库存金额']);

    const staff = await say('g1', 'li', '日报 图');
    expect(staff?.file?.picture).toBe(true);
    expect(renderer.views[1]?.figures.map((f) => f.label)).toEqual(['今日销售额', '库存', '缺货/低库存', '积压/滞销']);
    expect(JSON.stringify(renderer.views[1])).not.toMatch(/毛利|成本|库存金额/);
  });

  it('draws nothing for 利润 图 asked by staff, or for reports without a picture', async () => {
    const renderer = recording();
    const say = await openShop(gatewayWith(renderer));
    const refused = await say('g1', 'li', '利润 本月 图');
    expect(refused?.file).toBeUndefined();
    expect(refused?.text).toContain('老板');
    const top = await say('p-boss', 'boss', '畅销 图');
    expect(top?.file).toBeUndefined();
    expect(top?.text.endsWith(PICTURE_KINDS)).toBe(true);
    expect(renderer.views).toHaveLength(0);
  });

  it('answers with the text and a note when the picture cannot be drawn, and logs why', async () => {
    const say = await openShop(gatewayWith({ render: () => Promise.reject(new Error('font missing')) }));
    const reply = await say('p-boss', 'boss', '日报 图');
    expect(reply?.file).toBeUndefined();
    expect(reply?.failed).toBeUndefined();
    expect(reply?.text).toMatch(/^📋 小店 日报/);
    expect(reply?.text.endsWith(`\n${PICTURE_UNAVAILABLE}`)).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('answers with the text alone where no renderer is wired', async () => {
    const say = await openShop(gatewayWith());
    const reply = await say('p-boss', 'boss', '销量 本月 图');
    expect(reply?.file).toBeUndefined();
    expect(reply?.picture).toBeUndefined();
    expect(reply?.text).toContain('📈 销量 本月');
  });

  it('saves the picture on the console and prints where', async () => {
    const gateway = gatewayWith(createPictureRenderer());
    await gateway.respond({ ...message('console:1', 'boss', '开店 小店'), platform: 'console', chatType: 'private' });
    const shop = await t.store.shopByName('小店');
    if (!shop) throw new Error('no shop');
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    input.end('进货 T恤 50 件 单价 20\n日报 图\n');
    await runConsoleChat({ handle: (m) => gateway.respond(m), shop, user: 'boss', input, output, interactive: false, filesDir: t.dir });
    const path = /📁 已保存到 (.+\.png)/.exec(printed)?.[1] ?? '';
    expect(path.startsWith(t.dir)).toBe(true);
    expect(printed).toContain('📋 小店 日报');
    expect([...readFileSync(path).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
