import type { ApiClientOptions } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTelegram, type RunningTelegram } from '../../../src/adapters/telegram/start.ts';
import { BOT_INFO, createTestApp, TOKEN, type TestApp } from './harness.ts';

/**
 * These tests replace the HTTP layer under grammY (its `fetch`), so the bot's own transformers —
 * throttler and auto-retry — run exactly as in production while "Telegram" is scripted.
 */
type Script = (method: string, body: Record<string, unknown>) => unknown;

interface Delivered {
  chatId: unknown;
  text: string;
  at: number;
}

let t: TestApp;
let running: RunningTelegram | undefined;
let delivered: Delivered[];

const ok = (result: unknown = true) => ({ ok: true, result });

// The scripted long poll waits on the real clock, also while a test fakes timers for auto-retry: a
// poll parked on a fake timer that is never run again would keep `stop()` (afterEach) waiting forever.
const realSetTimeout = globalThis.setTimeout;

function fakeFetch(script: Script): NonNullable<ApiClientOptions['fetch']> {
  const fake = async (url: string, init: { body?: unknown }) => {
    const method = String(url).split('/').pop() ?? '';
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    let json = script(method, body);
    if (json === undefined && method === 'getMe') json = ok(BOT_INFO);
    if (json === undefined && method === 'getUpdates') {
      await new Promise((resolve) => realSetTimeout(resolve, 50));
      json = ok([]);
    }
    if (json === undefined && method === 'sendMessage') {
      delivered.push({ chatId: body.chat_id, text: String(body.text), at: Date.now() });
      json = ok({ message_id: delivered.length, date: 0, chat: { id: body.chat_id, type: 'group' }, text: body.text });
    }
    return new Response(JSON.stringify(json ?? ok()), { headers: { 'content-type': 'application/json' } });
  };
  // grammY types its fetch option as node-fetch's; the global fetch's Response is what it reads.
  return fake as unknown as NonNullable<ApiClientOptions['fetch']>;
}

/**
 * Runs `work` with setTimeout and Date faked, moving the clock on until it settles: the retry and
 * throttling waits (seconds of real time) run in an instant, in order, and Date.now() tells them apart.
 */
