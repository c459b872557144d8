import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { InputFile, type Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { exportWorkerScript } from '../../../src/spreadsheets.ts';
import { boss, BOT_INFO, createTestApp, interceptCalls, li, textUpdate, TOKEN, warehouse, type ApiCall, type TestApp, type TestUser } from './harness.ts';

/**
 * A chat's 导出 writes its workbook in a worker thread on a read-only connection of its own, so
 * other chats are answered while a large export runs. A real SQLite file with 5,000 entries: enough
 * for the export to outlast a reply to another chat (the worker alone takes longer to start than a
 * reply), while memory staying flat over hundreds of thousands of rows is measured by `npm run bench`
 * (bench/export.bench.ts).
 */

const dm = { id: boss.id, type: 'private' };
const ENTRIES = 5_000;

let t: TestApp;
let bot: Bot;
let calls: ApiCall[];
let dir: string;

beforeEach(async () => {
  t = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'jxc-export-worker-'));
  bot = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
  calls = interceptCalls(bot);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function say(text: string, from: TestUser = boss, chat: { id: number; type: string; title?: string } = dm): Promise<ApiCall[]> {
  const before = calls.length;
  await bot.handleUpdate(textUpdate(from, text, chat));
  return calls.slice(before);
}

/** `n` more sales of the product, written straight into the ledger (all an export reads). */
function seedSales(productName: string, n: number): void {
  const db = t.app.db!;
  const shop = db.prepare("SELECT id, lastSeq FROM Shop WHERE name = '小店'").get() as { id: number; lastSeq: number };
  const product = db.prepare('SELECT id, defaultLocation FROM Product p CROSS JOIN (SELECT id AS defaultLocation FROM Location WHERE shopId = ? AND isDefault = 1) WHERE p.shopId = ? AND p.name = ?').get(shop.id, shop.id, productName) as {
    id: number;
    defaultLocation: number;
  };
  const insert = db.prepare(`INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel, occurredAt, recordedAt, actorId, actorName)
    VALUES (?, ?, 'sale', ?, ?, -1000, 5900, 5900, 2000, -2000, '淘宝', ?, ?, 'tg:1001', '老王')`);
  const at = Date.now() - 60_000;
  db.transaction(() => {
    for (let i = 1; i <= n; i++) insert.run(shop.id, shop.lastSeq + i, product.id, product.defaultLocation, at, at);
    db.prepare('UPDATE Shop SET lastSeq = ? WHERE id = ?').run(shop.lastSeq + n, shop.id);
  })();
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('a chat export in a worker thread', () => {
  it('answers another message while a 5,000-entry export is being written', async () => {
    // This test starts the worker from the TypeScript sources through tsx, as scripts run with tsx do;
    // the rest of the suite starts the compiled one (JXC_EXPORT_WORKER, see vitest.config.ts).
    vi.stubEnv('JXC_EXPORT_WORKER', undefined);
    expect(exportWorkerScript()).toMatchObject({ tsxApi: expect.stringMatching(/tsx/) });
    expect((await say('开店 小店')).map((c) => String(c.payload.text)).join()).toContain('已开通');
    const code = /绑定码 ([A-Z0-9]+)/.exec((await say('绑定码')).map((c) => String(c.payload.text)).join())?.[1];
    expect((await say(`绑定 ${code ?? ''}`, boss, warehouse)).map((c) => String(c.payload.text)).join()).toContain('已绑定');
    await say('设置 群成员 店员', boss, warehouse);
    await say('进货 T恤 50 件 单价 20');
    seedSales('T恤', ENTRIES);

    const before = calls.length;
    let exportDone = false;
    const exporting = bot.handleUpdate(textUpdate(boss, '导出 本月', dm)).then(() => {
      exportDone = true;
    });
    await until(() => calls.slice(before).some((c) => String(c.payload.text ?? '').startsWith('⏳ 正在导出')));
    // Another chat of the shop: the warehouse group, where staff ask for stock.
    const query = await say('查 T恤', li, warehouse);
    expect(query.map((c) => String(c.payload.text))).toEqual([expect.stringMatching(/^📦 T恤：/)]);
    // The reply came while the export was still being written: no file sent yet.
    expect(exportDone).toBe(false);
    expect(calls.slice(before).some((c) => c.method === 'sendDocument')).toBe(false);
    await exporting;

    const sent = calls.slice(before);
    const document = sent.find((c) => c.method === 'sendDocument');
    expect(String(document?.payload.caption)).toContain(`流水 ${ENTRIES + 1} 条`);
    const edits = sent.filter((c) => c.method === 'editMessageText').map((c) => String(c.payload.text));
    expect(edits.at(-1)).toBe(`✅ 已导出 ${(ENTRIES + 1).toLocaleString('en-US')} 条流水，文件马上发出。`);
    // Written off the event loop, in the worker thread.
    expect(t.logs.filter((l) => l.msg === 'chat export written').map((l) => [l.thread, l.reason])).toEqual([['worker', undefined]]);

    const file = document?.payload.document as InputFile;
    const raw = await file.toRaw();
    const chunks: Uint8Array[] = [];
    if (raw instanceof Uint8Array) chunks.push(raw);
    else for await (const chunk of raw) chunks.push(chunk);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('流水') as ExcelJS.Worksheet;
    expect(sheet.rowCount).toBeGreaterThanOrEqual(ENTRIES + 1);
    expect(sheet.getCell(`D${ENTRIES + 2}`).value).toBe('T恤');
  });

  it('runs the export in the compiled worker that JXC_EXPORT_WORKER names (as the rest of the suite does)', async () => {
    expect(process.env.JXC_EXPORT_WORKER).toMatch(/\/dist\/export-worker\.js$/);
    expect(exportWorkerScript()).toEqual({ url: pathToFileURL(process.env.JXC_EXPORT_WORKER as string) });
    await say('开店 小店');
    await say('进货 T恤 50 件 单价 20');
    seedSales('T恤', 20);
    const sent = await say('导出 本月');
    expect(String(sent.find((c) => c.method === 'sendDocument')?.payload.caption)).toContain('流水 21 条');
    // Written in the worker thread, not inline after a worker that failed to start.
    expect(t.logs.filter((l) => l.msg === 'chat export written').map((l) => [l.thread, l.reason])).toEqual([['worker', undefined]]);
  });

  it('finds its worker next to the module in the sources, and exports from the compiled dist/ with plain node', () => {
    expect(exportWorkerScript()?.url.pathname).toMatch(/\/dist\/export-worker\.js$/);
    vi.stubEnv('JXC_EXPORT_WORKER', undefined);
    expect(exportWorkerScript()?.url.pathname).toMatch(/\/src\/export-worker\.ts$/);
    vi.stubEnv('JXC_EXPORT_WORKER', join(dir, 'missing.js'));
    expect(exportWorkerScript()).toBeUndefined();
    vi.unstubAllEnvs();
    const dist = new URL('../../../dist/', import.meta.url).href;
    // What a user runs: the compiled package, no TypeScript loader.
    const script = `
      const { createApp } = await import(${JSON.stringify(`${dist}main.js`)});
      const { createConfig } = await import(${JSON.stringify(`${dist}config.js`)});
      const { createSpreadsheets, exportWorkerScript } = await import(${JSON.stringify(`${dist}spreadsheets.js`)});
      const app = await createApp(createConfig({ DATABASE_URL: ${JSON.stringify(`file:${dir}/dist.db`)}, LOG_LEVEL: 'silent' }));
      const shop = await app.shop('小店');
      app.db.prepare("INSERT INTO Product (shopId, name, unit, createdAt) VALUES (?, 'T恤', '件', 0)").run(shop.id);
      const location = app.db.prepare('SELECT id FROM Location WHERE shopId = ? AND isDefault = 1').get(shop.id).id;
      const insert = app.db.prepare("INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel, occurredAt, recordedAt, actorId, actorName) VALUES (?, ?, 'sale', 1, ?, -1000, 5900, 5900, 2000, -2000, '淘宝', ?, ?, 'tg:1', '老王')");
      for (let i = 1; i <= 3000; i++) insert.run(shop.id, i, location, Date.now() - 1000, Date.now() - 1000);
      const threads = [];
      const progress = [];
      const sheets = createSpreadsheets({ db: app.db, store: app.store, queries: app.stores.reports, service: app.engine.service, clock: app.clock, reader: app.reader, onExportThread: (t, r) => threads.push(r ? t + ': ' + r : t) });
      const file = await sheets.exportEntries(shop, { from: new Date(0), to: new Date(Date.now() + 60000), label: '全部' }, (n) => progress.push(n));
      const chunks = [];
      for await (const chunk of file.stream) chunks.push(chunk);
      console.log(JSON.stringify({ rows: file.rows, threads, progress, worker: exportWorkerScript().url, pk: Buffer.concat(chunks).subarray(0, 2).toString('latin1') }));
      await app.close();`;
    // The compiled package finds its own worker; JXC_EXPORT_WORKER (for the sources only) does not move it.
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, JXC_EXPORT_WORKER: join(dir, 'elsewhere.js') } });
    const result = JSON.parse(printed.trim().split('\n').at(-1) ?? '') as { rows: number; threads: string[]; progress: number[]; worker: string; pk: string };
    expect(fileURLToPath(result.worker)).toMatch(/\/dist\/export-worker\.js$/);
    expect(result).toMatchObject({ rows: 3000, threads: ['worker'], pk: 'PK' });
    expect(result.progress).toContain(2000);
  });
});
