import { z } from 'zod';
import { DATABASE_URL_EXPECTED, databaseProviderOf, isTimeZone, LOG_LEVELS as levels } from './config.ts';

// The environment as a zod schema: the reference the hand-written checks in config.ts are tested
// against (tests/config.test.ts), kept out of the start-up path (zod is ~95 modules).

/** Every setting jxc-bot reads from the environment (and `.env`). See .env.example. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('file:./data/jxc.db')
    .refine((v) => databaseProviderOf(v) !== undefined, { message: DATABASE_URL_EXPECTED }),
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
  JXC_WEB: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'expected the address people open the web view at, like https://shop.example.com' }).optional(),
  WEB_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,256}$/, { message: 'expected 32–256 characters of A-Z a-z 0-9 _ - (for example: openssl rand -hex 32)' })
    .optional(),
});
