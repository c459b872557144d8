/**
 * One of the bot processes of the multi-process suite (multi-process.test.ts): the real app on a
 * PostgreSQL database shared with the others, and the real grammY bot with an API transformer that
 * reports every outgoing call to the parent instead of calling Telegram.
 * `node bin/run-ts.js tests/reliability/multi-process-bot.ts DATABASE_URL CLOCK_ISO` (the test runs it compiled, see tests/helpers/compiled-script.ts), with an IPC
 * channel. The parent sends:
 * - `{ type: 'update', key, update }`: fed to `bot.handleUpdate` at once (not awaited before the next
 *   one, so chats run concurrently; the bot keeps each chat's updates in order), answered with
 *   `{ type: 'done', key, error? }` once handled;
 * - `{ type: 'clock', key, at }`: moves this process's clock, answered with `done`;
 * - `{ type: 'tick', key }`: one pass of the digest scheduler, answered with `done`.
 * Every outgoing Bot API call is reported as `{ type: 'call', method, payload }` before the `done`
 * of the update that made it (one IPC channel keeps the order), every log line at warn or above as
 * `{ type: 'log', line }`.
 */
import { Writable } from 'node:stream';
import type { Update } from 'grammy/types';
import pino from 'pino';
import { startDigestScheduler } from '../../src/adapters/cron/index.ts';
import { createTelegramBot } from '../../src/adapters/telegram/bot.ts';
import { telegramSender } from '../../src/adapters/telegram/sender.ts';
import { createConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { BOT_INFO, TOKEN } from '../adapters/telegram/harness.ts';
import { TestClock } from '../helpers/db.ts';

/** What the parent sends. */
export type ToBot = { type: 'update'; key: number; update: Update } | { type: 'clock'; key: number; at: string } | { type: 'tick'; key: number };
/** What this process reports. */
export type FromBot =
  | { type: 'ready'; pid: number }
  | { type: 'done'; key: number; error?: string | undefined }
  | { type: 'call'; method: string; payload: Record<string, unknown> }
  | { type: 'log'; line: string };

const [databaseUrl, clockAt] = process.argv.slice(2);
if (!databaseUrl || !clockAt || !process.send) throw new Error('usage (with an IPC channel): multi-process-bot.ts DATABASE_URL CLOCK_ISO');
const report = (message: FromBot): void => {
  process.send?.(message);
};

const clock = new TestClock(new Date(clockAt));
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') report({ type: 'log', line });
    done();
  },
});
const config = createConfig({ DATABASE_URL: databaseUrl, TELEGRAM_BOT_TOKEN: TOKEN, JXC_TIMEZONE: 'Asia/Shanghai', LOG_LEVEL: 'warn' });
const telegram = config.telegram;
if (!telegram) throw new Error('TELEGRAM_BOT_TOKEN did not configure Telegram');
const app = await createApp(config, { clock, logger: pino({ level: 'warn' }, logs) });

// No throttling (nothing goes to Telegram) and no retries: a failed call must show, not be retried.
const bot = createTelegramBot(app, telegram, { botInfo: BOT_INFO, throttle: false, retry: { maxRetryAttempts: 0 } });
let nextMessageId = 1_000_000 * (process.pid % 1000);
// Installed last, so it runs first: answers as Telegram would, and nothing reaches the network.
bot.api.config.use(async (_prev, method, payload) => {
  const p = (payload ?? {}) as Record<string, unknown>;
  report({ type: 'call', method, payload: p });
  const result = method === 'sendMessage' ? { message_id: nextMessageId++, date: Math.floor(clock.now().getTime() / 1000), chat: { id: p.chat_id, type: 'group' }, text: p.text } : true;
  // The transformer's declared return type depends on the method; this stub answers the ones the suite makes.
  return { ok: true, result } as unknown as Awaited<ReturnType<typeof _prev>>;
});
// The digest goes out through the outbox, as `startTelegram` registers it.
app.outbox.register(telegramSender((chatId, text) => bot.api.sendMessage(chatId, text), app));
// Ticked only when the parent says so: every process ticks "in the same minute" on its command.
const digest = startDigestScheduler(app, { schedule: () => ({ stop() {} }) });
await digest.started;

const failure = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
process.on('message', (message: ToBot) => {
  const done = (work: Promise<unknown>) =>
    void work.then(
      () => report({ type: 'done', key: message.key }),
      (error: unknown) => report({ type: 'done', key: message.key, error: failure(error) }),
    );
  if (message.type === 'update') done(bot.handleUpdate(message.update));
  else if (message.type === 'clock') done(Promise.resolve(clock.set(message.at)));
  else done(digest.tick());
});
process.on('disconnect', () => {
  digest.stop();
  void app.close().finally(() => process.exit(0));
});
report({ type: 'ready', pid: process.pid });
