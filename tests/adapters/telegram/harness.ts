import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import pino from 'pino';
import { createConfig } from '../../../src/config.ts';
import { createApp, type App } from '../../../src/main.ts';
import { migratedDatabaseFile } from '../../helpers/db.ts';

/** Matches the token format the config accepts; never a real one. */
export const TOKEN = '123456789:TEST_token_abcdefghijklmnopqrstu';

/** The bot as handleUpdate tests know it (no getMe). */
export const BOT_INFO = {
  id: 666,
  is_bot: true,
  first_name: '进销存',
  username: 'jxc_bot',
  can_join_groups: true,
  can_read_all_group_messages: true,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export interface TestApp {
  app: App;
  /** Structured log lines written so far. */
  logs: { level: number; msg: string; [key: string]: unknown }[];
  cleanup(): Promise<void>;
}

/** A real app on a throwaway SQLite file, logging into memory. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-tg-'));
  const logs: TestApp['logs'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as TestApp['logs'][number]);
      done();
    },
  });
  const config = createConfig({ DATABASE_URL: `file:${migratedDatabaseFile(dir)}`, LOG_LEVEL: 'debug', ...env });
  const app = await createApp(config, { logger: pino({ level: 'debug' }, stream) });
  return {
    app,
    logs,
    async cleanup() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** The id Telegram gave a sent message. */
  messageId?: number | undefined;
}

/**
 * Intercepts every outgoing call of a bot (installed last, so it runs first: no network, no
 * throttling) and answers like Telegram would. Sent messages get increasing ids.
 */
export function interceptCalls(bot: Bot): ApiCall[] {
  const calls: ApiCall[] = [];
  let nextId = 5_000;
  bot.api.config.use(async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    const messageId = method === 'sendMessage' ? nextId++ : undefined;
    calls.push({ method, payload: p, messageId });
    const result = messageId !== undefined ? { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: p.chat_id, type: 'group' }, text: p.text } : true;
    // The transformer's declared return type depends on the method; this stub answers all of them.
    return { ok: true, result } as unknown as Awaited<ReturnType<typeof _prev>>;
  });
  return calls;
}

export interface TestUser {
  id: number;
  is_bot: false;
  first_name: string;
  username: string;
}

export const boss: TestUser = { id: 1001, is_bot: false, first_name: '老王', username: 'laowang' };
export const li: TestUser = { id: 1002, is_bot: false, first_name: '小李', username: 'xiaoli' };
export const zhang: TestUser = { id: 1003, is_bot: false, first_name: '小张', username: 'xiaozhang' };

export const warehouse = { id: -100500, type: 'supergroup' as const, title: '仓库群' };

let updateId = 1;
let messageId = 100;

/** Seconds since the epoch, as Telegram dates messages. */
export const now = (): number => Math.floor(Date.now() / 1000);

/** A text message update; `extra` overrides any field of the message. */
export function textUpdate(from: TestUser, text: string, chat: { id: number; type: string; title?: string } = warehouse, extra: Record<string, unknown> = {}): Update {
  return { update_id: updateId++, message: { message_id: messageId++, date: now(), chat, from, text, ...extra } } as unknown as Update;
}

/** Any update, with a fresh update id. */
export function update(body: Record<string, unknown>): Update {
  return { update_id: updateId++, ...body } as unknown as Update;
}

/** A fresh message id, for building messages by hand. */
export function nextMessageId(): number {
  return messageId++;
}

/** Stock of one product in a shop, in units (all locations). */
export async function stockOf(app: App, shopName: string, product: string): Promise<number> {
  const shop = await app.store.shopByName(shopName);
  if (!shop) throw new Error(`no shop ${shopName}`);
  return (await app.store
      .stock(shop.id))
    .filter((r) => r.product === product)
    .reduce((sum, r) => sum + r.qtyMilli / 1000, 0);
}

/** Number of ledger entries in a shop. */
export async function entryCount(app: App, shopName: string): Promise<number> {
  const shop = await app.store.shopByName(shopName);
  return shop ? (await app.store.entries(shop.id)).length : 0;
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
