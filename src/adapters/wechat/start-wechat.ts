import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import { qrcodeValueToImageUrl, ScanStatus } from 'wechaty';
import type { BotLogger } from '../../bot/engine.ts';
import type { Outbox } from '../../bot/outbox.ts';
import type { WechatConfig } from '../../config.ts';
import { holdLease, type HeldLease, type LeaseClock, type LeaseLoss, type LoginLeases } from '../../core/login-lease.ts';
import { PrivateFileError, writePrivateFile } from '../../private-file.ts';
import type { Pacing } from './pacer.ts';
import { createWechatBot, type WechatApp, type WechatBot, type WechatPuppet } from './wechat-bot.ts';

/** What `npm start` needs from the application to run WeChat. */
export interface WechatStartApp extends WechatApp {
  outbox: Outbox;
  config: { databaseUrl: string };
}

/** What tests and embedders may change about how `npm start` runs WeChat. */
export interface StartWechatOptions {
  /** Where the login QR code is drawn; the terminal (stderr) by default. */
  output?: NodeJS.WritableStream | undefined;
  pacing?: Pacing | undefined;
  /**
   * The database's login leases. With them only one process at a time drives this WeChat login: a
   * second one waits (startWechat does not resolve) until the first stops or its lease expires, then
   * takes over. Without them (one process per database, or a test) nothing is locked.
   */
  loginLeases?: LoginLeases | undefined;
  /** How the lease is held; tests shorten it. */
  leaseTiming?: Partial<WechatLeaseTiming> | undefined;
  /** Ends the wait for the lease: startWechat then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** How the WeChat login lease is held. */
export interface WechatLeaseTiming {
  /** How long a crashed process keeps the login from the next one. */
  ttlMs: number;
  renewEveryMs: number;
  /** How often a waiting process looks whether the lease came free. */
  waitStepMs: number;
  clock?: LeaseClock | undefined;
}

/** 30 s lease renewed every 10 s: two renewals may fail (a busy database) before the login is given up. */
export const DEFAULT_WECHAT_LEASE: WechatLeaseTiming = { ttlMs: 30_000, renewEveryMs: 10_000, waitStepMs: 5_000 };

/** A started WeChat bot. stop() sends the replies in hand and disconnects; the login session is kept for the next start. */
export interface WechatHandle {
  bot: WechatBot;
  /** The login lease this process holds, when started with loginLeases. */
  lease?: HeldLease | undefined;
  /**
   * Settles when the bot stopped by itself: another process took over its login lease (this one could
   * not renew it in time). The bot is stopped by then; the caller decides whether the process goes on.
   */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

/** The WeChat login lease was lost to another process, so this one stopped its WeChat bot. */
export class WechatLeaseLost extends Error {
  constructor(
    readonly lease: string,
    readonly loss: LeaseLoss,
  ) {
    super(
      loss.reason === 'taken'
        ? `微信登录已由另一个进程（${loss.by?.holder ?? '未知'}）接管，本进程的微信机器人已停止。\nThe WeChat login was taken over by another process; this process stopped its WeChat bot.`
        : `微信登录租约无法续期（数据库无响应）已过期，本进程的微信机器人已停止。\nThe WeChat login lease could not be renewed before it expired; this process stopped its WeChat bot.`,
      loss.reason === 'expired' ? { cause: loss.error } : undefined,
    );
    this.name = 'WechatLeaseLost';
  }
}

/** The lease that owns one WeChat login: named after the bot, as its session file is, so two bots of one database do not block each other. */
export function wechatLeaseName(config: WechatConfig): string {
  return `wechat:${config.name}`;
}

/** Who holds a lease: the host and process to look for, and a random part so a restarted process with a reused pid is someone new. */
export function leaseHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** The puppet named in WECHATY_PUPPET cannot be used; the message says what to do, in Chinese and English. */
export class WechatPuppetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WechatPuppetError';
  }
}

const PACKAGE_NAME = /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;

/** A puppet class as packages export it: constructed with options such as `{ token }`. */
type PuppetConstructor = new (options: { token?: string }) => WechatPuppet;

/**
 * Loads the puppet package the user installed (it is not a dependency of jxc-bot: which puppet works
 * depends on the user's WeChat account and provider) and makes an instance with the token, if any.
 */
