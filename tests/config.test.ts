import { describe, expect, it } from 'vitest';
import { ConfigError, createConfig } from '../src/config.ts';

describe('createConfig', () => {
  it('has working defaults for a fresh clone', () => {
    expect(createConfig({})).toEqual({
      databaseUrl: 'file:./data/jxc.db',
      logLevel: 'info',
      timeZone: 'Asia/Shanghai',
      shopName: '我的店',
      owners: [],
      telegram: undefined,
      wechat: undefined,
      digest: true,
    });
  });

  it('reads every variable', () => {
    expect(
      createConfig({ DATABASE_URL: 'file:/tmp/x.db', LOG_LEVEL: 'debug', JXC_TIMEZONE: 'Europe/London', JXC_SHOP: '小店', JXC_OWNERS: 'tg:123, wx:wxid_abc' }),
    ).toEqual({
      databaseUrl: 'file:/tmp/x.db',
      logLevel: 'debug',
      timeZone: 'Europe/London',
      shopName: '小店',
      owners: ['tg:123', 'wx:wxid_abc'],
      telegram: undefined,
      wechat: undefined,
      digest: true,
    });
  });

  it('treats empty values as unset', () => {
    expect(createConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
  });

  it.each([
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud".*expected one of/],
    ['JXC_TIMEZONE', 'Mars/Base', /JXC_TIMEZONE="Mars\/Base".*IANA time zone/],
    ['DATABASE_URL', 'postgresql://localhost/jxc', /DATABASE_URL=.*SQLite file URL/],
    ['JXC_OWNERS', '123456', /JXC_OWNERS="123456".*tg:123456/],
  ])('names %s and what it expects when it is wrong', (key, value, message) => {
    expect(() => createConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => createConfig({ [key]: value })).toThrow(message);
  });

  it('picks long polling or a webhook for Telegram', () => {
    const token = '123456789:AAbbccddeeffgghhiijjkkll';
    expect(createConfig({ TELEGRAM_BOT_TOKEN: token }).telegram).toEqual({ mode: 'polling', token, apiRoot: undefined });
    expect(
      createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/tg', TELEGRAM_WEBHOOK_SECRET: 's3cret-s3cret-s3cret', PORT: '9000' })
        .telegram,
    ).toEqual({ mode: 'webhook', token, apiRoot: undefined, url: 'https://shop.example.com/tg', secret: 's3cret-s3cret-s3cret', port: 9000 });
    expect(() => createConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://shop.example.com/tg' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createConfig({ TELEGRAM_BOT_TOKEN: 'nonsense' })).toThrow(/TELEGRAM_BOT_TOKEN="nonsense".*BotFather/);
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
});
