import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTHING_PENDING, OWNER_ONLY_IMPORT, SEND_THE_FILE } from '../../src/bot/files/file-replies.ts';
import type { GatewayMessage } from '../../src/bot/gateway.ts';
import { createConfig } from '../../src/config.ts';
import { createApp, type App } from '../../src/main.ts';
import { migratedDatabaseFile } from '../helpers/db.ts';

const STOCK_CSV = ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20', '袜子,,双,100,2.5', ''].join('\n');

let dir: string;
let app: App;
let n = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-files-'));
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

const say = async (chatId: string, userId: string, text: string, extra: Partial<GatewayMessage> = {}) => (await app.gateway.respond(message(chatId, userId, text, extra)))?.text;

const csv = (name = '期初库存.csv', content = STOCK_CSV) => ({ name, size: content.length, read: () => Promise.resolve(new Uint8Array(Buffer.from(content, 'utf8'))) });

describe('file intents through the gateway', () => {
  it('imports once when 确认导入 arrives twice at the same moment', async () => {
    await say('p-boss', 'boss', '开店 小店');
    expect(await say('p-boss', 'boss', '', { file: csv() })).toContain('将导入 2 行');
    const answers = await Promise.all([say('p-boss', 'boss', '确认导入'), say('p-boss', 'boss', '确认导入')]);
    expect(answers.filter((a) => a?.includes('✅ 已导入 2 行'))).toHaveLength(1);
    expect(answers.filter((a) => a === NOTHING_PENDING)).toHaveLength(1);
    const shop = await app.store.shopByName('小店');
    expect(await app.store.entries(shop?.id ?? 0)).toHaveLength(2);
  });

  it('lets only the person who sent the file confirm it', async () => {
    await say('p-boss', 'boss', '开店 小店');
    await say('p-boss', 'boss', '', { file: csv() });
    // Another owner account in the same chat finds nothing of theirs waiting.
    expect(await say('p-boss', 'boss2', '确认导入')).not.toContain('已导入');
    expect(await say('p-boss', 'boss', '确认导入')).toContain('✅ 已导入 2 行');
  });

  it('answers 导入 without a file with how to send one, and stays silent on chatter and files in unbound groups', async () => {
    await say('p-boss', 'boss', '开店 小店');
    expect(await say('p-boss', 'boss', '导入')).toBe(SEND_THE_FILE);
    // Only the console opens paths.
    expect(await say('p-boss', 'boss', '导入 /etc/passwd')).toBe(SEND_THE_FILE);
    expect(await app.gateway.respond(message('g-other', 'x', '', { file: csv() }))).toBeNull();
    expect(await say('p-boss', 'boss', '取消')).toBe('没有待确认的导入，不用取消。');
  });

  it('refuses a removed owner account and staff in a group', async () => {
    await say('g1', 'boss', '开店 小店');
    await say('g1', 'li', '你好');
    expect(await say('g1', 'li', '', { file: csv() })).toBe(OWNER_ONLY_IMPORT);
    expect(await say('g1', 'li', '导出 库存')).toMatch(/^⛔ 你的身份是「.+」，这个操作需要「老板」权限。$/);
    await say('g1', 'boss', '移除 @li');
    expect(await say('g1', 'li', '导出 库存')).toBe('⛔ 你已被移出本店，不能再操作。如有疑问请联系老板。');
    expect(await app.store.entries(1)).toEqual([]);
  });
});
