import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../adapters/telegram/emulator.ts';
import { TOKEN } from '../adapters/telegram/harness.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../helpers/pg.ts';

const BIN = fileURLToPath(new URL('../../bin/jxc.cjs', import.meta.url));

let server: TelegramServer;
let dir: string;

beforeAll(async () => {
  server = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'jxc-start-'));
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on right now (the web view's; the default 8080 may be taken on a shared machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `jxc start` on the database at `databaseUrl`: the bot answers a private chat, the web view serves, SIGTERM stops it. */
async function startTalkAndStop(databaseUrl: string, chatId: number): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: server.config.apiURL,
      TELEGRAM_WEBHOOK_URL: '',
      TELEGRAM_WEBHOOK_SECRET: '',
      WECHATY_PUPPET: '',
      JXC_DIGEST: 'off',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: '',
      WEB_SECRET: '',
      JXC_WEB: 'on',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await until(() => stderr.includes('已启动'), 'the bot to start');
    expect(stderr).toContain('Telegram 机器人 @TestNameBot 已启动');

    const client = server.getClient(TOKEN, { type: 'private', chatId, userId: chatId, firstName: '老板' });
    await client.sendMessage(client.makeMessage('开店 我的网店'));
    const replies = () => server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(chatId)).map((m) => String(m.message.text));
    await until(() => replies().length > 0, 'the reply');
    expect(replies()[0]).toContain('店铺「我的网店」已开通');

    // The web view on HOST:PORT: its sign-in page, nothing else without a session, and 网页 links to it.
    expect(stderr).toContain(`网页版：http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/stock`, { redirect: 'manual' })).status).toBe(302);
    await client.sendMessage(client.makeMessage('网页'));
    await until(() => replies().length > 1, 'the sign-in link');
    const link = replies()[1]?.match(/http:\/\/\S+/)?.[0] as string;
    expect(link.startsWith(`http://127.0.0.1:${port}/login/`)).toBe(true);
    expect(await (await fetch(link)).text()).toContain('确认登录');
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stderr).not.toContain(TOKEN.split(':')[1]);
}

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it('runs the Telegram bot and the web view until SIGTERM, then stops cleanly', async () => {
    await startTalkAndStop(`file:${join(dir, 'jxc.db')}`, 5001);
  }, 60_000);
});

describePg('npm start with TELEGRAM_BOT_TOKEN on PostgreSQL', () => {
  let db: PgTestDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates the database, runs the Telegram bot and the web view on it, and stops cleanly', async () => {
    db = await createPgDatabase(import.meta.url);
    await startTalkAndStop(db.url, 5002);
  }, 60_000);
});
