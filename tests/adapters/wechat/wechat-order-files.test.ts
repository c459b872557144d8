import { FileBox } from 'file-box';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { CONFIRM_HINT, NOTHING_PENDING, OWNER_ONLY_IMPORT } from '../../../src/bot/files/file-replies.ts';
import { startMockWechat, type ContactMock, type MockWechat, type RoomMock } from './mock-wechat.ts';

const DOUYIN = readFileSync(new URL('../../fixtures/orders/douyin.csv', import.meta.url));

let w: MockWechat | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** `from` sends a file; typed as an attachment, as WeChat sends every document (see wechat-files.test.ts). */
async function sendFile(wechat: MockWechat, from: ContactMock, name: string, bytes: Buffer, to: RoomMock | ContactMock): Promise<string> {
  const before = wechat.sent.length;
  from.say(FileBox.fromBase64(bytes.toString('base64'), name)).to(to);
  const id = [...wechat.mocker.cacheMessagePayload.keys()].at(-1) ?? '';
  const payload = wechat.mocker.cacheMessagePayload.get(id);
  if (payload) payload.type = types.Message.Attachment;
  await wechat.bot.idle();
  const chat = to.id === wechat.me.id ? from.id : to.id;
  return wechat.sent
    .slice(before)
    .filter((s) => s.chatId === chat && s.text !== '')
    .map((s) => s.text)
    .join('\n');
}

const stockOf = async (wechat: MockWechat, product: string): Promise<number> =>
  (await wechat.app.store
        .stock((await wechat.app.store.shopByName('小店'))?.id ?? 0))
    .filter((r) => r.product === product)
    .reduce((sum, r) => sum + r.qtyMilli / 1000, 0);

describe('a 抖店 order export over WeChat', () => {
  it('the owner imports it once in the private chat; staff in the group are refused', async () => {
    const wechat = await startMockWechat();
    w = wechat;
    const boss = wechat.contact('老板');
    const li = wechat.contact('小李');
    const room = wechat.room('仓库群', [boss, li]);
    expect((await wechat.say(boss, '开店 小店', room)).replies[0]).toContain('已开通');
    const code = (await wechat.say(boss, '绑定码', room)).replies[0]?.match(/绑定码 (\w+)/)?.[1];
    expect((await wechat.say(boss, `绑定 ${code}`, wechat.me)).replies[0]).toContain('老板私聊');
    await wechat.say(boss, '设置 群成员 店员', room);
    for (const line of ['11月1日 进货 T恤 50 件 单价 20', '11月1日 进货 短裤 30 件 单价 15', '设置 T恤 编码 TS-01', '设置 短裤 编码 DK-01']) {
      expect((await wechat.say(boss, line, wechat.me)).replies[0]).toMatch(/^✅/);
    }

    await wechat.say(li, '你好', room);
    expect(await sendFile(wechat, li, 'douyin.csv', DOUYIN, room)).toBe(OWNER_ONLY_IMPORT);

    const preview = await sendFile(wechat, boss, 'douyin.csv', DOUYIN, wechat.me);
    expect(preview).toContain('🔍 试导入抖店订单：douyin.csv');
    expect(preview).toContain('✅ 将记销售 3 行：数量 3，金额 143.90 元（渠道 抖音）');
    expect(preview).toContain(CONFIRM_HINT);
    expect(await stockOf(wechat, 'T恤')).toBe(50);

    const done = (await wechat.say(boss, '确认导入', wechat.me)).replies.join('\n');
    expect(done).toContain('✅ 已记销售 3 行：数量 3，金额 143.90 元（渠道 抖音）');
    expect(done).toContain('↩️ 已记退货 1 行（退款成功的订单）');
    // T恤: 50 − 1 − 1 + 1 (after-sale completed); 短裤 30 − 1.
    expect([await stockOf(wechat, 'T恤'), await stockOf(wechat, '短裤')]).toEqual([49, 29]);

    const again = await sendFile(wechat, boss, 'douyin.csv', DOUYIN, wechat.me);
    expect(again).toContain('之前已导入过 4 笔（同一平台、订单号和商品行），这次没有重复记录。');
    expect((await wechat.say(boss, '确认导入', wechat.me)).replies.join('\n')).toContain(NOTHING_PENDING);
    expect([await stockOf(wechat, 'T恤'), await stockOf(wechat, '短裤')]).toEqual([49, 29]);
  });
});
