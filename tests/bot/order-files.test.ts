import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTHING_PENDING, OWNER_ONLY_IMPORT } from '../../src/bot/files/file-replies.ts';
import type { GatewayMessage } from '../../src/bot/gateway.ts';
import { createConfig } from '../../src/config.ts';
import { createApp, type App } from '../../src/main.ts';
import { migratedDatabaseFile } from '../helpers/db.ts';

const TAOBAO = readFileSync(new URL('../fixtures/orders/taobao-qianniu.csv', import.meta.url)).toString('utf8');

let dir: string;
let app: App;
let n = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-order-files-'));
  app = await createApp(createConfig({ DATABASE_URL: `file:${migratedDatabaseFile(dir)}`, LOG_LEVEL: 'silent' }));
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function message(chatId: string, userId: string, text: string, extra: Partial<GatewayMessage> = {}): GatewayMessage {
  n += 1;
  return { platform: 'wechat', chatId, chatType: chatId.startsWith('p') ? 'private' : 'group', messageId: String(n), userId, userName: userId, text, ...extra };
}

const say = async (chatId: string, userId: string, text: string, extra: Partial<GatewayMessage> = {}) => (await app.gateway.respond(message(chatId, userId, text, extra)))?.text ?? null;

/** The 淘宝 export as Excel in China saves it (GBK), sent as a file. */
const orderFile = (name = '淘宝订单.csv', caption?: string) => {
  const bytes = iconv.encode(TAOBAO, 'gbk');
  return { name, size: bytes.length, caption, read: () => Promise.resolve(new Uint8Array(bytes)) };
};

/** A shop whose catalogue the orders name: codes for T恤 and 短裤, the platform title as 袜子's alias; stock bought on 11月1日. */
async function openShop(chatId: string, owner: string): Promise<number> {
  await say(chatId, owner, '开店 网店');
  for (const line of ['11月1日 进货 T恤 50 件 单价 20', '11月1日 进货 短裤 30 件 单价 15', '11月1日 进货 袜子 100 双 单价 2.5', '设置 T恤 编码 TS-01', '设置 短裤 编码 DK-01', '别名 袜子 纯棉袜子']) {
    expect(await say(chatId, owner, line)).toMatch(/^✅/);
  }
  return (await app.store.shopByName('网店'))?.id as number;
}

const channelEntries = async (shopId: number) => (await app.store.entries(shopId)).filter((e) => e.channel !== null);

describe('an order export sent to the bot', () => {
  it('is previewed, confirmed by the owner, and sending it again records nothing twice', async () => {
    const shop = await openShop('p-boss', 'boss');

    const preview = await say('p-boss', 'boss', '', { file: orderFile() });
    expect(preview).toContain('🔍 试导入淘宝/天猫订单：淘宝订单.csv（csv，编码 GB18030）');
    expect(preview).toContain('✅ 将记销售 4 行：数量 7，金额 231.70 元（渠道 淘宝）');
    expect(preview).toContain('❓ 没对上商品，没有记账 2 行：');
    expect(preview).toContain('回复「确认导入」导入，或发「取消」（10 分钟内有效）');
    expect(await channelEntries(shop)).toEqual([]);

    const done = await say('p-boss', 'boss', '确认导入');
    expect(done).toContain('📦 导入淘宝/天猫订单：淘宝订单.csv');
    expect(done).toContain('✅ 已记销售 4 行：数量 7，金额 231.70 元（渠道 淘宝）');
    expect(done).toContain('↩️ 已记退货 1 行（退款成功的订单）：数量 1，退款 59.00 元');
    expect(done).toContain('⏭️ 跳过 2 行：交易关闭 1 行、等待买家付款 1 行（没有成交，不记账）');
    expect(await channelEntries(shop)).toHaveLength(5);
    expect(await say('p-boss', 'boss', '查 T恤')).toMatch(/T恤.*48件/);

    // The same file again, a day later: nothing new, nothing waits for confirmation.
    const again = await say('p-boss', 'boss', '', { file: orderFile('淘宝订单(1).csv') });
    expect(again).toContain('之前已导入过 5 笔（同一平台、订单号和商品行），这次没有重复记录。');
    expect(again).toContain('没有要导入的新内容。');
    expect(await say('p-boss', 'boss', '确认导入')).toBe(NOTHING_PENDING);
    expect(await channelEntries(shop)).toHaveLength(5);
  });

  it('keeps the platform named with the file until it is confirmed', async () => {
    const shop = await openShop('p-boss', 'boss');
    expect(await say('p-boss', 'boss', '', { file: orderFile('export.csv', '天猫订单') })).toContain('（渠道 天猫）');
    expect(await say('p-boss', 'boss', '确认导入')).toContain('✅ 已记销售 4 行');
    expect(new Set((await channelEntries(shop)).map((e) => e.channel))).toEqual(new Set(['天猫']));
  });

  it('is refused to staff, and nothing is written', async () => {
    const shop = await openShop('g1', 'boss');
    await say('g1', 'li', '你好');
    const before = (await app.store.entries(shop)).length;
    expect(await say('g1', 'li', '', { file: orderFile() })).toBe(OWNER_ONLY_IMPORT);
    expect(await say('g1', 'li', '确认导入')).toBe(OWNER_ONLY_IMPORT);
    expect(await app.store.entries(shop)).toHaveLength(before);
  });
});