export async function loadPuppet(packageName: string, token?: string): Promise<WechatPuppet> {
  const install = `npm install ${packageName}`;
  if (!PACKAGE_NAME.test(packageName)) {
    throw new WechatPuppetError(
      `WECHATY_PUPPET「${packageName}」不是 npm 包名，例：wechaty-puppet-service\n` + `WECHATY_PUPPET="${packageName}" is not an npm package name, e.g. wechaty-puppet-service`,
    );
  }
  let module: unknown;
  try {
    module = await import(packageName);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${packageName}'`);
    if (missing) {
      throw new WechatPuppetError(
        `没有安装微信 puppet「${packageName}」。请在 jxc-bot 目录运行：${install}\n` + `WeChat puppet "${packageName}" is not installed. Run: ${install}`,
        { cause: error },
      );
    }
    throw new WechatPuppetError(
      `微信 puppet「${packageName}」加载失败：${(error as Error).message}。可以重新安装：${install}\n` + `Could not load WeChat puppet "${packageName}"; try reinstalling: ${install}`,
      { cause: error },
    );
  }
  const Puppet = puppetClass(module);
  if (!Puppet) {
    throw new WechatPuppetError(
      `「${packageName}」不是 Wechaty puppet（没有默认导出的 Puppet 类）。\n` + `"${packageName}" is not a Wechaty puppet: it has no default export of a Puppet class.`,
    );
  }
  const puppet = new Puppet(token ? { token } : {});
  if (typeof puppet.start !== 'function' || typeof puppet.messageSendText !== 'function') {
    throw new WechatPuppetError(
      `「${packageName}」不是 Wechaty puppet（默认导出的类不能收发消息）。\n` + `"${packageName}" is not a Wechaty puppet: its default export cannot send messages.`,
    );
  }
  return puppet;
}

/** ES modules export the class as `default`; CommonJS ones compiled to ESM nest it one level deeper. */
function puppetClass(module: unknown): PuppetConstructor | undefined {
  let candidate: unknown = module;
  for (let depth = 0; depth < 4 && candidate !== null && typeof candidate === 'object'; depth++) {
    candidate = (candidate as { default?: unknown }).default;
  }
  return typeof candidate === 'function' ? (candidate as PuppetConstructor) : undefined;
}

/**
 * Wechaty keeps the login session in a file named after the bot. It is a credential, so it goes next
 * to the database (which is kept private) rather than wherever the process was started.
 */
export function sessionPath(databaseUrl: string, name: string): string {
  if (isAbsolute(name) || name.includes('/') || name.includes('\\')) return name;
  // On a database server the session stays in the working directory, as with an in-memory database.
  if (/^postgres(ql)?:/i.test(databaseUrl)) return name;
  const file = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  if (file === '' || file === ':memory:') return name;
  return join(dirname(file), name);
}

/** The file Wechaty's memory card keeps the session in, for a name: it appends `.memory-card.json`, relative to the working directory. */
export function sessionFile(name: string): string {
  return resolve(/\.memory-card\.json$/.test(name) ? name : `${name}.memory-card.json`);
}

/**
 * The session file logs the bot's WeChat account in: mode 600. The memory card writes it with
 * `fs.writeFile`, which keeps the mode of a file that exists, so it is created private here first
 * (or made private, when an older version left it readable by others). A link is refused.
 */
export function keepSessionPrivate(name: string): void {
  const file = sessionFile(name);
  let existing;
  try {
    existing = lstatSync(file);
  } catch {
    existing = undefined;
  }
  try {
    if (existing?.isSymbolicLink()) throw new PrivateFileError(file, 'symlink');
    if (existing) chmodSync(file, 0o600);
    else writePrivateFile(file, '{}');
  } catch (error) {
    throw new WechatPuppetError(
      `微信登录文件不能设为只有本人可读：${(error as Error).message}\n` + `The WeChat session file ${file} cannot be made private (mode 600).`,
      { cause: error },
    );
  }
}

/**
 * Runs the WeChat bot `npm start` asks for: loads the configured puppet, shows the login QR code in
 * the terminal and logs its URL, logs logins, logouts and reconnects (never the token), and lets the
 * daily digest reach WeChat rooms through the paced sender.
 */
