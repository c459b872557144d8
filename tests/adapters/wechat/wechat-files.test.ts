import { FileBox } from 'file-box';
import { afterEach, describe, expect, it } from 'vitest';
import { types } from 'wechaty';
import { CONFIRM_HINT, EXPORT_IN_PRIVATE, OWNER_ONLY_IMPORT } from '../../../src/bot/files/file-replies.ts';
import { startMockWechat, type ContactMock, type MockWechat, type RoomMock } from './mock-wechat.ts';

const STOCK_CSV = ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20', '袜子,,双,100,2.5', ''].join('\n');

let w: MockWechat | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** A file the bot sent: its name and bytes, read back from the mock puppet. */
interface SentFile {
  chatId: string;
  name: string;
  bytes: Buffer;
}

async function start() {
  const wechat = await startMockWechat();
  w = wechat;
  const files: Promise<SentFile>[] = [];
  wechat.puppet.on('message', ({ messageId }) => {
    const payload = wechat.mocker.messagePayload(messageId);
    const json = wechat.mocker.cacheFileBoxPayload.get(messageId);
    if (payload.talkerId !== wechat.me.id || !json) return;
    const box = FileBox.fromJSON(json);
    files.push(box.toBuffer().then((bytes) => ({ chatId: payload.roomId || payload.listenerId || '', name: box.name, bytes })));
  });
  const boss = wechat.contact('老板');
  const li = wechat.contact('小李');
  const room = wechat.room('仓库群', [boss, li]);
  expect((await wechat.say(boss, '开店 小店', room)).replies[0]).toContain('已开通');
  const code = (await wechat.say(boss, '绑定码', room)).replies[0]?.match(/绑定码 (\w+)/)?.[1];
  expect((await wechat.say(boss, `绑定 ${code}`, wechat.me)).replies[0]).toContain('老板私聊');
  return { w: wechat, boss, li, room, files: async () => Promise.all(files) };
}

/**
 * `from` sends a file to a room or to the bot. WeChat sends every document as an attachment; the
 * mock puppet types only .txt/.doc/.pdf that way, so the message is typed as WeChat would.
 */
async function sendFile(wechat: MockWechat, from: ContactMock, name: string, content: string, to: RoomMock | ContactMock): Promise<string[]> {
  const before = wechat.sent.length;
  from.say(FileBox.fromBase64(Buffer.from(content, 'utf8').toString('base64'), name)).to(to);
  const id = [...wechat.mocker.cacheMessagePayload.keys()].at(-1) ?? '';
  const payload = wechat.mocker.cacheMessagePayload.get(id);
  if (payload) payload.type = types.Message.Attachment;
  await wechat.bot.idle();
  const chat = to.id === wechat.me.id ? from.id : to.id;
  return wechat.sent.slice(before).filter((s) => s.chatId === chat && s.text !== '').map((s) => s.text);
}

const stockOf = async (wechat: MockWechat, product: string): Promise<number> =>
  (await wechat.app.store
        .stock((await wechat.app.store.shopByName('小店'))?.id ?? 0))
    .filter((r) => r.product === product)
    .reduce((sum, r) => sum + r.qtyMilli / 1000, 0);

describe('spreadsheets over WeChat', () => {
  it('previews a file the owner sends privately and imports it on 确认导入', async () => {
    const { w, boss } = await start();
    const preview = await sendFile(w, boss, '期初库存.csv', STOCK_CSV, w.me);
    expect(preview.join('\n')).toContain('试导入期初库存');
    expect(preview.join('\n')).toContain('将导入 2 行');
    expect(preview.join('\n')).toContain(CONFIRM_HINT);
    expect(await stockOf(w, 'T恤')).toBe(0);
    expect((await w.say(boss, '确认导入', w.me)).replies.join('\n')).toContain('✅ 已导入 2 行');
    expect(await stockOf(w, 'T恤')).toBe(50);
    expect(await stockOf(w, '袜子')).toBe(100);
  });

  it('sends the owner an export as a file, with its caption', async () => {
    const { w, boss, files } = await start();
    await w.say(boss, '进货 T恤 50 件 单价 20', w.me);
    await w.say(boss, '出货 T恤 5 件 单价 59', w.me);
    const { replies } = await w.say(boss, '导出 本月', w.me);
    expect(replies).toContain('📊 「小店」本月：流水 2 条，含利润表');
    const sent = await files();
    expect(sent.map((f) => [f.chatId, f.name])).toEqual([[boss.id, '小店-本月-流水利润.xlsx']]);
    expect(sent[0]?.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(sent[0]?.bytes.length).toBeGreaterThan(1000);
  });

  it('refuses in the group: staff files, and the owner is sent to the private chat', async () => {
    const { w, boss, li, room, files } = await start();
    await w.say(boss, '设置 群成员 店员', room);
    await w.say(li, '你好', room);
    expect(await sendFile(w, li, '库存.csv', STOCK_CSV, room)).toEqual([OWNER_ONLY_IMPORT]);
    expect(await sendFile(w, boss, '库存.csv', STOCK_CSV, room)).toEqual([OWNER_ONLY_IMPORT]);
    // Other documents in a group are none of the bot's business.
    expect(await sendFile(w, li, '报价.txt', 'hello', room)).toEqual([]);
    expect((await w.say(li, '导出 本月', room)).replies).toEqual(['⛔ 你的身份是「店员」，这个操作需要「老板」权限。']);
    expect((await w.say(boss, '导出 本月', room)).replies).toEqual([EXPORT_IN_PRIVATE]);
    expect(await files()).toEqual([]);
    expect(await stockOf(w, 'T恤')).toBe(0);
  });
});
