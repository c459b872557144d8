import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createConfig, ConfigError, type Config } from '../config.ts';
import type { App } from '../main.ts';
import type { BaseApp } from '../base-app.ts';
import type { ShopRecord } from '../core/ports.ts';
import type { Role } from '../bot/permissions.ts';
import { consoleChatId } from '../adapters/console/console-chat.ts';
import { USAGE } from './usage.ts';

/** Where a command line reads and writes, and the environment it reads its settings from. */
export interface CliIo {
  stdin?: Readable & { isTTY?: boolean | undefined };
  stdout?: Writable;
  stderr?: Writable;
  /** Settings (DATABASE_URL, LOG_LEVEL, …); process.env by default. */
  env?: Record<string, string | undefined>;
}

/** The streams and environment a command runs with. */
export interface Cli {
  stdin: Readable & { isTTY?: boolean | undefined };
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/**
 * Runs one command line; returns the exit code. Each command loads only the modules it needs (the
 * chat parser, the spreadsheet library and Prisma Client are loaded on demand), so `jxc` starts fast.
 */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const cli: Cli = { stdin: io.stdin ?? process.stdin, stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr, env: io.env ?? process.env };
  const { stdout, stderr } = cli;
  const [command = 'start', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    stdout.write(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = createConfig(cli.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`${error.message}\n请检查环境变量或 .env 文件（见 .env.example）。\n`);
      return 2;
    }
    throw error;
  }
  if (config.databaseProvider === 'postgresql' && POSTGRES_AWARE.has(command)) {
    const { postgresCommand } = await import('./postgres-command.ts');
    return postgresCommand(config, command, rest, cli);
  }
  switch (command) {
    case 'start':
      return start(config, cli);
    case 'chat':
      return chat(config, rest, cli);
    case 'backup': {
      const { backupCommand } = await import('./backup-command.ts');
      return withBaseApp(config, cli, (app) => backupCommand(app, rest, stdout, stderr));
    }
    case 'export': {
      const { exportCommand } = await import('./export-command.ts');
      return withBaseApp(config, cli, (app) => exportCommand(app, rest, stdout, stderr, cli.env));
    }
    case 'digest': {
      const { digestCommand } = await import('./digest-command.ts');
      return withBaseApp(config, cli, (app) => digestCommand(app, rest, stdout, stderr, cli.env));
    }
    case 'import': {
      const { importCommand } = await import('./import-command.ts');
      return withApp(config, cli, (app) => importCommand(app, rest, stdout, stderr));
    }
    default:
      stderr.write(`未知命令「${command}」。\n\n${USAGE}`);
      return 2;
  }
}

/** The commands that open the database: on PostgreSQL they migrate it, then say the store is not finished. */
/** Commands answered differently on PostgreSQL: a backup is pg_dump's job. */
const POSTGRES_AWARE = new Set(['backup']);

/** Log lines go to the command's standard error (a test's stream, or the process's). */
const logStream = (cli: Cli) => (cli.stderr === process.stderr ? undefined : cli.stderr);

/** The database alone: for commands that read or copy the ledger. */
async function withBaseApp(config: Config, cli: Cli, run: (app: BaseApp) => Promise<number>): Promise<number> {
  const { createBaseApp } = await import('../base-app.ts');
  return withOpened(cli, () => createBaseApp(config, { logStream: logStream(cli) }), run);
}

/** The whole application, with the chat engine: for commands that talk or write. */
async function withApp(config: Config, cli: Cli, run: (app: App) => Promise<number>): Promise<number> {
  const { createApp } = await import('../main.ts');
  return withOpened(cli, () => createApp(config, { logStream: logStream(cli) }), run);
}

