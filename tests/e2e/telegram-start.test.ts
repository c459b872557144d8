import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../adapters/telegram/emulator.ts';
import { TOKEN } from '../adapters/telegram/harness.ts';

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

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it('runs the Telegram bot until SIGTERM, then stops cleanly', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: dir,
      env: {
        ...process.env,
        DATABASE_URL: `file:${join(dir, 'jxc.db')}`,
        LOG_LEVEL: 'info',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: server.config.apiURL,
        TELEGRAM_WEBHOOK_URL: '',
        TELEGRAM_WEBHOOK_SECRET: '',
        WECHATY_PUPPET: '',
        JXC_DIGEST: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until(() => stderr.includes('已启动'), 'the bot to start');
      expect(stderr).toContain('Telegram 机器人 @TestNameBot 已启动');

      const client = server.getClient(TOKEN, { type: 'private', chatId: 5001, userId: 5001, firstName: '老板' });
      await client.sendMessage(client.makeMessage('开店 我的网店'));
      const replies = () => server.storage.botMessages.filter((m) => String(m.message.chat_id) === '5001').map((m) => String(m.message.text));
      await until(() => replies().length > 0, 'the reply');
      expect(replies()[0]).toContain('店铺「我的网店」已开通');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(TOKEN.split(':')[1]);
  }, 60_000);
});
