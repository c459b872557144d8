import { z } from 'zod';

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Every setting jxc-bot reads from the environment (and `.env`). See .env.example. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('file:./data/jxc.db')
    .refine((v) => v.startsWith('file:') || !v.includes('://'), {
      message: 'expected an SQLite file URL such as file:./data/jxc.db (PostgreSQL is not supported yet)',
    }),
  LOG_LEVEL: z.enum(levels, { message: `expected one of ${levels.join(', ')}` }).default('info'),
  JXC_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, { message: 'expected an IANA time zone such as Asia/Shanghai' }),
  JXC_SHOP: z.string().trim().min(1, { message: 'expected a shop name' }).max(50).default('我的店'),
  JXC_OWNERS: z
    .string()
    .default('')
    .refine((v) => v.split(',').every((id) => id.trim() === '' || /^(tg|wx|telegram|wechat):\S+$/.test(id.trim())), {
      message: 'expected a comma-separated list of platform user ids such as tg:123456,wx:wxid_abc',
    }),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, { message: 'expected a bot token from @BotFather, like 123456789:AA…' })
    .optional(),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'expected an https:// URL Telegram can reach' }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, { message: 'expected 16–256 characters of A-Z a-z 0-9 _ -' })
    .optional(),
  TELEGRAM_API_ROOT: z.url({ message: 'expected the URL of a Bot API server, like http://127.0.0.1:8081' }).optional(),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(1).max(65535).default(8080),
  HOST: z
    .string()
    .trim()
    .regex(/^(?:[0-9.]+|[0-9A-Fa-f:]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, { message: 'expected the address to listen on, such as 127.0.0.1 (behind a reverse proxy) or 0.0.0.0 (all interfaces)' })
    .default('127.0.0.1'),
  WECHATY_PUPPET: z.string().min(1).optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(1).optional(),
  WECHATY_NAME: z.string().min(1).default('jxc-bot'),
  JXC_DIGEST: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
});

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
  logLevel: (typeof levels)[number];
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
}

/** A wrong setting; the message names each variable and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose value is a credential: an error names them and says what is expected, never what was given. */
const SECRET_KEYS = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'WECHATY_PUPPET_SERVICE_TOKEN']);

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
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${shown(String(issue.path[0]), cleaned[String(issue.path[0])])}: ${issue.message}`));
  }
  const e = parsed.data;
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
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    timeZone: e.JXC_TIMEZONE,
    shopName: e.JXC_SHOP,
    owners: e.JXC_OWNERS.split(',').map((id) => id.trim()).filter((id) => id !== ''),
  };
}
