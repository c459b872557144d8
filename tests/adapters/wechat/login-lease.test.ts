import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { PuppetMock } from 'wechaty-puppet-mock';
import { SqliteLoginLeases } from '../../../src/adapters/prisma/sqlite-login-lease.ts';
import { startWechat, WechatLeaseLost, type WechatHandle } from '../../../src/adapters/wechat/start-wechat.ts';
import { createConfig } from '../../../src/config.ts';
import { createApp, type App } from '../../../src/main.ts';
import { migratedDatabaseFile } from '../../helpers/db.ts';

/** Short enough for a test; renewals five times a lease, so a busy test machine does not drop one. */
const TIMING = { ttlMs: 1000, renewEveryMs: 200, waitStepMs: 50 };
const CONFIG = { puppet: 'wechaty-puppet-mock', name: 'jxc-bot' };

/** One jxc-bot process: its own app (own connection to the shared SQLite file), log and terminal. */
interface Process {
  app: App;
  leases: SqliteLoginLeases;
  lines: Record<string, unknown>[];
  drawn: () => string;
  /** startWechat, still waiting while another process holds the login. */
  starting?: Promise<WechatHandle>;
  handle?: WechatHandle;
}

let dir: string;
let processes: Process[] = [];

afterEach(async () => {
  for (const p of processes.reverse()) {
    const handle = p.handle ?? (await settledWithin(p.starting, 0));
    await handle?.stop().catch(() => undefined);
    if (p.app.db?.open) await p.app.close();
  }
  processes = [];
  rmSync(dir, { recursive: true, force: true });
});

async function newProcess(path: string): Promise<Process> {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = await createApp(createConfig({ DATABASE_URL: `file:${path}` }), { logger });
  const p: Process = { app, leases: new SqliteLoginLeases(app.db!), lines, drawn: () => '' };
  processes.push(p);
  return p;
}

/** Starts WeChat in a process with the lease; resolves once startWechat has returned or is known to be waiting. */
function start(p: Process, abort?: AbortSignal): Promise<WechatHandle> {
  const output = new PassThrough();
  let drawn = '';
  output.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
  p.drawn = () => drawn;
  p.starting = startWechat(p.app, CONFIG, { output, pacing: { perChatMs: 0, globalMs: 0 }, loginLeases: p.leases, leaseTiming: TIMING, signal: abort });
  void p.starting.then((h) => (p.handle = h)).catch(() => undefined);
  return p.starting;
}