/** Opens the app, runs the command on it and closes it; a database that cannot be opened is said in one line. */
async function withOpened<A extends { close(): Promise<void> }>(cli: Cli, open: () => Promise<A>, run: (app: A) => Promise<number>): Promise<number> {
  const { StoreOpenError } = await import('../base-app.ts');
  let app: A;
  try {
    app = await open();
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    cli.stderr.write(`${error.message}\n`);
    return 1;
  }
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

async function start(config: Config, cli: Cli): Promise<number> {
  const { stderr } = cli;
  const consoleOnly = !config.telegram && !config.wechat;
  if (consoleOnly) {
    const terminal = Boolean(cli.stdin.isTTY);
    if (terminal) stderr.write('未配置聊天平台，进入控制台聊天。\n');
    // On a terminal the console is the bot: it also serves the web view and finishes queued reposts.
    return chat(config, [], cli, { digest: terminal, serve: terminal });
  }
  return withApp(config, cli, (app) => startPlatforms(app, stderr));
}

async function startPlatforms(app: App, stderr: NodeJS.WritableStream): Promise<number> {
  app.logger.info({ database: app.config.databaseUrl }, 'jxc-bot starting');
  const running: { name: string; stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const r of running.reverse()) await r.stop();
  };
  let telegramFailed: Promise<Error> | undefined;
  let wechatFailed: Promise<Error> | undefined;
  // One HTTP server on HOST:PORT for the Telegram webhook and the web view; stopped after them.
  const { createHttpServer } = await import('../http-server.ts');
  const http = createHttpServer();
  running.push({ name: 'http', stop: () => http.close() });
  const web = app.config.web;
  if (web.enabled) {
    const [{ mountWebView }, { webCharts }] = await Promise.all([import('../adapters/web/web-app.ts'), import('../web-charts.ts')]);
    app.engine.web.register(mountWebView(http.app, { ...app.web, publicUrl: web.publicUrl, secret: web.secret, charts: webCharts }));
  }
  // Chat libraries are loaded here so that the other commands never load them.
  if (app.config.wechat) {
    let startWechat: typeof import('../adapters/wechat/start-wechat.ts').startWechat;
    try {
      ({ startWechat } = await import('../adapters/wechat/start-wechat.ts'));
    } catch (error) {
      // file-box comes with wechaty, but a strict layout (pnpm) may not let jxc-bot see it.
      const missing = ['wechaty', 'file-box'].find((name) => isMissingPackage(error, name));
      if (!missing) throw error;
      stderr.write(missingPackage(missing, '微信机器人', 'WeChat'));
      return 1;
    }
    try {
      // One process at a time owns the WeChat login (a lease in the database); another one waits here and takes over.
      const wechat = await startWechat(app, app.config.wechat, { loginLeases: app.stores.loginLeases });
      running.push({ name: 'wechat', stop: () => wechat.stop() });
      wechatFailed = wechat.failed;
    } catch (error) {
      stderr.write(`微信机器人启动失败：${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    stderr.write(`微信机器人已启动（${app.config.wechat.puppet}），未登录时请用机器人的微信扫终端里的二维码；按 Ctrl-C 停止。\n`);
  }
  if (app.config.telegram) {
    const { startTelegram } = await import('../adapters/telegram/start.ts');
    try {
      const telegram = await startTelegram(app, app.config.telegram, { server: http });
      running.push({ name: 'telegram', stop: () => telegram.stop() });
      telegramFailed = telegram.failed;
      stderr.write(`Telegram 机器人 @${telegram.bot.botInfo.username} 已启动，按 Ctrl-C 停止。\n`);
    } catch (error) {
      await stopAll();
      stderr.write(`Telegram 机器人启动失败：${error instanceof Error ? error.message : String(error)}\n请检查 TELEGRAM_BOT_TOKEN 和网络（或 TELEGRAM_API_ROOT）。\n`);
      return 1;
    }
  }
  if (web.enabled) {
    try {
      await http.listen(web.port, web.host);
    } catch (error) {
      await stopAll();
      stderr.write(`网页版启动失败（${web.host}:${web.port}）：${error instanceof Error ? error.message : String(error)}\n请检查 PORT 和 HOST，或设 JXC_WEB=off。\n`);
      return 1;
    }
    app.logger.info({ host: web.host, port: web.port, url: web.publicUrl }, 'web view started');
    stderr.write(`网页版：${web.publicUrl}（在和机器人的私聊里发「网页」获取登录链接）。\n`);
  }
  // The digest goes out through whichever adapters registered on the outbox above.
  const { startDigestScheduler } = await import('../adapters/cron/index.ts');
  const digest = startDigestScheduler(app);
  const reposts = (await import('../adapters/cron/repost-worker.ts')).startRepostWorker(app);
  app.gateway.onReply((shopId, reply) => {
    digest.lowStock.afterReply(shopId, reply).catch((error: unknown) => app.logger.warn({ err: error, shop: shopId }, 'low-stock alert failed'));
  });
  let stop: (received: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    stop = (received) => resolve(received);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const failures = [...(telegramFailed ? [telegramFailed.then((error) => ({ error, what: 'Telegram 机器人' }))] : []), ...(wechatFailed ? [wechatFailed.then((error) => ({ error, what: '微信机器人' }))] : [])];
  const outcome = await Promise.race([signalled, http.failed.then((error) => ({ error, what: '网页版' })), ...failures]);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  digest.stop();
  reposts.stop();
  await stopAll();
  if (typeof outcome === 'object') {
    stderr.write(`${outcome.what}停止了：${outcome.error.message}\n`);
    return 1;
  }
  app.logger.info({ signal: outcome }, 'jxc-bot stopped');
  return 0;
}

/** An optional peer dependency (wechaty, telegraf) that is not installed. */
export function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(`'${name}'`);
}

/** The message for a missing optional package, in Chinese and English, with the command that installs it. */
export function missingPackage(name: string, what: string, whatEn: string): string {
  return `${what}需要 ${name}，但它没有安装。请先在 jxc-bot 目录运行：npm install ${name}\n${whatEn} needs ${name}, which is not installed. Run: npm install ${name}\n`;
}

/** The console user when --user is not given: the same name whoever is logged in. */
export const CONSOLE_USER = '控制台';

async function chat(config: Config, args: string[], cli: Cli, options: { digest?: boolean; serve?: boolean } = {}): Promise<number> {
  const { stderr, env } = cli;
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        shop: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string' },
        create: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        paragraph: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const role = values.role as Role | undefined;
  if (role !== undefined && !['owner', 'staff', 'viewer'].includes(role)) {
    stderr.write(`--role 只能是 owner、staff 或 viewer（收到「${values.role}」）。例：jxc chat --user 小李 --role staff\n`);
    return 2;
  }
  const user = values.user?.trim() || CONSOLE_USER;
  const interactive = Boolean(cli.stdin.isTTY) && !values.quiet;
  // The chat is the interface: routine log lines (info) would land between the replies, so the
  // console logs warnings and errors only (errors only with --quiet) unless LOG_LEVEL says otherwise.
  const logLevel = env.LOG_LEVEL ? config.logLevel : values.quiet ? 'error' : 'warn';
  return withApp({ ...config, logLevel }, cli, async (app) => {
    const shop = await chatShop(app, values.shop, values.create, env, stderr);
    if (!shop) return 2;
    await enterConsole(app, shop, user, role, stderr);
    const stopDigest = options.digest ? await consoleDigest(app, cli.stdout) : undefined;
    const serving = options.serve ? await serveConsole(app, stderr) : undefined;
    try {
      const { runConsoleChat } = await import('../adapters/console/console-chat.ts');
      await runConsoleChat({
        handle: (m) => app.gateway.respond(m),
        shop,
        user,
        input: cli.stdin,
        output: cli.stdout,
        interactive,
        paragraph: values.paragraph,
      });
    } finally {
      stopDigest?.();
      await serving?.stop();
      // A backdated line typed into a long history leaves its later costs queued: finish them before
      // the process ends, so the next report is right whichever command runs it.
      await app.engine.service.runQueuedReposts();
    }
    return 0;
  });
}

/**
 * What `jxc start` runs beside the console chat when no chat platform is configured: the repost
 * worker and the web view on HOST:PORT (`网页` in the console answers with a sign-in link). A port
 * that is taken leaves the chat running and says so.
 */
async function serveConsole(app: App, stderr: NodeJS.WritableStream): Promise<{ stop(): Promise<void> }> {
  const reposts = (await import('../adapters/cron/repost-worker.ts')).startRepostWorker(app);
  const web = app.config.web;
  if (!web.enabled) return { stop: async () => reposts.stop() };
  const [{ createHttpServer }, { mountWebView }, { webCharts }] = await Promise.all([
    import('../http-server.ts'),
    import('../adapters/web/web-app.ts'),
    import('../web-charts.ts'),
  ]);
  const http = createHttpServer();
  const issuer = mountWebView(http.app, { ...app.web, publicUrl: web.publicUrl, secret: web.secret, charts: webCharts });
  try {
    await http.listen(web.port, web.host);
    app.engine.web.register(issuer);
    stderr.write(`网页版：${web.publicUrl}（在控制台发「网页」获取登录链接）。\n`);
  } catch (error) {
    stderr.write(`网页版没有启动（${web.host}:${web.port}）：${error instanceof Error ? error.message : String(error)}。聊天照常；可设 PORT 换端口，或 JXC_WEB=off。\n`);
  }
  return {
    stop: async () => {
      reposts.stop();
      await http.close();
    },
  };
}

/** On a terminal with no chat platform, the daily digest arrives in the console chat, as in a group. */
async function consoleDigest(app: App, stdout: NodeJS.WritableStream): Promise<() => void> {
  const { saveFile } = await import('../adapters/console/console-files.ts');
  const { savedFileText } = await import('../bot/files/file-replies.ts');
  app.outbox.register({
    platform: 'console',
    send: async (_chatId, text) => {
      stdout.write(`\n${text}\n> `);
      return { ok: true };
    },
    // The terminal shows no pictures: the digest picture is saved in the working directory, its path printed.
    sendPicture: async (_chatId, picture, text) => {
      const path = await saveFile(process.cwd(), { name: picture.name, caption: text, bytes: picture.bytes, picture: true });
      stdout.write(`\n${savedFileText(text, path)}\n> `);
      return { ok: true };
    },
  });
  const { startDigestScheduler } = await import('../adapters/cron/index.ts');
  const digest = startDigestScheduler(app);
  const reposts = (await import('../adapters/cron/repost-worker.ts')).startRepostWorker(app);
  return () => {
    digest.stop();
    reposts.stop();
  };
}

const shopList = (shops: readonly { name: string }[]) => shops.map((s) => `「${s.name}」`).join('、');

/**
 * The shop the console chats in. A new database gets the named (or default) shop; once shops exist,
 * a name that is not one of them is refused with the list, unless --create says to open it, so that a
 * typo never starts an empty second ledger.
 */
async function chatShop(app: App, name: string | undefined, create: boolean, env: Record<string, string | undefined>, stderr: NodeJS.WritableStream): Promise<ShopRecord | undefined> {
  const shops = await app.store.listShops();
  const wanted = name ?? (env.JXC_SHOP ? app.config.shopName : undefined);
  if (wanted === undefined) {
    if (shops.length === 0) return await app.shop();
    if (shops.length === 1) return shops[0];
    stderr.write(`有 ${shops.length} 个店铺：${shopList(shops)}。请用 --shop 指定，例：jxc chat --shop ${shops[0]?.name}\n`);
    return undefined;
  }
  const existing = shops.find((s) => s.name === wanted);
  if (existing) return existing;
  if (shops.length > 0 && !create) {
    stderr.write(
      `没有店铺「${wanted}」。现有店铺：${shopList(shops)}。\n` +
        `要开新店，加 --create（例：jxc chat --shop ${wanted} --create），或在聊天里发「开店 ${wanted}」。\n`,
    );
    return undefined;
  }
  return await app.shop(wanted);
}

const ROLE_NAMES: Record<Role, string> = { owner: '老板', staff: '店员', viewer: '查看' };

/**
 * The terminal is a chat bound to the shop as the owner's. Whoever runs it first is trusted with the
 * role `--role` gives (owner by default): they already hold the database file. A stored role is never
 * changed by the flag; an owner changes it in the chat with 「授权」.
 */
async function enterConsole(app: App, shop: ShopRecord, user: string, role: Role | undefined, stderr: NodeJS.WritableStream): Promise<void> {
  const chatId = consoleChatId(shop);
  if ((await app.access.bindingOf('console', chatId))?.shopId !== shop.id) {
    await app.access.bind({ shopId: shop.id, platform: 'console', chatId, audience: 'owner', title: '控制台' }, app.clock.now());
  }
  const person = await app.access.personByIdentity(shop.id, 'console', user);
  if (!person) await app.access.createPerson(shop.id, user, role ?? 'owner', { platform: 'console', platformUserId: user, handle: user }, app.clock.now());
  else if (role !== undefined && person.role !== role) {
    stderr.write(
      `「${user}」在「${shop.name}」已经是「${ROLE_NAMES[person.role as Role] ?? person.role}」，--role 只给第一次进入的人设身份，这次不改。` +
        `要改身份，请老板在聊天里发：授权 @${user} ${ROLE_NAMES[role]}\n`,
    );
  }
}
