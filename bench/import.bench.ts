/**
 * Chat latency during a big import. The bot (this process: engine, store, one chat) answers a
 * message every 20 ms — a purchase, a 查 query and a line of group chatter in turn — while another
 * process imports a 200,000-row ledger into the same shop (bench/import-child.ts, as `jxc import`
 * beside a running bot). Latency is from when a message arrives to its reply; the floor is the same
 * conversation with no import running.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../src/adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from '../src/adapters/prisma/sqlite-reports.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { ChatEngine } from '../src/bot/engine.ts';
import { systemClock, type ShopRecord } from '../src/core/ports.ts';

export interface ImportBenchResult {
  rows: number;
  importMs: number;
  messages: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  floor: { p50Ms: number; p99Ms: number; maxMs: number };
}

const PRODUCTS = 200;

/** A ledger CSV over PRODUCTS products, sales well within stock, one row a minute. */
function ledgerCsv(rows: number): string {
  const lines = ['日期,类型,商品,数量,单价,渠道'];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < rows; i++) {
    const at = new Date(start + i * 60_000).toISOString().slice(0, 16).replace('T', ' ');
    const product = `货品${i % PRODUCTS}`;
    // Each product is bought first, then mostly sold, with a purchase now and then.
    lines.push(i < PRODUCTS || i % 10 === 0 ? `${at},进货,${product},1000,12.5,` : `${at},出货,${product},1,29.9,淘宝`);
  }
  return `${lines.join('\n')}\n`;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** Sends a message every `everyMs` until `until()` is true; returns each message's latency. */
async function converse(engine: ChatEngine, shop: ShopRecord, until: () => boolean, everyMs: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const lines = ['进货 聊天商品 1 件 单价 10', '查 聊天商品', '大家好，今天发货了吗'];
  const started = performance.now();
  while (!until()) {
    const due = started + n * everyMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const arrived = Math.max(due, started);
    const text = lines[n % lines.length] as string;
    n += 1;
    const reply = await engine.handle({ platform: 'bench', chatId: 'g1', chatType: 'group', messageId: `m${n}`, userId: 'staff', userName: '店员', text }, shop, 'owner');
    if (reply?.failed) failed += 1;
    latencies.push(performance.now() - arrived);
    if (process.env.BENCH_DEBUG && performance.now() - arrived > 100) process.stderr.write(`slow ${Math.round(arrived - started)} ms: ${text} ${Math.round(performance.now() - arrived)} ms\n`);
  }
  return { latencies, failed };
}

export async function benchImport(options: { rows?: number; onProgress?: (line: string) => void } = {}): Promise<ImportBenchResult> {
  const rows = options.rows ?? Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
  const log = options.onProgress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'jxc-import-bench-'));
  try {
    const path = join(dir, 'bench.db');
    const csv = join(dir, 'ledger.csv');
    writeFileSync(csv, ledgerCsv(rows));
    const db = openDatabase(path);
    const store = new SqliteStore(db);
    const shop = await store.createShop('压测店', new Date());
    const engine = new ChatEngine(store, systemClock, { reports: new SqliteReports(db), digest: new SqliteDigestStore(db) });
    await engine.handle({ platform: 'bench', chatId: 'g1', chatType: 'group', messageId: 'seed', userId: 'staff', text: '进货 聊天商品 100000 件 单价 10' }, shop, 'owner');

    log('import: chat latency with no import running…');
    const floorEnd = performance.now() + 3_000;
    const floor = await converse(engine, shop, () => performance.now() > floorEnd, 20);

    log(`import: ${rows.toLocaleString('en-US')} rows in another process while the chat goes on…`);
    const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
    const child = spawn(process.execPath, [runTs, fileURLToPath(new URL('./import-child.ts', import.meta.url)), path, csv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let exited = false;
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => ((exited = true), resolve(code))));
    const during = await converse(engine, shop, () => exited, 20);
    const code = await exit;
    if (code !== 0) throw new Error(`import child exited with ${code}`);
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { rows: number; ms: number };
    db.close();
    const sorted = [...during.latencies].sort((a, b) => a - b);
    const floorSorted = [...floor.latencies].sort((a, b) => a - b);
    return {
      rows: result.rows,
      importMs: result.ms,
      messages: sorted.length,
      failed: during.failed,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? 0,
      floor: { p50Ms: percentile(floorSorted, 50), p99Ms: percentile(floorSorted, 99), maxMs: floorSorted.at(-1) ?? 0 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
