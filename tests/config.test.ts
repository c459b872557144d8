import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createConfig, ENV_KEYS, maskUrlPassword, readEnv } from '../src/config.ts';
import { envSchema } from '../src/config.schema.ts';
import { jxc } from './helpers/cli.ts';

describe('createConfig', () => {
  it('has working defaults for a fresh clone', () => {
    expect(createConfig({})).toEqual({
      databaseUrl: 'file:./data/jxc.db',
      databaseProvider: 'sqlite',
      logLevel: 'info',
      timeZone: 'Asia/Shanghai',
      shopName: '我的店',
      owners: [],
      telegram: undefined,
      wechat: undefined,
      digest: true,
      web: { enabled: true, port: 8080, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:8080', secret: undefined },
    });
  });

  it('reads every variable', () => {
    expect(
      createConfig({ DATABASE_URL: 'file:/tmp/x.db', LOG_LEVEL: 'debug', JXC_TIMEZONE: 'Europe/London', JXC_SHOP: '小店', JXC_OWNERS: 'tg:123, wx:wxid_abc' }),
    ).toEqual({
      databaseUrl: 'file:/tmp/x.db',
      databaseProvider: 'sqlite',
      logLevel: 'debug',
      timeZone: 'Europe/London',
      shopName: '小店',
      owners: ['tg:123', 'wx:wxid_abc'],
      telegram: undefined,
      wechat: undefined,
      digest: true,
      web: { enabled: true, port: 8080, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:8080', secret: undefined },
    });
  });

  it('treats empty values as unset', () => {
    expect(createConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
  });

  it.each([
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud".*expected one of/],
    ['JXC_TIMEZONE', 'Mars/Base', /JXC_TIMEZONE="Mars\/Base".*IANA time zone/],
    ['DATABASE_URL', 'mysql://localhost/jxc', /DATABASE_URL=.*SQLite file URL.*or a PostgreSQL URL/],
    ['JXC_OWNERS', '123456', /JXC_OWNERS="123456".*tg:123456/],
  ])('names %s and what it expects when it is wrong', (key, value, message) => {
    expect(() => createConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => createConfig({ [key]: value })).toThrow(message);
  });

  it('tells SQLite from PostgreSQL by the URL', () => {
    expect(createConfig({ DATABASE_URL: 'file:./data/jxc.db' }).databaseProvider).toBe('sqlite');
    expect(createConfig({ DATABASE_URL: './jxc.db' }).databaseProvider).toBe('sqlite');
    expect(createConfig({ DATABASE_URL: 'postgresql://jxc:pw@db.example:5432/jxc?sslmode=require' })).toMatchObject({
      databaseUrl: 'postgresql://jxc:pw@db.example:5432/jxc?sslmode=require',
      databaseProvider: 'postgresql',
    });
    expect(createConfig({ DATABASE_URL: 'postgres://db.example/jxc' }).databaseProvider).toBe('postgresql');
    expect(() => createConfig({ DATABASE_URL: 'mysql://db.example/jxc' })).toThrow(ConfigError);
  });

  it('picks long polling or a webhook for Telegram', () => {
    const token = '123456789:AAbbccddeeffgghhiijjkkll';
    expect(createConfig({ TELEGRAM_BOT_TOKEN: token }).telegram).toEqual({ mode: 'polling', token, apiRoot: undefined });
    expect(
      createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/tg', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret', PORT: '9000' })
        .telegram,
    ).toEqual({ mode: 'webhook', token, apiRoot: undefined, url: 'https://shop.example.com/tg', secret: 's3cret-s3cret-s3cret', port: 9000, host: '127.0.0.1' });
    const webhook = { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/tg', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret' };
    expect(createConfig({ ...webhook, HOST: '0.0.0.0' }).telegram).toMatchObject({ host: '0.0.0.0' });
    expect(createConfig({ ...webhook, HOST: '::1' }).telegram).toMatchObject({ host: '::1' });
    expect(() => createConfig({ ...webhook, HOST: 'http://example.com' })).toThrow(/HOST="http:\/\/example.com": expected the address to listen on/);
    expect(() => createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/tg' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createConfig({ TELEGRAM_BOT_TOKEN: 'nonsense' })).toThrow(/TELEGRAM_BOT_TOKEN \(value hidden\): .*BotFather/);
  });

  // config.ts checks the environment by hand (zod stays out of start-up); the zod schema in
  // config.schema.ts states the same rules, and both must accept, reject and word alike.
  const cases: Record<(typeof ENV_KEYS)[number], string[]> = {
    DATABASE_URL: ['file:./x.db', './x.db', 'postgresql://u:p@h/db', 'postgres://h/db', 'POSTGRESQL://h/db', 'postgresql:h', 'mysql://h', 'file://abs/x.db'],
    LOG_LEVEL: ['debug', 'silent', 'loud', 'INFO', ' info'],
    JXC_TIMEZONE: ['Asia/Shanghai', 'Europe/London', 'UTC', 'Mars/Base', 'asia/shanghai', '+08:00'],
    JXC_SHOP: ['小店', '  小店  ', '   ', 'x'.repeat(50), 'x'.repeat(51), ` ${'x'.repeat(50)} `],
    JXC_OWNERS: ['tg:1', 'tg:1, wx:wxid_a', 'tg:1,,', '123', 'tg:', 'telegram:9,wechat:w', 'tg:1 2'],
    TELEGRAM_BOT_TOKEN: ['123456789:AAbbccddeeffgghhiijjkkll', 'nonsense', '1:short', ' 123456789:AAbbccddeeffgghhiijjkkll'],
    TELEGRAM_WEBHOOK_URL: ['https://a.example/tg', 'http://a.example', ' https://a.example/x ', 'ftp://a.example', 'https:/a', 'http:example.com', 'nonsense', 'https://exa\nmple.com', 'HTTPS://A.EXAMPLE'],
    TELEGRAM_WEBHOOK_SECRET: ['s3cret-s3cret-s3cret', 'short', 'x'.repeat(256), 'x'.repeat(257), 'has space in it!!'],
    TELEGRAM_API_ROOT: ['http://127.0.0.1:8081', 'nonsense', ' http://h ', 'ftp://h', 'h:1'],
    PORT: ['8080', '0', '1', '65535', '65536', '1.5', 'abc', '-3', ' 80 ', '1e3', 'Infinity', '0x10', '0.5'],
    HOST: ['127.0.0.1', '0.0.0.0', '::1', ' localhost ', 'http://example.com', '-bad', 'a_b'],
    WECHATY_PUPPET: ['wechaty-puppet-mock', ' '],
    WECHATY_PUPPET_SERVICE_TOKEN: ['tok'],
    WECHATY_NAME: ['bot', ' '],
    JXC_DIGEST: ['on', 'off', 'ON', 'yes'],
    JXC_WEB: ['on', 'off', 'Off'],
    PUBLIC_URL: ['https://shop.example.com', 'http://192.168.1.5:8080/jxc', ' https://a.example/ ', 'ftp://a.example', 'shop.example.com'],
    WEB_SECRET: ['x'.repeat(32), 'x'.repeat(31), 'a'.repeat(64), 'has space in it has space in it!!'],
  };
  it.each(ENV_KEYS.flatMap((key) => cases[key].map((value) => [key, value] as const)))('checks %s=%j as the zod schema does', (key, value) => {
    const expected = envSchema.safeParse({ [key]: value });
    const actual = readEnv({ [key]: value });
    if (expected.success) expect(actual).toEqual({ ok: true, env: expected.data });
    else expect(actual).toEqual({ ok: false, problems: expected.error.issues.map((issue) => ({ key: String(issue.path[0]), message: issue.message })) });
  });

  it('has the same variables and defaults as the zod schema', () => {
    expect([...ENV_KEYS].sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(readEnv({})).toEqual({ ok: true, env: envSchema.parse({}) });
  });

  it('lists every variable in .env.example', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const key of Object.keys(envSchema.shape)) expect(example, key).toMatch(new RegExp(`^${key}=`, 'm'));
  });

  it('points sign-in links at PUBLIC_URL, else the webhook origin, else the listening address', () => {
    const token = '123456789:AAbbccddeeffgghhiijjkkll';
    expect(createConfig({}).web).toEqual({ enabled: true, port: 8080, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:8080', secret: undefined });
    expect(createConfig({ PUBLIC_URL: 'https://shop.example.com/jxc/' }).web.publicUrl).toBe('https://shop.example.com/jxc');
    expect(createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/tg', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret' }).web.publicUrl).toBe('https://bot.example.com');
    expect(createConfig({ HOST: '0.0.0.0', PORT: '9000' }).web.publicUrl).toBe('http://127.0.0.1:9000');
    expect(createConfig({ HOST: '::1' }).web.publicUrl).toBe('http://[::1]:8080');
    expect(createConfig({ JXC_WEB: 'off' }).web.enabled).toBe(false);
    expect(() => createConfig({ WEB_SECRET: 'Sup3rS3cret' })).toThrow(/WEB_SECRET \(value hidden\)/);
  });

  it('reads the WeChat puppet', () => {
    expect(createConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'tok' }).wechat).toEqual({
      puppet: 'wechaty-puppet-service',
      puppetToken: 'tok',
      name: 'jxc-bot',
    });
  });

  it('lists every wrong variable at once', () => {
    try {
      createConfig({ LOG_LEVEL: 'x', JXC_TIMEZONE: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  describe('never prints a credential', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['a malformed bot token', { TELEGRAM_BOT_TOKEN: '123456789:Sup3r-S3cret token with spaces' }, 'Sup3r-S3cret'],
      ['a short bot token', { TELEGRAM_BOT_TOKEN: '123456789:Sup3rS3cret' }, 'Sup3rS3cret'],
      ['a malformed webhook secret', { TELEGRAM_BOT_TOKEN: '123456789:AAbbccddeeffgghhiijjkkll', TELEGRAM_WEBHOOK_URL: 'https://x.example/tg', TELEGRAM_WEBHOOK_SECRET: 'hunter2 hunter2 hunter2' }, 'hunter2'],
      ['a password in DATABASE_URL', { DATABASE_URL: 'mysql://jxc:Sup3rS3cret@db.example:5432/jxc' }, 'Sup3rS3cret'],
      ['a password parameter in DATABASE_URL', { DATABASE_URL: 'mysql://db.example/jxc?user=jxc&password=Sup3rS3cret' }, 'Sup3rS3cret'],
    ];
    it.each(cases)('%s', (_what, env, secret) => {
      let message = '';
      try {
        createConfig(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^配置错误/);
      expect(message).not.toContain(secret);
      expect(message).toMatch(/(TELEGRAM_BOT_TOKEN|TELEGRAM_WEBHOOK_SECRET) \(value hidden\): expected|DATABASE_URL="mysql:\/\/.*\*\*\*.*": expected an SQLite file URL/);
    });

    it('masks a URL’s password and keeps the rest readable', () => {
      expect(maskUrlPassword('postgresql://jxc:p@ss@db:5432/jxc')).toBe('postgresql://jxc:***@db:5432/jxc');
      expect(maskUrlPassword('postgresql://jxc:pw@db/jxc?sslmode=require&password=x')).toBe('postgresql://jxc:***@db/jxc?sslmode=require&password=***');
      expect(maskUrlPassword('file:./data/jxc.db')).toBe('file:./data/jxc.db');
    });

    it('on the command line either', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jxc-config-'));
      try {
        const r = await jxc(['export', 'stock'], { databaseUrl: 'mysql://jxc:Sup3rS3cret@db.example/jxc', env: { TELEGRAM_BOT_TOKEN: '1:Sup3rS3cretToken' } });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('TELEGRAM_BOT_TOKEN (value hidden)');
        expect(r.stderr).toContain('DATABASE_URL=');
        expect(r.stderr + r.stdout).not.toContain('Sup3rS3cret');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
