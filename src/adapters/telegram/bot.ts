import { autoRetry, type AutoRetryOptions } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { Bot, Composer, type Api, type ApiClientOptions, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { TelegramConfig } from '../../config.ts';
import { apiFailure } from './api-failure.ts';
import { botApiDownload, inputFile, type TelegramFilesOptions } from './documents.ts';
import { RecentMap } from './recent.ts';
import { TelegramChat, type TelegramApp, type TelegramCalls } from './telegram-chat.ts';
import { malformedUpdate } from './telegram-update.ts';

/** Extra knobs for `createTelegramBot`; production needs none of them. */
export interface TelegramBotOptions {
  /** The bot's identity when already known; skips getMe (tests feed updates with a preset one). */
  botInfo?: UserFromGetMe | undefined;
  /** More Bot API client options (timeouts, a custom fetch). */
  client?: ApiClientOptions | undefined;
  /** Limits for outgoing calls (default: Telegram's published limits); false turns throttling off. */
  throttle?: APIThrottlerOptions | false | undefined;
  /** How 429s and network errors are retried. */
  retry?: Partial<AutoRetryOptions> | undefined;
  /** Replaces downloading documents from the Bot API (tests hand over the bytes). */
  download?: TelegramFilesOptions['download'];
}

/** Updates the bot asks Telegram for: everything else (channel posts, reactions…) is never fetched. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** Update ids remembered to drop a redelivered update before it is handled twice. */
const SEEN_UPDATES = 2_000;

/** The Bot API port of the conversation, on grammY's `Api`; with `files`, documents are downloaded and sent too. */
export function grammyCalls(api: Api, files?: TelegramFilesOptions): TelegramCalls {
  return {
    sendMessage: (chatId, text, options) => api.sendMessage(chatId, text, { reply_parameters: options.reply_parameters, reply_markup: options.reply_markup }),
    editMessageText: (chatId, messageId, text, options) => api.editMessageText(chatId, messageId, text, { reply_markup: options.reply_markup }),
    answerCallbackQuery: (id, options) => api.answerCallbackQuery(id, options),
    sendDocument: (chatId, file, options) => api.sendDocument(chatId, inputFile(file), { caption: file.caption, reply_parameters: options.reply_parameters }),
    sendPhoto: (chatId, file, options) => api.sendPhoto(chatId, inputFile(file), { caption: options.caption, reply_parameters: options.reply_parameters }),
    download: files ? botApiDownload(api, files) : undefined,
  };
}

/** Telegram's own server unless a self-hosted Bot API server is configured (grammY wants no trailing slash). */
export function apiRootOf(config: Pick<TelegramConfig, 'apiRoot'>): string | undefined {
  return config.apiRoot?.replace(/\/+$/, '');
}

/**
 * The conversation as grammY middleware: messages, documents, edits and 「撤销」 buttons, handled in
 * order per chat (so a sale never overtakes the purchase before it), with redelivered updates
 * dropped. With `files` the bot can download the documents people send (spreadsheets to import).
 */
export function telegramComposer(app: TelegramApp, chat = new TelegramChat(app), files?: TelegramFilesOptions): Composer<Context> {
  const composer = new Composer<Context>();
  const seen = new RecentMap<number, true>(SEEN_UPDATES);
  const inFlight = new Set<number>();
  composer.use(async (ctx, next) => {
    const id = ctx.update.update_id;
    if (seen.has(id) || inFlight.has(id)) return;
    inFlight.add(id);
    try {
      await next();
      // Remembered only once handled: an update whose handling failed is tried again when redelivered.
      seen.set(id, true);
    } finally {
      inFlight.delete(id);
    }
  });
  composer.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
  composer.on('message', async (ctx) => {
    await chat.onMessage(ctx.message, ctx.me, grammyCalls(ctx.api, files));
  });
  composer.on('edited_message', async (ctx) => {
    await chat.onEditedMessage(ctx.editedMessage, ctx.me, grammyCalls(ctx.api));
  });
  composer.on('callback_query:data', async (ctx) => {
    await chat.onCallbackQuery(ctx.callbackQuery, grammyCalls(ctx.api));
  });
  return composer;
}

/**
 * Builds the grammY bot for one token, with no module state: outgoing calls are throttled to
 * Telegram's limits and retried on 429 and network errors, so a digest to many groups arrives
 * whole. Start it with `startTelegram`, or feed it updates with `bot.handleUpdate` in tests.
 */
export function createTelegramBot(app: TelegramApp, config: TelegramConfig, options: TelegramBotOptions = {}): Bot {
  const bot = new Bot(config.token, {
    botInfo: options.botInfo,
    client: { apiRoot: apiRootOf(config), ...options.client },
  });
  // Installed first, so it runs closest to the network: retries re-enter the throttle.
  if (options.throttle !== false) bot.api.config.use(apiThrottler(options.throttle ?? {}));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 300, ...options.retry }));
  // Every way in (polling, webhook, tests) goes through handleUpdate: an update the bot cannot read is
  // logged and dropped here, so the webhook answers 200 instead of failing with a TypeError.
  const handleUpdate = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, webhookReplyEnvelope) => {
    const problem = malformedUpdate(update);
    if (problem !== undefined) {
      const id = typeof update === 'object' && update !== null ? (update as { update_id?: unknown }).update_id : undefined;
      app.logger.warn({ update: typeof id === 'number' ? id : null, problem }, 'malformed telegram update ignored');
      return;
    }
    await handleUpdate(update, webhookReplyEnvelope);
  };
  bot.use(telegramComposer(app, undefined, { token: config.token, apiRoot: apiRootOf(config), download: options.download }));
  bot.catch((error) => {
    app.logger.error({ err: apiFailure(error.error), update: error.ctx.update.update_id }, 'telegram update failed');
  });
  return bot;
}
