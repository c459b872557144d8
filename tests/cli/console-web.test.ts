import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-console-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function terminal(): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  stream.isTTY = true;
  return { stream, text: () => text };
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('jxc start with no chat platform, on a terminal', () => {
  it('serves the web view beside the console chat: 网页 in the console signs the owner in', async () => {
    const port = await freePort();
    const stdin: PassThrough & { isTTY?: boolean } = new PassThrough();
    stdin.isTTY = true;
    const out = terminal();
    const err = terminal();
    const exited = runCli(['start'], {
      stdin,
      stdout: out.stream,
      stderr: err.stream,
      env: { TZ: process.env.TZ, DATABASE_URL: `file:${join(dir, 'jxc.db')}`, LOG_LEVEL: 'silent', PORT: String(port), HOST: '127.0.0.1' },
    });
    await until(() => (err.text().includes('网页版：') ? true : undefined), 'the web view to start');
    expect(err.text()).toContain(`http://127.0.0.1:${port}`);
    stdin.write('进货 卫衣 20 件 单价 35\n');
    await until(() => (out.text().includes('✅') ? true : undefined), 'the purchase');
    stdin.write('网页\n');
    const link = await until(() => out.text().match(/http:\/\/127\.0\.0\.1:\d+\/login\/\S+/)?.[0], 'the sign-in link');

    const shown = await fetch(link);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('确认登录');
    const signed = await fetch(link, { method: 'POST', redirect: 'manual', headers: { Origin: `http://127.0.0.1:${port}` } });
    expect(signed.status).toBe(303);
    const cookie = (signed.headers.get('Set-Cookie') ?? '').split(';')[0] ?? '';
    const stock = await fetch(`http://127.0.0.1:${port}/stock`, { headers: { Cookie: cookie } });
    expect(stock.status).toBe(200);
    expect(await stock.text()).toContain('卫衣');

    stdin.end();
    expect(await exited).toBe(0);
    // The server stopped with the chat.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);
});