export async function startWechat(app: WechatStartApp, config: WechatConfig, options: StartWechatOptions = {}): Promise<WechatHandle> {
  const output = options.output ?? process.stderr;
  const secret = config.puppetToken;
  // Puppet errors sometimes quote the token they were given; no log line may carry it.
  const logger = secret ? redactingLogger(app.logger, secret) : app.logger;
  const puppet = await loadPuppet(config.puppet, secret);
  const session = sessionPath(app.config.databaseUrl, config.name);
  keepSessionPrivate(session);
  const bot = createWechatBot(app, { puppet, logger, name: session, pacing: options.pacing });
  let loggedInBefore = false;

  bot.wechaty.on('scan', (qrcode, status) => {
    if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
      const url = qrcodeValueToImageUrl(qrcode);
      qrcodeTerminal.generate(qrcode, { small: true }, (drawing) => {
        output.write(`\n请用机器人的微信扫码登录 / Scan with the bot's WeChat to log in:\n${drawing}\n${url}\n`);
      });
      logger.info({ platform: 'wechat', status: ScanStatus[status], qrcode, url }, 'wechat login QR code');
    } else {
      logger.info({ platform: 'wechat', status: ScanStatus[status] }, 'wechat scan status');
    }
  });
  bot.wechaty.on('login', (user) => {
    logger.info({ platform: 'wechat', user: user.name(), userId: user.id }, loggedInBefore ? 'wechat reconnected' : 'wechat logged in');
    loggedInBefore = true;
  });
  bot.wechaty.on('logout', (user, reason) => {
    logger.warn({ platform: 'wechat', user: user.name(), userId: user.id, reason }, 'wechat logged out');
  });
  puppet.on('reset', ({ data }) => {
    logger.warn({ platform: 'wechat', reason: data }, 'wechat connection reset, reconnecting');
  });

  // Held before the puppet starts: a puppet that kept its session logs in as soon as it starts.
  const lease = options.loginLeases ? await takeLoginLease(options.loginLeases, wechatLeaseName(config), logger, output, options) : undefined;
  let lost: (error: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (lost = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await bot.stop();
        logger.info({ platform: 'wechat' }, 'wechat stopped');
      } finally {
        // Given up only once logged out, so the next process never finds this one still connected.
        await lease?.held.release();
      }
    })());
  lease?.onLost((loss) => {
    const error = new WechatLeaseLost(lease.held.name, loss);
    logger.error({ platform: 'wechat', lease: lease.held.name, reason: loss.reason, holder: loss.reason === 'taken' ? loss.by?.holder : undefined }, 'wechat login lease lost; stopping wechat');
    output.write(`${error.message}\n`);
    stop().then(
      () => lost(error),
      (stopError: unknown) => {
        logger.error({ platform: 'wechat', err: stopError }, 'wechat stop after losing the login lease failed');
        lost(error);
      },
    );
  });

  try {
    await bot.start();
  } catch (error) {
    await lease?.held.release().catch((releaseError: unknown) => logger.warn({ platform: 'wechat', err: releaseError }, 'wechat login lease not released'));
    throw new WechatPuppetError(
      `微信 puppet「${config.puppet}」启动失败：${redact((error as Error).message, secret)}。请检查 token 和网络。\n` + `WeChat puppet "${config.puppet}" failed to start; check its token and the network.`,
      { cause: error },
    );
  }
  app.outbox.register(bot.sender);
  logger.info({ platform: 'wechat', puppet: config.puppet }, 'wechat started');
  return { bot, lease: lease?.held, failed, stop };
}

/**
 * Waits for the login lease, saying on the terminal and in the log who holds it, and keeps it renewed.
 * A loss is passed to the handler set with onLost (it can happen before the bot has started).
 */
async function takeLoginLease(
  leases: LoginLeases,
  name: string,
  logger: BotLogger,
  output: NodeJS.WritableStream,
  options: StartWechatOptions,
): Promise<{ held: HeldLease; onLost(handler: (loss: LeaseLoss) => void): void }> {
  const timing = { ...DEFAULT_WECHAT_LEASE, ...options.leaseTiming };
  const holder = leaseHolderId();
  let waited = false;
  let pendingLoss: LeaseLoss | undefined;
  let onLost: ((loss: LeaseLoss) => void) | undefined;
  const held = await holdLease(leases, name, holder, {
    ...timing,
    signal: options.signal,
    onWaiting(current) {
      waited = true;
      const text = `另一个进程正在登录微信（${current.holder}），等待接管…`;
      output.write(`${text}\n`);
      logger.info({ platform: 'wechat', lease: name, holder: current.holder, expiresAt: current.expiresAt.toISOString() }, text);
    },
    onRenewError(error) {
      logger.warn({ platform: 'wechat', lease: name, err: error instanceof Error ? { message: error.message, name: error.name } : String(error) }, 'wechat login lease not renewed; retrying');
    },
    onLost(loss) {
      if (onLost) onLost(loss);
      else pendingLoss = loss;
    },
  });
  logger.info({ platform: 'wechat', lease: name, holder }, waited ? 'wechat login lease taken over' : 'wechat login lease taken');
  return {
    held,
    onLost(handler) {
      onLost = handler;
      if (pendingLoss) handler(pendingLoss);
    },
  };
}

function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** Replaces `secret` in every string of a log record, including error messages. */
function redactValue(value: unknown, secret: string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secret);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message, secret), stack: value.stack && redact(value.stack, secret) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secret, depth + 1)]));
}

function redactingLogger(logger: BotLogger, secret: string): BotLogger {
  const wrap =
    (level: keyof BotLogger) =>
    (obj: object, msg?: string): void =>
      logger[level](redactValue(obj, secret) as object, msg === undefined ? undefined : redact(msg, secret));
  return { info: wrap('info'), warn: wrap('warn'), error: wrap('error'), debug: wrap('debug') };
}
