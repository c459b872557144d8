import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../src/adapters/telegram/split-message.ts';
import { addressedText, toGatewayMessage, type TgMessage } from '../../../src/adapters/telegram/telegram-update.ts';

const me = { id: 666, username: 'jxc_bot' };
const user = { id: 42, is_bot: false, first_name: '小', last_name: '李', username: 'xiaoli' };
const group = { id: -100123, type: 'supergroup', title: '仓库群' };

function message(extra: Partial<TgMessage> = {}): TgMessage {
  return { message_id: 7, date: 1_700_000_000, chat: group, from: user, text: '进货 T恤 50 件 单价 20', ...extra };
}

describe('addressedText', () => {
  it.each([
    ['/stock', '/stock'],
    ['/stock@jxc_bot', '/stock'],
    ['/stock@JXC_Bot T恤', '/stock T恤'],
    ['/help@jxc_bot 进货', '/help 进货'],
    ['@jxc_bot 进货 T恤 5 件', '进货 T恤 5 件'],
    ['@jxc_bot进货 T恤 5 件', '进货 T恤 5 件'],
    ['@jxc_bot，库存', '库存'],
    ['@jxc_bot2 库存', '@jxc_bot2 库存'],
    ['进货 T恤 5 件', '进货 T恤 5 件'],
  ])('%s → %s', (text, expected) => {
    expect(addressedText(text, me.username)).toBe(expected);
  });

  it.each(['/stock@other_bot', '/stock@other_bot T恤', '/start@someone_else'])('%s is for another bot', (text) => {
    expect(addressedText(text, me.username)).toBeUndefined();
  });
});

describe('toGatewayMessage', () => {
  it('maps a supergroup message with the sender, the chat and a reply to the bot', () => {
    const mapped = toGatewayMessage(message({ reply_to_message: { message_id: 5, from: { id: 666, is_bot: true, first_name: 'jxc' }, text: '✅ #1 进货' } }), me);
    expect(mapped).toEqual({
      ok: true,
      message: {
        platform: 'telegram',
        chatId: '-100123',
        chatType: 'group',
        messageId: '7',
        userId: '42',
        userName: '小 李',
        userHandle: 'xiaoli',
        chatTitle: '仓库群',
        text: '进货 T恤 50 件 单价 20',
        replyTo: { messageId: '5', text: '✅ #1 进货', fromBot: true },
      },
    });
  });

  it("takes a reply to a confirmation with a 撤销 button for a reply to that button's message", () => {
    const confirmation = {
      message_id: 5,
      from: { id: 666, is_bot: true, first_name: 'jxc' },
      text: '✅ #2 进货 短裤 30条\n✅ #3 进货 袜子 100双',
      reply_markup: { inline_keyboard: [[{ text: '撤销', callback_data: 'undo:4:e1700000060' }]] },
    };
    const mapped = toGatewayMessage(message({ text: '撤销', reply_to_message: confirmation }), me);
    expect(mapped.ok && mapped.message.replyTo).toEqual({ messageId: '4:e1700000060', text: confirmation.text, fromBot: false });
    const stranger = toGatewayMessage(message({ text: '撤销', reply_to_message: { ...confirmation, from: { id: 9, is_bot: true, first_name: 'x' } } }), me);
    expect(stranger.ok && stranger.message.replyTo?.messageId).toBe('5');
  });

  it('marks a reply to a person as not from the bot, and private chats as private', () => {
    const mapped = toGatewayMessage(message({ chat: { id: 42, type: 'private' }, reply_to_message: { message_id: 3, from: user, text: '进货' } }), me);
    expect(mapped.ok && mapped.message.chatType).toBe('private');
    expect(mapped.ok && mapped.message.replyTo).toEqual({ messageId: '3', text: '进货', fromBot: false });
  });

  it('does not take the first message of a forum topic for a reply', () => {
    const mapped = toGatewayMessage(message({ is_topic_message: true, message_thread_id: 2, reply_to_message: { message_id: 2, from: user } }), me);
    expect(mapped.ok && mapped.message.replyTo).toBeUndefined();
  });

  it.each([
    ['a channel post', { chat: { id: -1009, type: 'channel', title: '频道' }, from: undefined }, 'channel'],
    ['a bot', { from: { id: 9, is_bot: true, first_name: 'other' } }, 'from-bot'],
    ['an anonymous admin', { from: { id: 1087968824, is_bot: true, first_name: 'Group' }, sender_chat: group }, 'from-bot'],
    ['a linked channel post', { from: { id: 777000, is_bot: false, first_name: 'Telegram' }, sender_chat: { id: -1009, type: 'channel' } }, 'on-behalf-of-chat'],
    ['a forward', { forward_origin: { type: 'user' }, forward_date: 1 }, 'forwarded'],
    ['an inline result', { via_bot: { id: 8, is_bot: true, first_name: 'gif' } }, 'via-bot'],
    ['a photo', { text: undefined }, 'not-text'],
    ['a service message', { text: undefined, from: user }, 'not-text'],
    ["another bot's command", { text: '/stock@other_bot' }, 'other-bot'],
  ] as const)('ignores %s', (_name, extra, reason) => {
    expect(toGatewayMessage(message(extra as Partial<TgMessage>), me)).toEqual({ ok: false, reason });
  });
});

describe('splitMessage', () => {
  it('keeps a message up to the limit whole', () => {
    expect(splitMessage('a'.repeat(4096))).toEqual(['a'.repeat(4096)]);
  });

  it('splits on line boundaries, each part within the limit, losing nothing', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `· 商品${i} ${'库存'.repeat(10)} ${i}件`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(4096 * 2);
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(text);
    // No line is cut in half.
    for (const part of parts) for (const line of part.split('\n')) expect(lines).toContain(line);
  });

  it('cuts a single over-long line without breaking a surrogate pair', () => {
    const text = `${'a'.repeat(4095)}😀${'b'.repeat(10)}`;
    const parts = splitMessage(text);
    expect(parts).toEqual(['a'.repeat(4095), `😀${'b'.repeat(10)}`]);
  });
});
