import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Context, MiddlewareFn, Telegram } from 'telegraf';
import type { OutgoingFile } from '../../bot/files/files.port.ts';
import type { Outbox } from '../../bot/outbox.ts';
import type { DownloadFile } from './documents.ts';
import { telegramSender } from './sender.ts';
import { TelegramChat, type TelegramApp, type TelegramCalls } from './telegram-chat.ts';
import { malformedUpdate } from './telegram-update.ts';

export interface JxcTelegrafOptions {
  /**
   * The bot's `Telegram` client (`bot.telegram`). When given, the daily digest and alerts are sent
   * through it; without it the host bot only answers messages.
   */
  telegram?: Telegram | undefined;
}

/** The Bot API port of the conversation, on Telegraf's `Telegram` client. */
export function telegrafCalls(telegram: Telegram): TelegramCalls {
  return {
    sendMessage: (chatId, text, options) => telegram.sendMessage(chatId, text, { reply_parameters: options.reply_parameters, reply_markup: options.reply_markup }),
    editMessageText: (chatId, messageId, text, options) => telegram.editMessageText(chatId, messageId, undefined, text, { reply_markup: options.reply_markup }),
    answerCallbackQuery: (id, options) => telegram.answerCbQuery(id, options.text, { show_alert: options.show_alert }),
    sendDocument: (chatId, file, options) => telegram.sendDocument(chatId, telegrafInput(file), { caption: file.caption, reply_parameters: options.reply_parameters }),
    sendPhoto: (chatId, file, options) => telegram.sendPhoto(chatId, telegrafInput(file), { caption: options.caption, reply_parameters: options.reply_parameters }),
    download: telegrafDownload(telegram),
  };
}

/** Telegraf's upload form of a file the conversation sends: bytes, or a stream for a large export. */
function telegrafInput(file: OutgoingFile): { source: Buffer; filename: string } | { source: Readable; filename: string } {
  return 'bytes' in file ? { source: Buffer.from(file.bytes), filename: file.name } : { source: Readable.from(file.stream), filename: file.name };
}

/**
 * Downloads a document someone sent: Telegraf's getFileLink (getFile, then the Bot API's file URL),
 * fetched with the platform's fetch; a self-hosted Bot API server gives a local path instead.
 */
export function telegrafDownload(telegram: Telegram): DownloadFile {
  return async (fileId) => {
    const link = await telegram.getFileLink(fileId);
    if (link.protocol === 'file:') return new Uint8Array(await readFile(link));
    const response = await fetch(link);
    if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * Telegraf middleware for sellers who already run a Telegraf bot: inventory messages, their edits
 * and the 「撤销」 buttons are handled by the same conversation as the grammY bot; everything else
 * (chatter, other commands, other buttons, non-text) goes on to `next()`. Mount it after the host
 * bot's own command handlers, because it answers /start, /help, /stock and /digest.
 *
 * ```ts
 * import { createApp, createConfig, jxcTelegraf } from 'jxc-bot/telegraf';
 * const app = createApp(createConfig(process.env));
 * bot.use(jxcTelegraf(app, { telegram: bot.telegram }));
 * ```
 */
export function jxcTelegraf(app: TelegramApp & { outbox?: Outbox | undefined }, options: JxcTelegrafOptions = {}): MiddlewareFn<Context> {
  const chat = new TelegramChat(app);
  const telegram = options.telegram;
  if (telegram && app.outbox) {
    app.outbox.register(
      telegramSender(
        (chatId, text) => telegram.sendMessage(chatId, text),
        app,
        (chatId, picture, caption) => telegram.sendPhoto(chatId, { source: Buffer.from(picture.bytes), filename: picture.name }, { caption }),
      ),
    );
  }
  return async (ctx, next) => {
    const update: unknown = ctx.update;
    // An authenticated but malformed update (null, no `from`, text that is not text) is the host
    // bot's business: logged and passed on, never a TypeError out of the conversation.
    const problem = malformedUpdate(update);
    if (problem !== undefined) {
      const id = typeof update === 'object' && update !== null ? (update as { update_id?: unknown }).update_id : undefined;
      app.logger.warn({ update: typeof id === 'number' ? id : null, problem }, 'malformed telegram update passed on');
      await next();
      return;
    }
    const valid = ctx.update;
    const me = { id: ctx.botInfo.id, username: ctx.botInfo.username };
    const calls = telegrafCalls(ctx.telegram);
    let handled = false;
    if ('message' in valid) handled = await chat.onMessage(valid.message, me, calls);
    else if ('edited_message' in valid) handled = await chat.onEditedMessage(valid.edited_message, me, calls);
    else if ('callback_query' in valid) handled = await chat.onCallbackQuery(valid.callback_query, calls);
    if (!handled) await next();
  };
}
