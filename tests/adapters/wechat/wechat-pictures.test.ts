import { FileBox } from 'file-box';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockWechat, type MockWechat } from './mock-wechat.ts';

/**
 * Pictures over WeChat on the mock puppet: `日报 图` is answered with the digest as a PNG image and
 * then its text; the staff group's copy has no cost; the outbox sends the scheduled picture the same way.
 */

let w: MockWechat | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** What the bot sent, in order: a file (name and bytes) or a text. */
type Out = { chatId: string; file: { name: string; bytes: Buffer } } | { chatId: string; text: string };

async function start() {
  const wechat = await startMockWechat();
  w = wechat;
  const out: Promise<Out>[] = [];
  wechat.puppet.on('message', ({ messageId }) => {
    const payload = wechat.mocker.messagePayload(messageId);
    if (payload.talkerId !== wechat.me.id) return;
    const chatId = payload.roomId || payload.listenerId || '';
    const json = wechat.mocker.cacheFileBoxPayload.get(messageId);
    if (!json) {
      out.push(Promise.resolve({ chatId, text: payload.text ?? '' }));
      return;
    }
    const box = FileBox.fromJSON(json);
    out.push(box.toBuffer().then((bytes) => ({ chatId, file: { name: box.name, bytes } })));
  });
  const boss = wechat.contact('老板');
  const li = wechat.contact('小李');
  const room = wechat.room('仓库群', [boss, li]);
  await wechat.say(boss, '开店 小店', room);
  const code = (await wechat.say(boss, '绑定码', room)).replies[0]?.match(/绑定码 (\w+)/)?.[1];
  await wechat.say(boss, `绑定 ${code}`, wechat.me);
  await wechat.say(boss, '设置 群成员 店员', room);
  await wechat.say(boss, '进货 T恤 50 件 单价 20', wechat.me);
  await wechat.say(li, '卖了 T恤 3件 59元 淘宝', room);
  const sent = async () => (await Promise.all(out)).filter((o) => !('text' in o) || o.text !== '');
  return { w: wechat, boss, li, room, sent };
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('pictures over WeChat', () => {
  it('answers 日报 图 with the image, then the digest text', async () => {
    const { w, boss, sent } = await start();
    const before = (await sent()).length;
    await w.say(boss, '日报 图', w.me);
    const answer = (await sent()).slice(before);
    expect(answer.map((o) => ('file' in o ? 'image' : 'text'))).toEqual(['image', 'text']);
    const [image, text] = answer;
    if (!image || !('file' in image) || !text || !('text' in text)) throw new Error('unexpected answer');
    expect(image.chatId).toBe(boss.id);
    expect(image.file.name).toMatch(/^日报-\d{4}-\d{2}-\d{2}\.png$/);
    expect([...image.file.bytes.subarray(0, 8)]).toEqual(PNG);
    expect(text.text).toMatch(/^📋 小店 日报/);
    expect(text.text).toContain('💰 今日毛利');
  });

  it('sends the staff group the staff copy', async () => {
    const { w, li, room, sent } = await start();
    const before = (await sent()).length;
    await w.say(li, '日报 图', room);
    const answer = (await sent()).slice(before);
    expect(answer.map((o) => ('file' in o ? 'image' : 'text'))).toEqual(['image', 'text']);
    const text = answer[1];
    expect(text && 'text' in text ? text.text : '').toContain('· T恤 进50件 出3件');
    expect(text && 'text' in text ? text.text : '').not.toMatch(/毛利|成本|库存金额/);
  });

  it("sends the scheduled digest's picture through the outbox", async () => {
    const { w, room, sent } = await start();
    const before = (await sent()).length;
    const bytes = Buffer.from([...PNG, 1, 2, 3]);
    expect(await w.bot.sender.sendPicture?.(room.id, { name: '日报-2026-11-27.png', bytes }, '📋 小店 日报 11月27日')).toEqual({ ok: true });
    await w.bot.idle();
    const answer = (await sent()).slice(before);
    expect(answer).toEqual([
      { chatId: room.id, file: { name: '日报-2026-11-27.png', bytes } },
      { chatId: room.id, text: '📋 小店 日报 11月27日' },
    ]);
    expect(await w.bot.sender.sendPicture?.('no-such-room@chatroom', { name: 'x.png', bytes }, 'x')).toMatchObject({ ok: false, permanent: true });
  });
});
