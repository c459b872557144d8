import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleChatId, runConsoleChat } from '../../../src/adapters/console/console-chat.ts';
import { saveFile } from '../../../src/adapters/console/console-files.ts';
import { CANCELLED, NOTHING_PENDING, OWNER_ONLY_IMPORT } from '../../../src/bot/files/file-replies.ts';
import { createConfig } from '../../../src/config.ts';
import type { ShopRecord } from '../../../src/core/ports.ts';
import { createApp, type App } from '../../../src/main.ts';
import { migratedDatabaseFile } from '../../helpers/db.ts';

const STOCK_CSV = ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20', '袜子,,双,100,2.5', ''].join('\n');

let dir: string;
let dbPath: string;
let exportsDir: string;
let apps: App[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-console-files-'));
  exportsDir = mkdtempSync(join(dir, 'out-'));
  dbPath = migratedDatabaseFile(dir);
  apps = [];
});
afterEach(async () => {
  for (const app of apps) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An app on the test's SQLite file with the console bound as the owner's chat, as `jxc chat` does. */
async function start(user = '小王', role: 'owner' | 'staff' = 'owner'): Promise<{ app: App; shop: ShopRecord }> {
  const app = await createApp(createConfig({ DATABASE_URL: `file:${dbPath}`, LOG_LEVEL: 'silent' }));
  apps.push(app);
  const shop = await app.shop('小店');
  if (!await app.access.bindingOf('console', consoleChatId(shop))) {
    await app.access.bind({ shopId: shop.id, platform: 'console', chatId: consoleChatId(shop), audience: 'owner', title: '控制台' }, app.clock.now());
  }
  if (!await app.access.personByIdentity(shop.id, 'console', user)) await app.access.createPerson(shop.id, user, role, { platform: 'console', platformUserId: user, handle: user }, app.clock.now());
  return { app, shop };
}

async function chat(app: App, shop: ShopRecord, lines: string[], user = '小王'): Promise<string> {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await runConsoleChat({ handle: (m) => app.gateway.respond(m), shop, user, input: Readable.from(lines.map((l) => `${l}\n`)), output, interactive: false, filesDir: exportsDir });
  return text;
}

const savedPaths = (text: string): string[] => [...text.matchAll(/已保存到 (.+)/g)].map((m) => m[1] as string);

describe('spreadsheets on the console', () => {
  it('writes an export to a file the reply names, mode 600, never over an earlier one', async () => {
    const { app, shop } = await start();
    const out = await chat(app, shop, ['进货 T恤 50 件 单价 20', '出货 T恤 5 件 单价 59', '导出 本月', '导出 本月', '导出 库存']);
    expect(out).toContain('📊 「小店」本月：流水 2 条，含利润表');
    const [first, second, stock] = savedPaths(out);
    expect(first).toMatch(/小店-本月-流水利润\.xlsx$/);
    expect(second).toMatch(/小店-本月-流水利润 \(2\)\.xlsx$/);
    expect(stock).toMatch(/小店-库存-.*\.xlsx$/);
    for (const path of [first, second, stock]) {
      expect(path?.startsWith(exportsDir)).toBe(true);
      expect(statSync(path as string).mode & 0o777).toBe(0o600);
      expect(readFileSync(path as string).subarray(0, 2).toString('latin1')).toBe('PK');
    }
  });

  it('keeps a file that is already there', async () => {
    const { app, shop } = await start();
    const taken = join(exportsDir, '小店-本月-流水利润.xlsx');
    writeFileSync(taken, 'mine');
    const out = await chat(app, shop, ['导出']);
    expect(savedPaths(out)[0]).toMatch(/ \(2\)\.xlsx$/);
    expect(readFileSync(taken, 'utf8')).toBe('mine');
  });

  it('imports a file by path: preview, then 确认导入', async () => {
    const { app, shop } = await start();
    writeFileSync(join(dir, '期初库存.csv'), STOCK_CSV);
    const preview = await chat(app, shop, [`导入 ${join(dir, '期初库存.csv')}`]);
    expect(preview).toContain('试导入期初库存');
    expect(preview).toContain('将导入 2 行');
    expect(await app.store.stock(shop.id)).toEqual([]);
    const done = await chat(app, shop, ['确认导入', '确认导入', '查 袜子']);
    expect(done).toContain('✅ 已导入 2 行');
    expect(done).toContain(NOTHING_PENDING);
    expect(done).toContain('袜子：100双');
  });

  it('keeps the previewed import across a restart', async () => {
    const first = await start();
    writeFileSync(join(dir, 'stock.csv'), STOCK_CSV);
    expect(await chat(first.app, first.shop, [`导入 ${join(dir, 'stock.csv')}`])).toContain('将导入 2 行');
    await first.app.close();
    apps = apps.filter((a) => a !== first.app);
    rmSync(join(dir, 'stock.csv'));

    const second = await start();
    expect(await chat(second.app, second.shop, ['确认导入'])).toContain('✅ 已导入 2 行');
    expect((await second.app.store.stock(second.shop.id)).map((r) => [r.product, r.qtyMilli])).toEqual([
      ['T恤', 50_000],
      ['袜子', 100_000],
    ]);
  });

  it('says when a path cannot be opened, and 取消 drops what waits', async () => {
    const { app, shop } = await start();
    writeFileSync(join(dir, 'stock.csv'), STOCK_CSV);
    const out = await chat(app, shop, [`导入 ${join(dir, 'nope.xlsx')}`, `导入 ${join(dir, 'stock.csv')}`, '取消', '确认导入']);
    expect(out).toContain(`❌ 打不开文件「${join(dir, 'nope.xlsx')}」`);
    expect(out).toContain(CANCELLED);
    expect(out).toContain(NOTHING_PENDING);
    expect(await app.store.stock(shop.id)).toEqual([]);
  });

  it('refuses staff', async () => {
    const { app, shop } = await start('小李', 'staff');
    writeFileSync(join(dir, 'stock.csv'), STOCK_CSV);
    const out = await chat(app, shop, ['导出 本月', `导入 ${join(dir, 'stock.csv')}`], '小李');
    expect(out).toContain('⛔ 你的身份是「店员」，这个操作需要「老板」权限。');
    expect(out).toContain(OWNER_ONLY_IMPORT);
    expect(savedPaths(out)).toEqual([]);
    expect(await app.store.stock(shop.id)).toEqual([]);
  });
});

describe('saveFile', () => {
  it('writes a streamed export chunk by chunk, and keeps names inside its folder', async () => {
    async function* chunks() {
      yield Buffer.from('a,b\n');
      yield Buffer.from('1,2\n');
    }
    const path = await saveFile(exportsDir, { name: '../../逃出去.csv', caption: '', stream: chunks() });
    expect(path).toBe(join(exportsDir, '逃出去.csv'));
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