/** The promise's value if it settles within `ms`, else undefined. */
async function settledWithin<T>(promise: Promise<T> | undefined, ms: number): Promise<T | undefined> {
  if (!promise) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

const until = async (check: () => boolean, ms = 3000) => {
  for (let waited = 0; waited < ms && !check(); waited += 10) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

/** The bot account logs in on the process's mock puppet. */
async function login(handle: WechatHandle): Promise<void> {
  const mocker = (handle.bot.puppet as PuppetMock).mocker;
  mocker.login(mocker.createContact({ name: '仓库助手' }));
  await until(() => handle.bot.wechaty.isLoggedIn);
}

async function setUp(): Promise<{ first: Process; second: Process }> {
  dir = mkdtempSync(join(tmpdir(), 'jxc-wx-lease-'));
  const path = migratedDatabaseFile(dir);
  return { first: await newProcess(path), second: await newProcess(path) };
}

describe('the WeChat login lease across two processes on one database', () => {
  it('makes the second process wait while the first runs, and log in once the first stops', async () => {
    const { first, second } = await setUp();
    const one = await start(first);
    await login(one);
    const holder = one.lease?.holder ?? '';
    expect(holder).toMatch(/^.+:\d+:[0-9a-f]{8}$/);

    const waiting = start(second);
    await until(() => second.drawn().includes('等待接管'));
    expect(second.drawn()).toContain(`另一个进程正在登录微信（${holder}），等待接管…`);
    expect(second.lines).toContainEqual(expect.objectContaining({ msg: `另一个进程正在登录微信（${holder}），等待接管…`, holder, lease: 'wechat:jxc-bot' }));
    // Still waiting well past one lease lifetime: the first renews its lease.
    expect(await settledWithin(waiting, 2.5 * TIMING.ttlMs)).toBeUndefined();
    expect(one.bot.wechaty.isLoggedIn).toBe(true);
    expect(second.drawn().match(/等待接管/g)).toHaveLength(1);

    await one.stop();
    const two = await settledWithin(waiting, 1000);
    expect(two).toBeDefined();
    if (!two) return;
    expect(two.lease?.holder).not.toBe(holder);
    expect(await second.leases.holderOf('wechat:jxc-bot', new Date())).toEqual({ holder: two.lease?.holder, expiresAt: expect.any(Date) });
    await login(two);
    await until(() => second.lines.some((l) => l.msg === 'wechat logged in' && l.user === '仓库助手'));
    expect(second.lines).toContainEqual(expect.objectContaining({ msg: 'wechat login lease taken over' }));
  });

  it('takes over after the lease expires when the first process can no longer renew it, and the first stops its bot', async () => {
    const { first, second } = await setUp();
    const one = await start(first);
    await login(one);
    const waiting = start(second);
    await until(() => second.drawn().includes('等待接管'));

    // The first process loses its database (as a crashed process, it renews no more).
    first.app.db!.close();
    const startedWaiting = Date.now();
    const two = await settledWithin(waiting, 3 * TIMING.ttlMs);
    expect(two).toBeDefined();
    // Not before the last renewal ran out.
    expect(Date.now() - startedWaiting).toBeGreaterThanOrEqual(TIMING.ttlMs - TIMING.renewEveryMs - 50);
    if (two) await login(two);

    const error = await settledWithin(one.failed, 1000);
    expect(error).toBeInstanceOf(WechatLeaseLost);
    expect((error as WechatLeaseLost).loss.reason).toBe('expired');
    await until(() => !one.bot.wechaty.isLoggedIn);
    expect(first.lines).toContainEqual(expect.objectContaining({ msg: 'wechat login lease not renewed; retrying' }));
    expect(first.lines).toContainEqual(expect.objectContaining({ msg: 'wechat stopped' }));
  });

  it('stops the WeChat bot cleanly when another process has taken its lease', async () => {
    const { first, second } = await setUp();
    const one = await start(first);
    await login(one);
    expect(one.lease?.held).toBe(true);
    // Someone else now holds the row (a process whose clock runs far ahead, or an operator).
    second.app.db!.prepare('UPDATE LoginLease SET holder = ?, expiresAt = ?').run('other-host:42:00000000', Date.now() + 60_000);

    const error = await settledWithin(one.failed, 3 * TIMING.renewEveryMs);
    expect(error).toBeInstanceOf(WechatLeaseLost);
    expect((error as Error).message).toContain('微信登录已由另一个进程（other-host:42:00000000）接管');
    expect(one.lease?.held).toBe(false);
    expect(one.bot.wechaty.isLoggedIn).toBe(false);
    expect(first.lines).toContainEqual(expect.objectContaining({ msg: 'wechat login lease lost; stopping wechat', reason: 'taken', holder: 'other-host:42:00000000' }));
    expect(first.lines).toContainEqual(expect.objectContaining({ msg: 'wechat stopped' }));
    // The other holder's row is left alone, also by a later stop().
    await one.stop();
    expect(await second.leases.holderOf('wechat:jxc-bot', new Date())).toMatchObject({ holder: 'other-host:42:00000000' });
  });

  it('stops waiting for the lease when asked to', async () => {
    const { first, second } = await setUp();
    await start(first);
    const abort = new AbortController();
    const waiting = start(second, abort.signal);
    await until(() => second.drawn().includes('等待接管'));
    abort.abort(new Error('Ctrl-C'));
    await expect(waiting).rejects.toThrow('Ctrl-C');
    expect(second.handle).toBeUndefined();
  });
});
