import 'dotenv/config';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { createConfig, ConfigError, type Config } from '../config.ts';
import { createApp, type App } from '../main.ts';
import { consoleChatId, runConsoleChat } from '../adapters/console/console-chat.ts';
import type { ShopRecord } from '../core/ports.ts';
import { exportCommand } from './export-command.ts';
import { importCommand } from './import-command.ts';
import { backupCommand } from './backup-command.ts';
import { digestCommand } from './digest-command.ts';
import { USAGE } from './usage.ts';
import type { Role } from '../bot/permissions.ts';


/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [command = 'start', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    stdout.write(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = createConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`${error.message}\n请检查环境变量或 .env 文件（见 .env.example）。\n`);
      return 2;
    }
    throw error;
  }
  switch (command) {
    case 'start':
      return withApp(config, (app) => start(app, stderr));
    case 'chat':
      return withApp(config, (app) => chat(app, rest, stderr));
    case 'backup':
      return withApp(config, (app) => backupCommand(app, rest, stdout, stderr));
    case 'export':
      return withApp(config, (app) => exportCommand(app, rest, stdout, stderr));
    case 'import':
      return withApp(config, (app) => importCommand(app, rest, stdout, stderr));
    case 'digest':
      return withApp(config, (app) => digestCommand(app, rest, stdout, stderr));
    default:
      stderr.write(`未知命令「${command}」。\n\n${USAGE}`);
      return 2;
  }
}

async function withApp(config: Config, run: (app: App) => Promise<number>): Promise<number> {
  const app = createApp(config);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

async function start(app: App, stderr: NodeJS.WritableStream): Promise<number> {
  const consoleOnly = !app.config.telegram && !app.config.wechat;
  // On a terminal the chat is the interface: keep routine log lines out of it unless asked for.
  if (consoleOnly && process.stdin.isTTY && !process.env.LOG_LEVEL) app.logger.level = 'warn';
  app.logger.info({ database: app.config.databaseUrl }, 'jxc-bot starting');
  if (consoleOnly) {
    stderr.write('未配置聊天平台，进入控制台聊天。\n');
    if (!process.stdin.isTTY) return chat(app, [], stderr);
    // On a terminal the daily digest arrives in the console chat, like in a group.
    app.outbox.register({
      platform: 'console',
      send: async (_chatId, text) => {
        process.stdout.write(`\n${text}\n> `);
        return { ok: true };
      },
    });
    const { startDigestScheduler } = await import('../adapters/cron/index.ts');
    const digest = startDigestScheduler(app);
    try {
      return await chat(app, [], stderr);
    } finally {
      digest.stop();
    }
  }
  const running: { name: string; stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const r of running.reverse()) await r.stop();
  };
  let telegramFailed: Promise<Error> | undefined;
  // Chat libraries are loaded here so that the other commands never load them.
  if (app.config.wechat) {
    const { startWechat } = await import('../adapters/wechat/start-wechat.ts');
    try {
      running.push({ name: 'wechat', ...(await startWechat(app, app.config.wechat)) });
    } catch (error) {
      stderr.write(`微信机器人启动失败：${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    stderr.write(`微信机器人已启动（${app.config.wechat.puppet}），未登录时请用机器人的微信扫终端里的二维码；按 Ctrl-C 停止。\n`);
  }
  if (app.config.telegram) {
    const { startTelegram } = await import('../adapters/telegram/start.ts');
    try {
      const telegram = await startTelegram(app, app.config.telegram);
      running.push({ name: 'telegram', stop: () => telegram.stop() });
      telegramFailed = telegram.failed;
      stderr.write(`Telegram 机器人 @${telegram.bot.botInfo.username} 已启动，按 Ctrl-C 停止。\n`);
    } catch (error) {
      await stopAll();
      stderr.write(`Telegram 机器人启动失败：${error instanceof Error ? error.message : String(error)}\n请检查 TELEGRAM_BOT_TOKEN 和网络（或 TELEGRAM_API_ROOT）。\n`);
      return 1;
    }
  }
  // The digest goes out through whichever adapters registered on the outbox above.
  const { startDigestScheduler } = await import('../adapters/cron/index.ts');
  const digest = startDigestScheduler(app);
  app.gateway.onReply((shopId, reply) => {
    digest.lowStock.afterReply(shopId, reply).catch((error: unknown) => app.logger.warn({ err: error, shop: shopId }, 'low-stock alert failed'));
  });
  let stop: (received: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    stop = (received) => resolve(received);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const outcome = await Promise.race(telegramFailed ? [signalled, telegramFailed] : [signalled]);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  digest.stop();
  await stopAll();
  if (outcome instanceof Error) {
    stderr.write(`Telegram 机器人停止了：${outcome.message}\n`);
    return 1;
  }
  app.logger.info({ signal: outcome }, 'jxc-bot stopped');
  return 0;
}

async function chat(app: App, args: string[], stderr: NodeJS.WritableStream): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { shop: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } },
    }));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const role = (values.role ?? 'owner') as Role;
  if (!['owner', 'staff', 'viewer'].includes(role)) {
    stderr.write(`--role 只能是 owner、staff 或 viewer（收到「${values.role}」）\n`);
    return 2;
  }
  const shop = app.shop(values.shop);
  const user = values.user ?? safeUserName();
  enterConsole(app, shop, user, role);
  const interactive = Boolean(process.stdin.isTTY);
  // On a terminal the chat is the interface: keep routine log lines out of it unless asked for.
  if (interactive && !process.env.LOG_LEVEL) app.logger.level = 'warn';
  await runConsoleChat({ handle: (m) => app.gateway.respond(m), shop, user, input: process.stdin, output: process.stdout, interactive });
  return 0;
}

/**
 * The terminal is a chat bound to the shop as the owner's, and whoever runs it is trusted with the
 * role `--role` gives (owner by default): they already hold the database file.
 */
function enterConsole(app: App, shop: ShopRecord, user: string, role: Role): void {
  const chatId = consoleChatId(shop);
  if (app.access.bindingOf('console', chatId)?.shopId !== shop.id) {
    app.access.bind({ shopId: shop.id, platform: 'console', chatId, audience: 'owner', title: '控制台' }, app.clock.now());
  }
  const person = app.access.personByIdentity(shop.id, 'console', user);
  if (!person) app.access.createPerson(shop.id, user, role, { platform: 'console', platformUserId: user, handle: user }, app.clock.now());
  else if (person.role !== role) app.access.setRole(person.id, role);
}

function safeUserName(): string {
  try {
    return userInfo().username || '我';
  } catch {
    return '我';
  }
}