async function onFakeTime<T>(work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    let settled = false;
    const done = work().finally(() => {
      settled = true;
    });
    // Between steps the real event loop turns (setImmediate is not faked), so the fetch responses, read
    // as streams, arrive however busy the machine is.
    while (!settled) {
      await vi.advanceTimersByTimeAsync(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return await done;
  } finally {
    vi.useRealTimers();
  }
}

async function start(script: Script): Promise<void> {
  running = await startTelegram(t.app, { mode: 'polling', token: TOKEN }, { client: { fetch: fakeFetch(script) } });
}

beforeEach(async () => {
  t = await createTestApp();
  delivered = [];
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await t.cleanup();
});

describe('outgoing calls', () => {
  it('a digest to many groups arrives whole although Telegram answers 429 at first', async () => {
    const limited = new Set<unknown>();
    await start((method, body) => {
      if (method !== 'sendMessage' || limited.has(body.chat_id)) return undefined;
      limited.add(body.chat_id);
      return { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } };
    });
    const groups = Array.from({ length: 25 }, (_, i) => String(-100_000 - i));
    // Each group is told to wait 1 s (retry_after): on fake timers the test does not.
    const results = await onFakeTime(() => Promise.all(groups.map((chatId) => t.app.outbox.send('telegram', chatId, `📋 日报 ${chatId}`))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(delivered.map((d) => d.chatId).sort()).toEqual(groups.map(Number).sort());
  });

  it('are retried after a network error', async () => {
    let failed = false;
    await start((method) => {
      if (method !== 'sendMessage' || failed) return undefined;
      failed = true;
      throw new TypeError('fetch failed: ECONNRESET');
    });
    // auto-retry waits 3 s before retrying a network error: on fake timers the test does not.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sent = t.app.outbox.send('telegram', '-100777', '📋 日报');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await sent).toEqual({ ok: true });
    } finally {
      vi.useRealTimers();
    }
    expect(delivered.map((d) => d.text)).toEqual(['📋 日报']);
  });

  it('are spaced out to stay within the per-group limit', async () => {
    await start(() => undefined);
    // The throttler's waits pass on fake time (and Date.now with it): the spacing is measured, not waited.
    await onFakeTime(() => Promise.all(['一', '二', '三'].map((n) => t.app.outbox.send('telegram', '-100888', n))));
    expect(delivered).toHaveLength(3);
    const [a, b, c] = delivered.map((d) => d.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(900);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(900);
  });
});

describe('the outbox sender', () => {
  it('splits a long digest on line boundaries', async () => {
    await start(() => undefined);
    const text = Array.from({ length: 400 }, (_, i) => `· 商品${i} 库存 ${i} 件`).join('\n');
    expect(await onFakeTime(() => t.app.outbox.send('telegram', '1001', text))).toEqual({ ok: true });
    expect(delivered.length).toBeGreaterThan(1);
    for (const d of delivered) expect(d.text.length).toBeLessThanOrEqual(4096);
    expect(delivered.map((d) => d.text).join('\n')).toBe(text);
  });

  it('reports a chat that removed the bot as permanent', async () => {
    await start((method) => (method === 'sendMessage' ? { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the group chat' } : undefined));
    const result = await t.app.outbox.send('telegram', '-100999', '📋 日报');
    expect(result).toMatchObject({ ok: false, permanent: true });
  });

  it('follows a group that became a supergroup', async () => {
    const shop = await t.app.shop('小店');
    await t.app.access.bind({ shopId: shop.id, platform: 'telegram', chatId: '-4002', audience: 'staff', title: '仓库群' }, new Date());
    await start((method, body) =>
      method === 'sendMessage' && body.chat_id === -4002
        ? { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1004002 } }
        : undefined,
    );
    expect(await t.app.outbox.send('telegram', '-4002', '📋 日报')).toEqual({ ok: true });
    expect(delivered.map((d) => d.chatId)).toEqual([-1004002]);
    expect((await t.app.access.bindingOf('telegram', '-1004002'))?.shopId).toBe(shop.id);
    expect(await t.app.access.bindingOf('telegram', '-4002')).toBeUndefined();
  });
});

describe('start-up', () => {
  it('logs a method the server does not support and runs on', async () => {
    await start((method) => (method === 'setMyCommands' ? { ok: false, error_code: 404, description: 'Not Found: method not found' } : undefined));
    expect(t.logs.some((l) => l.method === 'setMyCommands' && l.level === 40)).toBe(true);
    expect(t.logs.some((l) => l.msg === 'telegram bot started (long polling)' && l.bot === 'jxc_bot')).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain(TOKEN.split(':')[1]);
    expect(await t.app.outbox.send('telegram', '1001', '你好')).toEqual({ ok: true });
  });

  it('fails at once when Telegram cannot be reached or refuses the token', async () => {
    const unreachable = startTelegram(t.app, { mode: 'polling', token: TOKEN }, { client: { fetch: fakeFetch(() => { throw new TypeError('fetch failed'); }) } });
    await expect(unreachable).rejects.toThrow("Network request for 'getMe' failed");
    const revoked = startTelegram(t.app, { mode: 'polling', token: TOKEN }, { client: { fetch: fakeFetch(() => ({ ok: false, error_code: 401, description: 'Unauthorized' })) } });
    await expect(revoked).rejects.toThrow('401: Unauthorized');
    expect(t.app.outbox.has('telegram')).toBe(false);
  });

  it('reports polling refused for good (another process polls with the token)', async () => {
    await start((method) =>
      method === 'getUpdates' ? { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' } : undefined,
    );
    const reason = await running?.failed;
    expect(reason?.message).toContain('409');
    expect(t.logs.some((l) => l.level === 50 && l.msg === 'telegram polling stopped: another process polls with this token')).toBe(true);
  });
});
