/** Log levels, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Whether ICU knows the zone (an IANA name such as Asia/Shanghai). */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Every setting jxc-bot reads from the environment (and `.env`), in the order errors list them. See .env.example. */
export const ENV_KEYS = [
  'DATABASE_URL',
  'LOG_LEVEL',
  'JXC_TIMEZONE',
  'JXC_SHOP',
  'JXC_OWNERS',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_URL',
  'TELEGRAM_WEBHOOK_SECRET',
  'TELEGRAM_API_ROOT',
  'PORT',
  'HOST',
  'WECHATY_PUPPET',
  'WECHATY_PUPPET_SERVICE_TOKEN',
  'WECHATY_NAME',
  'JXC_DIGEST',
  'JXC_WEB',
  'PUBLIC_URL',
  'WEB_SECRET',
] as const;

/** The database engines jxc-bot runs on: SQLite (embedded, the default) or a PostgreSQL server. */
export type DatabaseProvider = 'sqlite' | 'postgresql';

/** What DATABASE_URL must look like; config.schema.ts words its refusal the same. */
export const DATABASE_URL_EXPECTED =
  'expected an SQLite file URL such as file:./data/jxc.db, or a PostgreSQL URL such as postgresql://jxc@localhost:5432/jxc';

/**
 * The engine a DATABASE_URL names: `postgresql://` or `postgres://` (the two schemes libpq, pg and
 * Prisma accept) is PostgreSQL; `file:…` or a bare path is SQLite; any other scheme is neither.
 */
