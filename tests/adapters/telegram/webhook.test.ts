import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegram, type RunningTelegram } from '../../../src/adapters/telegram/start.ts';
import { createConfig } from '../../../src/config.ts';
import { boss, createTestApp, freePort, now, TOKEN, type TestApp } from './harness.ts';

const SECRET = 'webhook_secret_0123456789';

let server: TelegramServer;
let t: TestApp;
let running: RunningTelegram;
let endpoint: string;
let updateId = 1;

function post(body: unknown, headers: Record<string, string> = {}, path = '/telegram/hook'): Promise<Response> {
  return fetch(`${endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function privateMessage(text: string) {
  return { update_id: updateId++, message: { message_id: updateId + 100, date: now(), chat: { id: boss.id, type: 'private', first_name: boss.first_name }, from: boss, text } };
}

function botMessages(): string[] {
  return server.storage.botMessages.filter((m) => m.botToken === TOKEN).map((m) => String(m.message.text));
}

beforeAll(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await server.start();
  t = await createTestApp();
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  running = await startTelegram(
    t.app,
    { mode: 'webhook', token: TOKEN, apiRoot: server.config.apiURL, url: `${endpoint}/telegram/hook`, secret: SECRET, port, host: '127.0.0.1' },
    { throttle: false },
  );
});

afterAll(async () => {
  await running.stop();
  await server.stop();
  await t.cleanup();
});

describe('webhook mode', () => {
  it('registers the webhook with its secret and starts although the server lacks setMyCommands', () => {
    const hooks = (server as unknown as { webhooks: Record<string, { url: string; secret_token?: string }> }).webhooks;
    expect(hooks[TOKEN]).toMatchObject({ url: `${endpoint}/telegram/hook`, secret_token: SECRET });
    expect(t.logs.some((l) => l.method === 'setMyCommands' && l.level === 40)).toBe(true);
    expect(t.logs.some((l) => l.msg === 'telegram bot started (webhook)')).toBe(true);
  });

  it('listens on the loopback interface only, as HOST says by default', () => {
    expect(createConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: endpoint, TELEGRAM_WEBHOOK_SECRET: SECRET }).telegram).toMatchObject({ host: '127.0.0.1' });
    expect(running.listening?.host).toBe('127.0.0.1');
    expect(t.logs.find((l) => l.msg === 'telegram bot started (webhook)')).toMatchObject({ host: '127.0.0.1' });
  });

  it('refuses requests without the secret header (401) and changes nothing', async () => {
    expect((await post(privateMessage('开店 小店'))).status).toBe(401);
    expect((await post(privateMessage('开店 小店'), { 'X-Telegram-Bot-Api-Secret-Token': 'wrong_secret_0123456789' })).status).toBe(401);
    expect(await t.app.store.listShops()).toEqual([]);
    expect(botMessages()).toEqual([]);
  });

  it('handles updates that carry the secret', async () => {
    const response = await post(privateMessage('开店 小店'), { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(response.status).toBe(200);
    expect((await t.app.store.listShops()).map((s) => s.name)).toEqual(['小店']);
    expect(botMessages().at(-1)).toContain('店铺「小店」已开通');
    await post(privateMessage('进货 T恤 50 件 单价 20'), { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(botMessages().at(-1)).toContain('✅ #1 进货 T恤 50件');
  });

  it('answers health checks and nothing else', async () => {
    expect((await fetch(`${endpoint}/healthz`)).status).toBe(200);
    expect((await post(privateMessage('库存'), { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, '/elsewhere')).status).toBe(404);
  });

  it('answers malformed updates that carry the secret with 200, logs them and keeps serving', async () => {
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': SECRET };
    const before = t.logs.length;
    const bodies: unknown[] = [
      null,
      { update_id: updateId++, message: { message_id: 1, date: now(), chat: { id: boss.id, type: 'private' }, text: '查 T恤' } },
      { update_id: updateId++, message: { message_id: 2, date: now(), chat: { id: boss.id, type: 'private' }, from: boss, text: ['查'] } },
    ];
    for (const body of bodies) expect((await post(body, headers)).status).toBe(200);
    const logged = t.logs.slice(before);
    expect(logged.filter((l) => l.msg === 'malformed telegram update ignored').map((l) => l.problem)).toEqual([
      'the update is null',
      'message.from is missing',
      'message.text is not text',
    ]);
    expect(logged.some((l) => l.msg === 'telegram webhook update failed')).toBe(false);
    expect((await post(privateMessage('帮助'), headers)).status).toBe(200);
  });
});
