import type { Bot } from 'grammy';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { CONFIRM_HINT, NOTHING_PENDING, OWNER_ONLY_IMPORT } from '../../../src/bot/files/file-replies.ts';
import { boss, BOT_INFO, createTestApp, entryCount, interceptCalls, li, nextMessageId, stockOf, textUpdate, TOKEN, update, warehouse, type ApiCall, type TestApp, type TestUser } from './harness.ts';

const dm = { id: boss.id, type: 'private' };
/** The 拼多多 export as Excel in China saves it: GBK. */
const PDD = iconv.encode(readFileSync(new URL('../../fixtures/orders/pinduoduo.csv', import.meta.url)).toString('utf8').replace(/^\uFEFF/, ''), 'gbk');

let t: TestApp;
let bot: Bot;
let calls: ApiCall[];
const files = new Map<string, Uint8Array>();

beforeEach(async () => {
  t = await createTestApp();
  bot = createTelegramBot(
    t.app,
    { mode: 'polling', token: TOKEN },
    { botInfo: BOT_INFO, throttle: false, download: (_api, fileId) => Promise.resolve(files.get(fileId) ?? new Uint8Array()) },
  );
  calls = interceptCalls(bot);
});
afterEach(async () => {
  await t.cleanup();
});

const textOf = (sent: ApiCall[]): string => sent.map((c) => String(c.payload.text ?? '')).join('\n');

async function say(from: TestUser, text: string, chat: { id: number; type: string; title?: string } = dm): Promise<string> {
  const before = calls.length;
  await bot.handleUpdate(textUpdate(from, text, chat));
  return textOf(calls.slice(before));
}

async function sendDocument(from: TestUser, fileName: string, bytes: Uint8Array, chat: { id: number; type: string; title?: string } = dm, caption?: string): Promise<ApiCall[]> {
  const id = nextMessageId();
  files.set(`f${id}`, bytes);
  const before = calls.length;
  await bot.handleUpdate(
    update({
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat,
        from,
        document: { file_id: `f${id}`, file_unique_id: `u${id}`, file_name: fileName, file_size: bytes.byteLength },
        ...(caption === undefined ? {} : { caption }),
      },
    }),
  );
  return calls.slice(before);
}

describe('a 拼多多 order export sent on Telegram', () => {
  it('is imported once by the owner; staff are refused; sending it again records nothing', async () => {
    expect(await say(boss, '开店 小店')).toContain('已开通');
    const code = /绑定码 ([A-Z0-9]+)/.exec(await say(boss, '绑定码'))?.[1];
    expect(await say(boss, `绑定 ${code ?? ''}`, warehouse)).toContain('已绑定');
    await say(boss, '设置 群成员 店员', warehouse);
    for (const line of ['11月1日 进货 T恤 50 件 单价 20', '11月1日 进货 短裤 30 件 单价 15', '设置 T恤 编码 TS-01', '设置 短裤 编码 DK-01']) {
      expect(await say(boss, line)).toMatch(/^✅/);
    }
    const bought = await entryCount(t.app, '小店');

    const preview = textOf(await sendDocument(boss, '拼多多订单.csv', PDD));
    expect(preview).toContain('🔍 试导入拼多多订单：拼多多订单.csv（csv，编码 GB18030）');
    expect(preview).toContain('✅ 将记销售 3 行：数量 4，金额 185.00 元（渠道 拼多多）');
    expect(preview).toContain(CONFIRM_HINT);
    expect(await entryCount(t.app, '小店')).toBe(bought);

    // Staff in the warehouse group: the file and 确认导入 are refused, and nothing is written.
    await say(li, '今天发了几单', warehouse);
    expect(textOf(await sendDocument(li, '拼多多订单.csv', PDD, warehouse))).toBe(OWNER_ONLY_IMPORT);
    expect(await say(li, '确认导入', warehouse)).toBe(OWNER_ONLY_IMPORT);
    expect(await entryCount(t.app, '小店')).toBe(bought);

    const confirmed = calls.length;
    expect(await say(boss, '确认导入')).toContain('✅ 已记销售 3 行：数量 4，金额 185.00 元（渠道 拼多多）');
    expect(calls.slice(confirmed).filter((c) => c.method === 'editMessageText').map((c) => String(c.payload.text)).at(-1)).toBe('✅ 导入完成：4 行。');
    expect([await stockOf(t.app, '小店', 'T恤'), await stockOf(t.app, '小店', '短裤')]).toEqual([49, 28]);
    const imported = await entryCount(t.app, '小店');
    expect(imported).toBe(bought + 4);

    const again = textOf(await sendDocument(boss, '拼多多订单(1).csv', PDD, dm, '拼多多'));
    expect(again).toContain('之前已导入过 4 笔（同一平台、订单号和商品行），这次没有重复记录。');
    expect(again).not.toContain(CONFIRM_HINT);
    expect(await say(boss, '确认导入')).toContain(NOTHING_PENDING);
    expect(await entryCount(t.app, '小店')).toBe(imported);
    expect([await stockOf(t.app, '小店', 'T恤'), await stockOf(t.app, '小店', '短裤')]).toEqual([49, 28]);
  });
});