export function databaseProviderOf(url: string): DatabaseProvider | undefined {
  if (/^postgres(?:ql)?:\/\//i.test(url)) return 'postgresql';
  if (url.startsWith('file:') || !url.includes('://')) return 'sqlite';
  return undefined;
}

/** The environment once checked, defaults filled in. */
export interface Env {
  DATABASE_URL: string;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  JXC_TIMEZONE: string;
  JXC_SHOP: string;
  JXC_OWNERS: string;
  TELEGRAM_BOT_TOKEN?: string | undefined;
  TELEGRAM_WEBHOOK_URL?: string | undefined;
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
  TELEGRAM_API_ROOT?: string | undefined;
  PORT: number;
  HOST: string;
  WECHATY_PUPPET?: string | undefined;
  WECHATY_PUPPET_SERVICE_TOKEN?: string | undefined;
  WECHATY_NAME: string;
  JXC_DIGEST: 'on' | 'off';
  JXC_WEB: 'on' | 'off';
  PUBLIC_URL?: string | undefined;
  WEB_SECRET?: string | undefined;
}

/** A value is either read (`ok`) or wrong, with what each check expected. */
type Check = { ok: true; value: unknown } | { ok: false; messages: string[] };
const ok = (value: unknown): Check => ({ ok: true, value });
const wrong = (...messages: string[]): Check => ({ ok: false, messages });

/** zod's URL check: trimmed, parsed by URL, tabs and newlines dropped from the value kept. */
function urlCheck(value: string, message: string, httpOnly: boolean): Check {
  const trimmed = value.trim();
  if (httpOnly) {
    if (!/^https?:\/\//i.test(trimmed)) return wrong(message);
    const url = URL.parse(trimmed);
    if (!url || !/^https?$/.test(url.protocol.replace(/:$/, ''))) return wrong(message);
  } else if (!URL.canParse(trimmed)) return wrong(message);
  return ok(trimmed.replace(/[\t\n\r]/g, ''));
}

const regexCheck = (pattern: RegExp, message: string) => (value: string) => (pattern.test(value) ? ok(value) : wrong(message));
const nonEmpty = (value: string) => (value.length >= 1 ? ok(value) : wrong('Too small: expected string to have >=1 characters'));

/**
 * How each variable is read: its default (used when unset or empty) and its check. This is the one
 * definition of a valid environment at run time; config.schema.ts states the same in zod and the
 * tests hold the two together, so that zod is not loaded by every command.
 */
const FIELDS: Record<(typeof ENV_KEYS)[number], { fallback?: unknown; check: (value: string) => Check }> = {
  DATABASE_URL: {
    fallback: 'file:./data/jxc.db',
    check: (v) => (databaseProviderOf(v) ? ok(v) : wrong(DATABASE_URL_EXPECTED)),
  },
  LOG_LEVEL: { fallback: 'info', check: (v) => ((LOG_LEVELS as readonly string[]).includes(v) ? ok(v) : wrong(`expected one of ${LOG_LEVELS.join(', ')}`)) },
  JXC_TIMEZONE: {
    fallback: 'Asia/Shanghai',
    // The default is known good: checking it would load ICU's zone data at every start-up.
    check: (v) => (v === 'Asia/Shanghai' || isTimeZone(v) ? ok(v) : wrong('expected an IANA time zone such as Asia/Shanghai')),
  },
  JXC_SHOP: {
    fallback: '我的店',
    check: (v) => {
      const name = v.trim();
      const messages: string[] = [];
      if (name.length < 1) messages.push('expected a shop name');
      if (name.length > 50) messages.push('Too big: expected string to have <=50 characters');
      return messages.length > 0 ? wrong(...messages) : ok(name);
    },
  },
  JXC_OWNERS: {
    fallback: '',
    check: (v) =>
      v.split(',').every((id) => id.trim() === '' || /^(tg|wx|telegram|wechat):\S+$/.test(id.trim()))
        ? ok(v)
        : wrong('expected a comma-separated list of platform user ids such as tg:123456,wx:wxid_abc'),
  },
  TELEGRAM_BOT_TOKEN: { check: regexCheck(/^\d+:[\w-]{20,}$/, 'expected a bot token from @BotFather, like 123456789:AA…') },
  TELEGRAM_WEBHOOK_URL: { check: (v) => urlCheck(v, 'expected an https:// URL Telegram can reach', true) },
  TELEGRAM_WEBHOOK_SECRET: { check: regexCheck(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16–256 characters of A-Z a-z 0-9 _ -') },
  TELEGRAM_API_ROOT: { check: (v) => urlCheck(v, 'expected the URL of a Bot API server, like http://127.0.0.1:8081', false) },
  PORT: {
    fallback: 8080,
    check: (v) => {
      const port = Number(v);
      return Number.isInteger(port) && port >= 1 && port <= 65535 ? ok(port) : wrong('expected a port number');
    },
  },
  HOST: {
    fallback: '127.0.0.1',
    check: (v) => {
      const host = v.trim();
      return /^(?:[0-9.]+|[0-9A-Fa-f:]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/.test(host)
        ? ok(host)
        : wrong('expected the address to listen on, such as 127.0.0.1 (behind a reverse proxy) or 0.0.0.0 (all interfaces)');
    },
  },
  WECHATY_PUPPET: { check: nonEmpty },
  WECHATY_PUPPET_SERVICE_TOKEN: { check: nonEmpty },
  WECHATY_NAME: { fallback: 'jxc-bot', check: nonEmpty },
  JXC_DIGEST: { fallback: 'on', check: (v) => (v === 'on' || v === 'off' ? ok(v) : wrong('expected on or off')) },
  JXC_WEB: { fallback: 'on', check: (v) => (v === 'on' || v === 'off' ? ok(v) : wrong('expected on or off')) },
  PUBLIC_URL: { check: (v) => urlCheck(v, 'expected the address people open the web view at, like https://shop.example.com', true) },
  WEB_SECRET: { check: regexCheck(/^[A-Za-z0-9_-]{32,256}$/, 'expected 32–256 characters of A-Z a-z 0-9 _ - (for example: openssl rand -hex 32)') },
};

/** Checks the variables (unset and empty ones take their default); the problems, each with its variable. */
export function readEnv(env: Record<string, string | undefined>): { ok: true; env: Env } | { ok: false; problems: { key: string; message: string }[] } {
  const out: Record<string, unknown> = {};
  const problems: { key: string; message: string }[] = [];
  for (const key of ENV_KEYS) {
    const raw = env[key];
    const field = FIELDS[key];
    if (raw === undefined || raw === '') {
      if (field.fallback !== undefined) out[key] = field.fallback;
      continue;
    }
    const checked = field.check(raw);
    if (checked.ok) out[key] = checked.value;
    else for (const message of checked.messages) problems.push({ key, message });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, env: out as unknown as Env };
}

/** Telegram: long polling by default, a webhook served on HOST:PORT when TELEGRAM_WEBHOOK_URL is set. */
export type TelegramConfig =
  | { mode: 'polling'; token: string; apiRoot?: string | undefined }
  | {
      mode: 'webhook';
      token: string;
      apiRoot?: string | undefined;
      url: string;
      secret: string;
      port: number;
      /** Address the webhook server listens on: loopback by default, for a reverse proxy in front. */
      host: string;
    };

export interface WechatConfig {
  /** Puppet package name, e.g. wechaty-puppet-service; installed by the user. */
  puppet: string;
  puppetToken?: string | undefined;
  name: string;
}

export interface Config {
  databaseUrl: string;
  /** Which engine databaseUrl names; PostgreSQL is migrated at start-up but cannot hold the ledger yet. */
  databaseProvider: DatabaseProvider;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Time zone of new shops. */
  timeZone: string;
  /** Shop used by the console chat and CLI when none is named. */
  shopName: string;
  /** Platform user ids allowed to open shops (`tg:123`, `wx:wxid_abc`); empty: the first person on a fresh database. */
  owners: string[];
  /** Set when TELEGRAM_BOT_TOKEN is. */
  telegram?: TelegramConfig | undefined;
  /** Set when WECHATY_PUPPET is. */
  wechat?: WechatConfig | undefined;
  /** Whether the daily digest scheduler runs. */
  digest: boolean;
  /** The owner's web view, served by `jxc start` on HOST:PORT (with the Telegram webhook, when there is one). */
  web: WebConfig;
}

/** The web view: where it listens, the address its sign-in links use, and the key that signs them. */
export interface WebConfig {
  enabled: boolean;
  port: number;
  host: string;
  /** Origin (and path prefix) of the links `网页` hands out, without a trailing slash. */
  publicUrl: string;
  /** Signs sign-in links and session cookies; when unset one is generated and kept in the database. */
  secret?: string | undefined;
}

/**
 * The address links point at: PUBLIC_URL; else the webhook's origin (the same server serves both);
 * else the listening address itself, which only works on the same machine or network.
 */
function publicUrlOf(e: Env): string {
  if (e.PUBLIC_URL) return e.PUBLIC_URL.replace(/\/+$/, '');
  if (e.TELEGRAM_WEBHOOK_URL) return new URL(e.TELEGRAM_WEBHOOK_URL).origin;
  const host = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${e.PORT}`;
}

/** A wrong setting; the message names each variable and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose value is a credential: an error names them and says what is expected, never what was given. */
const SECRET_KEYS = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'WECHATY_PUPPET_SERVICE_TOKEN', 'WEB_SECRET']);

/** `KEY="value"` for an error line, with credentials left out and a URL's password masked. */
function shown(key: string, value: string | undefined): string {
  if (SECRET_KEYS.has(key)) return `${key} (value hidden)`;
  return `${key}=${JSON.stringify(key === 'DATABASE_URL' ? maskUrlPassword(value ?? '') : (value ?? ''))}`;
}

/** `postgresql://jxc:s3cret@db/jxc?password=x` → `postgresql://jxc:***@db/jxc?password=***`. */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^/?#]*@/i, '$1:***@').replace(/([?&](?:password|pass|pwd|secret|token)=)[^&#]*/gi, '$1***');
}

/** Reads the configuration from an environment object; pure, so tests pass their own. */
export function createConfig(env: Record<string, string | undefined>): Config {
  const parsed = readEnv(env);
  if (!parsed.ok) throw new ConfigError(parsed.problems.map(({ key, message }) => `${shown(key, env[key])}: ${message}`));
  const e = parsed.env;
  const problems: string[] = [];
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET="": required with TELEGRAM_WEBHOOK_URL, so that only Telegram can call the webhook');
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_BOT_TOKEN) problems.push('TELEGRAM_BOT_TOKEN="": required with TELEGRAM_WEBHOOK_URL');
  if (problems.length > 0) throw new ConfigError(problems);
  let telegram: TelegramConfig | undefined;
  if (e.TELEGRAM_BOT_TOKEN) {
    telegram =
      e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
        ? { mode: 'webhook', token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, port: e.PORT, host: e.HOST }
        : { mode: 'polling', token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT };
  }
  return {
    telegram,
    wechat: e.WECHATY_PUPPET ? { puppet: e.WECHATY_PUPPET, puppetToken: e.WECHATY_PUPPET_SERVICE_TOKEN, name: e.WECHATY_NAME } : undefined,
    digest: e.JXC_DIGEST === 'on',
    web: { enabled: e.JXC_WEB === 'on', port: e.PORT, host: e.HOST, publicUrl: publicUrlOf(e), secret: e.WEB_SECRET },
    databaseUrl: e.DATABASE_URL,
    databaseProvider: databaseProviderOf(e.DATABASE_URL) ?? 'sqlite',
    logLevel: e.LOG_LEVEL,
    timeZone: e.JXC_TIMEZONE,
    shopName: e.JXC_SHOP,
    owners: e.JXC_OWNERS.split(',').map((id) => id.trim()).filter((id) => id !== ''),
  };
}
