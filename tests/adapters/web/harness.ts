import type { ChartRenderer } from '../../../src/adapters/web/charts.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { GatewayMessage } from '../../../src/bot/gateway.ts';
import type { WebLinkIssuer } from '../../../src/bot/web/web.port.ts';
import { createConfig } from '../../../src/config.ts';
import { createHttpServer, type HttpServer } from '../../../src/http-server.ts';
import { mountWebView } from '../../../src/adapters/web/web-app.ts';
import { createApp, type App } from '../../../src/main.ts';
import { migratedDatabaseFile, TestClock } from '../../helpers/db.ts';

/** A shop with an owner (private chat p-boss), a staff group g1 and staff member li's private chat p-li, on a real database. */
export interface WebFixture {
  app: App;
  http: HttpServer;
  /** What the web view registered on the engine for 「网页」. */
  issuer: WebLinkIssuer;
  clock: TestClock;
  say(chatId: string, userId: string, text: string, extra?: Partial<GatewayMessage>): Promise<string | undefined>;
  /** Sends 「网页」 from a private chat and returns the sign-in link's path (`/login/…`). */
  linkFor(userId: string): Promise<string>;
  close(): Promise<void>;
}

export const PUBLIC_URL = 'https://shop.example.com';

export async function createWebFixture(options: { publicUrl?: string; charts?: ChartRenderer } = {}): Promise<WebFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-web-'));
  const clock = new TestClock(new Date('2026-11-20T04:00:00Z'));
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const app = await createApp(createConfig({ DATABASE_URL: `file:${migratedDatabaseFile(dir)}`, LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl }), { clock });
  const http = createHttpServer();
  const issuer = mountWebView(http.app, { ...app.web, publicUrl, charts: options.charts });
  app.engine.web.register(issuer);
  let n = 0;
  const say = async (chatId: string, userId: string, text: string, extra: Partial<GatewayMessage> = {}) => {
    n += 1;
    const m: GatewayMessage = { platform: 'telegram', chatId, chatType: chatId.startsWith('p') ? 'private' : 'group', messageId: String(n), userId, userName: userId, userHandle: userId, text, ...extra };
    return (await app.gateway.respond(m))?.text;
  };
  expect(await say('p-boss', 'boss', '开店 小店')).toContain('已开通');
  const groupCode = (await say('p-boss', 'boss', '绑定码'))?.match(/绑定码 (\w+)/)?.[1];
  expect(await say('g1', 'boss', `绑定 ${groupCode}`)).toContain('店员群');
  await say('g1', 'li', '大家好');
  expect(await say('g1', 'boss', '授权 @li 店员')).toContain('店员');
  const code = (await say('p-boss', 'boss', '绑定码'))?.match(/绑定码 (\w+)/)?.[1];
  expect(await say('p-li', 'li', `绑定 ${code}`)).toContain('不显示成本');
  expect(await say('p-boss', 'boss', '进货 卫衣 20 件 单价 35 供应商 老张')).toContain('✅');
  expect(await say('p-boss', 'boss', '进货 帆布包 10 个 单价 12')).toContain('✅');
  expect(await say('g1', 'li', '卖了 卫衣 3 件 单价 89 淘宝 顾客要白色的')).toContain('✅');
  expect(await say('g1', 'li', '卖了 帆布包 2 个 单价 39 京东')).toContain('✅');
  return {
    app,
    http,
    issuer,
    clock,
    say,
    async linkFor(userId: string) {
      const text = await say(`p-${userId}`, userId, '网页');
      const url = text?.match(/https?:\/\/\S+/)?.[0];
      expect(url, text).toBeDefined();
      return new URL(url as string).pathname;
    },
    async close() {
      await http.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` of a response's Set-Cookie, for the next request's Cookie header. */
export function cookieOf(response: Response): string {
  const set = response.headers.get('Set-Cookie') ?? '';
  return set.split(';')[0] ?? '';
}
