import { run } from '@grammyjs/runner';
import { Api, InputFile, webhookCallback, type Bot } from 'grammy';
import type { BotLogger } from '../../bot/engine.ts';
import type { Outbox } from '../../bot/outbox.ts';
import type { TelegramConfig } from '../../config.ts';
import { createHttpServer, type HttpServer } from '../../http-server.ts';
import { apiFailure } from './api-failure.ts';
import { ALLOWED_UPDATES, apiRootOf, createTelegramBot, type TelegramBotOptions } from './bot.ts';
import { telegramSender } from './sender.ts';
import type { TelegramApp } from './telegram-chat.ts';

/** A running bot: `stop()` ends polling or closes the webhook server. */
export interface RunningTelegram {
  bot: Bot;
  /**
   * Settles with the reason if the bot stops by itself: Telegram refused polling for good (the token
   * was revoked, or another process polls with the same token), or the webhook server failed.
   */
  failed: Promise<Error>;
  /** Where the webhook server listens (webhook mode only). */
  listening?: { host: string; port: number } | undefined;
  stop(): Promise<void>;
}

/** The slash commands Telegram offers in its menu; each maps onto the chat language. */
export const BOT_COMMANDS = [
  { command: 'start', description: '开店 / 打招呼' },
  { command: 'stock', description: '查库存，例：/stock T恤' },
  { command: 'digest', description: '今天的日报' },
  { command: 'help', description: '用法' },
] as const;

/** Where the webhook is served: the shared server of `jxc start` (with the web view), or one of its own. */
export interface TelegramStartOptions extends TelegramBotOptions {
  server?: HttpServer | undefined;
}

/** How long Telegram waits for a webhook answer is not published; answer well before a minute. */
const WEBHOOK_ANSWER_MS = 50_000;

/** Runs a start-up call the server may not support (a test server lacks setMyCommands): log and go on. */
async function optional(logger: BotLogger, method: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    logger.warn({ method, err: apiFailure(error) }, 'telegram start-up call failed; continuing');
  }
}

/**
 * Starts the Telegram bot: checks the token (getMe), registers the command menu, registers the
 * outbox sender for digests, then long-polls with grammY's runner or serves the webhook on
 * `config.host`:`config.port` (loopback by default, for a reverse proxy in front), refusing requests without Telegram's secret header (401). Logs never show the token.
 */
export async function startTelegram(
  app: TelegramApp & { outbox: Outbox },
  config: TelegramConfig,
  options: TelegramStartOptions = {},
): Promise<RunningTelegram> {
  const bot = createTelegramBot(app, config, options);
  if (!bot.isInited()) {
    // Asked without the retrying transformers, so a wrong token or no route to Telegram fails now, clearly.
    bot.botInfo = await new Api(config.token, { apiRoot: apiRootOf(config), ...options.client }).getMe();
  }
  const logger = app.logger;
  await optional(logger, 'setMyCommands', () => bot.api.setMyCommands(BOT_COMMANDS));
  app.outbox.register(
    telegramSender(
      (chatId, text) => bot.api.sendMessage(chatId, text),
      app,
      (chatId, picture, caption) => bot.api.sendPhoto(chatId, new InputFile(picture.bytes, picture.name), { caption }),
    ),
  );
  const about = { bot: bot.botInfo.username, mode: config.mode, apiRoot: apiRootOf(config) ?? 'https://api.telegram.org' };

  if (config.mode === 'polling') {
    // getUpdates is refused while a webhook is set, e.g. by an earlier webhook deployment.
    await optional(logger, 'deleteWebhook', () => bot.api.deleteWebhook());
    // Silent: a refusal that stops polling is logged below, structured; network errors are retried by auto-retry.
    const runner = run(bot, { runner: { silent: true, fetch: { allowed_updates: ALLOWED_UPDATES } } });
    const failed = new Promise<Error>((resolve) => {
      runner.task()?.catch((error: unknown) => {
        const conflict = typeof error === 'object' && error !== null && (error as { error_code?: unknown }).error_code === 409;
        logger.error({ err: apiFailure(error) }, conflict ? 'telegram polling stopped: another process polls with this token' : 'telegram polling stopped');
        resolve(error instanceof Error ? error : new Error(String(error)));
      });
    });
    logger.info(about, 'telegram bot started (long polling)');
    return {
      bot,
      failed,
      async stop() {
        if (runner.isRunning()) await runner.stop();
      },
    };
  }

  const path = new URL(config.url).pathname || '/';
  // grammY answers 401 itself when the secret header is missing or wrong.
  const handle = webhookCallback(bot, 'hono', { secretToken: config.secret, onTimeout: 'return', timeoutMilliseconds: WEBHOOK_ANSWER_MS });
  const own = options.server === undefined;
  const server = options.server ?? createHttpServer();
  server.app.post(path, async (c) => {
    try {
      return await handle(c);
    } catch (error) {
      logger.error({ err: apiFailure(error) }, 'telegram webhook update failed');
      return c.body(null, 500);
    }
  });
  const listening = await server.listen(config.port, config.host);
  const failed = server.failed.then((error) => {
    logger.error({ err: apiFailure(error) }, 'telegram webhook server failed');
    return error;
  });
  try {
    await bot.api.setWebhook(config.url, { secret_token: config.secret, allowed_updates: ALLOWED_UPDATES });
  } catch (error) {
    // Telegram keeps an earlier registration; the server stays up so that one still works.
    logger.error({ err: apiFailure(error), url: config.url }, 'setWebhook failed; check TELEGRAM_WEBHOOK_URL');
  }
  logger.info({ ...about, url: config.url, host: config.host, port: config.port, path }, 'telegram bot started (webhook)');
  return {
    bot,
    failed,
    listening,
    // A shared server is closed by whoever made it, after every route's owner stopped.
    stop: () => (own ? server.close() : Promise.resolve()),
  };
}
