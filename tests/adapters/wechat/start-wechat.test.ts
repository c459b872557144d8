import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanStatus } from 'wechaty';
import type { PuppetMock } from 'wechaty-puppet-mock';
import { loadPuppet, sessionPath, startWechat, WechatPuppetError, type WechatHandle } from '../../../src/adapters/wechat/start-wechat.ts';
import { createConfig } from '../../../src/config.ts';
import { createApp, type App } from '../../../src/main.ts';

const TOKEN = 'puppet_service_secret_0123456789';

describe('loadPuppet', () => {
  it('names the package and the npm install command when the puppet is not installed', async () => {
    const error = await loadPuppet('wechaty-puppet-not-installed-here').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPuppetError);
    const message = (error as Error).message;
    expect(message).toContain('没有安装微信 puppet「wechaty-puppet-not-installed-here」');
    expect(message).toContain('npm install wechaty-puppet-not-installed-here');
    expect(message).toContain('is not installed');
  });

  it('refuses what is not a package name, and packages that are not puppets', async () => {
    await expect(loadPuppet('../../etc/passwd')).rejects.toThrow(/不是 npm 包名/);
    await expect(loadPuppet('zod')).rejects.toThrow(/不是 Wechaty puppet/);
    await expect(loadPuppet('pino')).rejects.toThrow(/不是 Wechaty puppet/);
  });

  it('makes an instance of an installed puppet, passing the token', async () => {
    const puppet = await loadPuppet('wechaty-puppet-mock', TOKEN);
    expect(puppet.name()).toMatch(/^wechaty-puppet-mock/);
    expect((puppet as PuppetMock).options.token).toBe(TOKEN);
  });
});

describe('sessionPath', () => {
  it('keeps the login session next to the database', () => {
    expect(sessionPath('file:./data/jxc.db', 'jxc-bot')).toBe(join('data', 'jxc-bot'));
    expect(sessionPath('file:/srv/jxc/jxc.db', 'jxc-bot')).toBe('/srv/jxc/jxc-bot');
    expect(sessionPath('file:/srv/jxc/jxc.db', '/var/lib/wx/session')).toBe('/var/lib/wx/session');
    expect(sessionPath('postgresql://jxc@db.example:5432/jxc', 'jxc-bot')).toBe('jxc-bot');
  });
});

describe('startWechat', () => {
  let dir: string;
  let app: App;
  let handle: WechatHandle | undefined;
  let lines: string[];

  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot(before?: (dir: string) => void) {
    dir = mkdtempSync(join(tmpdir(), 'jxc-wx-start-'));
    lines = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    app = await createApp(createConfig({ DATABASE_URL: `file:${join(dir, 'jxc.db')}` }), { logger });
    before?.(dir);
    const output = new PassThrough();
    let drawn = '';
    output.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    handle = await startWechat(app, { puppet: 'wechaty-puppet-mock', puppetToken: TOKEN, name: 'jxc-bot' }, { output, pacing: { perChatMs: 0, globalMs: 0 } });
    const puppet = handle.bot.puppet as PuppetMock;
    return { puppet, mocker: puppet.mocker, drawn: () => drawn, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  it('shows the login QR code, logs its URL, logins, logouts and reconnects, and never the token', async () => {
    const { puppet, mocker, drawn, logs } = await boot();
    const qrcode = 'https://login.weixin.qq.com/l/abcdef';
    mocker.scan(qrcode, ScanStatus.Waiting);
    await until(() => drawn().includes(encodeURIComponent(qrcode)));
    expect(drawn()).toContain('请用机器人的微信扫码登录');
    expect(drawn()).toMatch(/[▀▄█]/);
    expect(logs()).toContainEqual(expect.objectContaining({ msg: 'wechat login QR code', qrcode, url: expect.stringContaining(encodeURIComponent(qrcode)) }));

    const me = mocker.createContact({ name: '仓库助手' });
    mocker.login(me);
    await until(() => logs().some((l) => l.msg === 'wechat logged in'));
    expect(logs()).toContainEqual(expect.objectContaining({ msg: 'wechat logged in', user: '仓库助手', userId: me.id }));

    await puppet.logout('test logout');
    await until(() => logs().some((l) => l.msg === 'wechat logged out'));
    mocker.login(me);
    await until(() => logs().some((l) => l.msg === 'wechat reconnected'));

    // A puppet error quoting the token is logged without it.
    puppet.emit('error', { data: `invalid token ${TOKEN}` });
    await until(() => logs().some((l) => l.msg === 'wechat error'));
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(drawn()).not.toContain(TOKEN);
  });

  it('registers a sender so the daily digest reaches WeChat rooms', async () => {
    const { mocker } = await boot();
    expect(app.outbox.has('wechat')).toBe(true);
    expect(await app.outbox.send('wechat', 'room@chatroom', '📋 日报')).toEqual({ ok: false, permanent: false, error: 'WeChat is not logged in' });
    const me = mocker.createContact({ name: '仓库助手' });
    const boss = mocker.createContact({ name: '老板' });
    mocker.login(me);
    await until(() => handle?.bot.wechaty.isLoggedIn === true);
    const room = mocker.createRoom({ topic: '仓库群', memberIdList: [me.id, boss.id] });
    const received: string[] = [];
    handle?.bot.puppet.on('message', ({ messageId }) => {
      const sent = mocker.messagePayload(messageId);
      if (sent.talkerId === me.id && sent.roomId === room.id) received.push(sent.text ?? '');
    });
    expect(await app.outbox.send('wechat', room.id, '📋 日报')).toEqual({ ok: true });
    expect(received).toEqual(['📋 日报']);
  });

  it('keeps the login session file next to the database, not in the working directory', async () => {
    const { puppet } = await boot();
    // What a puppet such as wechat4u does to survive a restart without a new QR scan.
    await puppet.memory.set('session', { cookie: 'x' });
    await puppet.memory.save();
    expect(readdirSync(dir).filter((f) => f.endsWith('.memory-card.json'))).toEqual(['jxc-bot.memory-card.json']);
    expect(existsSync(join(process.cwd(), 'jxc-bot.memory-card.json'))).toBe(false);
  });

  it('keeps the login session file readable by its owner only, also one an older version left open', async () => {
    const { puppet } = await boot();
    await puppet.memory.set('session', { cookie: 'x' });
    await puppet.memory.save();
    const file = join(dir, 'jxc-bot.memory-card.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await handle?.stop();
    handle = undefined;
    await app.close();
    rmSync(dir, { recursive: true, force: true });

    await boot((d) => writeFileSync(join(d, 'jxc-bot.memory-card.json'), JSON.stringify({ session: { cookie: 'old' } }), { mode: 0o644 }));
    expect(statSync(join(dir, 'jxc-bot.memory-card.json')).mode & 0o777).toBe(0o600);
    // The session survives: no new QR code is needed.
    expect(readFileSync(join(dir, 'jxc-bot.memory-card.json'), 'utf8')).toContain('"old"');
  });

  it('refuses to start when the session file is a symbolic link', async () => {
    await expect(boot((d) => symlinkSync(join(d, 'elsewhere.json'), join(d, 'jxc-bot.memory-card.json')))).rejects.toThrow(/符号链接/);
    expect(existsSync(join(dir, 'elsewhere.json'))).toBe(false);
  });
});
