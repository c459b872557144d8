import type { Context, MiddlewareFn, Telegram } from 'telegraf';
import type { Outbox } from '../../bot/outbox.ts';
import { telegramSender } from './sender.ts';
import { TelegramChat, type TelegramApp, type TelegramCalls } from './telegram-chat.ts';


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
  if (telegram && app.outbox) app.outbox.register(telegramSender((chatId, text) => telegram.sendMessage(chatId, text), app));
  return async (ctx, next) => {
    const update = ctx.update;
    const me = { id: ctx.botInfo.id, username: ctx.botInfo.username };
    const calls = telegrafCalls(ctx.telegram);
    let handled = false;
    if ('message' in update) handled = await chat.onMessage(update.message, me, calls);
    else if ('edited_message' in update) handled = await chat.onEditedMessage(update.edited_message, me, calls);
    else if ('callback_query' in update) handled = await chat.onCallbackQuery(update.callback_query, calls);
    if (!handled) await next();
  };
}
