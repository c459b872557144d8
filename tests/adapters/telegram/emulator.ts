import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { ClientOptions, TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { freePort } from './harness.ts';

/** What telegram-test-api's getMe answers: every emulated bot is this one. */
export const EMULATED_BOT = { id: 666, username: 'TestNameBot', first_name: 'Test First name' };

/** A Bot API emulator on a free loopback port; stop it with `server.stop()`. */
export async function startEmulator(): Promise<TelegramServer> {
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  return server;
}

/** Counts updates a bot (grammY or Telegraf) has finished handling, so a test knows when to look. */
export interface Handled {
  count: number;
  lastMessageId: number | undefined;
}

export function countHandled(bot: object): Handled {
  const target = bot as { handleUpdate: (update: unknown, ...rest: unknown[]) => Promise<void> };
  const original = target.handleUpdate.bind(target);
  const handled: Handled = { count: 0, lastMessageId: undefined };
  target.handleUpdate = async (update: unknown, ...rest: unknown[]) => {
    try {
      await original(update, ...rest);
    } finally {
      handled.lastMessageId = (update as { message?: { message_id: number } }).message?.message_id;
      handled.count += 1;
    }
  };
  return handled;
}

/** A message the bot sent, as the emulator stored it. */
export interface BotMessage {
  messageId: number;
  text: string;
  /** The message it replies to. */
  replyTo: number | undefined;
  /** The callback data of its 撤销 button, if it has one. */
  undo: string | undefined;
}

export interface Said {
  messageId: number;
  text: string;
  replies: BotMessage[];
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One person in one chat of the emulator, talking to the bot with `token`. */
export class Member {
  readonly client: TelegramClient;

  constructor(
    private readonly server: TelegramServer,
    private readonly token: string,
    private readonly handled: Handled,
    readonly options: Partial<ClientOptions> & { chatId: number; userId: number },
  ) {
    this.client = server.getClient(token, options);
  }

  /** The bot's messages in this chat, oldest first. */
  botMessages(): BotMessage[] {
    return this.server.storage.botMessages
      .filter((m) => m.botToken === this.token && String(m.message.chat_id) === String(this.options.chatId))
      .map((m) => {
        const message = m.message as { text: string; reply_parameters?: { message_id: number }; reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } };
        return {
          messageId: m.messageId,
          text: message.text,
          replyTo: message.reply_parameters?.message_id,
          undo: message.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data,
        };
      });
  }

  /** Sends a message (`extra` overrides fields, e.g. reply_to_message) and waits until the bot handled it. */
  async say(text: string, extra: Record<string, unknown> = {}): Promise<Said> {
    const target = this.handled.count + 1;
    const before = this.botMessages().length;
    await this.client.sendMessage(this.client.makeMessage(text, extra));
    await until(() => this.handled.count >= target, `the bot to handle「${text}」`);
    return { messageId: this.handled.lastMessageId ?? -1, text, replies: this.botMessages().slice(before) };
  }

  /** `reply_to_message` for replying to one of the bot's messages. */
  replyToBot(message: BotMessage): Record<string, unknown> {
    return {
      reply_to_message: {
        message_id: message.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.options.chatId, type: this.options.type ?? 'private' },
        from: { id: EMULATED_BOT.id, is_bot: true, first_name: EMULATED_BOT.first_name, username: EMULATED_BOT.username },
        text: message.text,
        // Telegram includes the replied message's inline keyboard.
        ...(message.undo === undefined ? {} : { reply_markup: { inline_keyboard: [[{ text: '撤销', callback_data: message.undo }]] } }),
      },
    };
  }

  /** `reply_to_message` for replying to a message someone (`author`) said. */
  replyTo(said: Said, author: Member): Record<string, unknown> {
    return {
      reply_to_message: {
        message_id: said.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.options.chatId, type: this.options.type ?? 'private' },
        from: { id: author.options.userId, is_bot: false, first_name: author.options.firstName ?? 'TestName' },
        text: said.text,
      },
    };
  }
}
