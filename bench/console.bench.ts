/**
 * Message to reply through the console adapter on a fresh SQLite file: each line is parsed, checked,
 * recorded and answered exactly as in `jxc chat`. The floor, measured in the same run over the same
 * lines, is the least a console ledger must do: read each line, write the entry with raw prepared
 * statements (read balance, insert message, insert entry, upsert balance) and print a fixed reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { openDatabase } from '../src/adapters/prisma/database.ts';
import { AccessService } from '../src/core/access.service.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { consoleChatId, runConsoleChat } from '../src/adapters/console/console-chat.ts';
import { SqliteAccessStore } from '../src/adapters/prisma/sqlite-access.ts';
import { SqliteDigestStore } from '../src/adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from '../src/adapters/prisma/sqlite-reports.ts';
import { ChatGateway } from '../src/bot/gateway.ts';
import { ChatEngine } from '../src/bot/engine.ts';
import { systemClock } from '../src/core/ports.ts';

export interface ConsoleBenchResult {
  messages: number;
  medianMs: number;
  p99Ms: number;
  floorMedianMs: number;
  floorP99Ms: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

function corpus(count: number, products: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < products; i++) lines.push(`进货 商品${i} 1000 件 单价 ${10 + (i % 40)}`);
  const verbs = ['出货', '卖了', '出库', '销售'];
  const channels = ['', ' 淘宝', ' 京东', ' 拼多多'];
  for (let i = lines.length; i < count; i++) {
    const p = i % products;
    if (i % 10 === 7) lines.push(`查 商品${p}`);
    else lines.push(`${verbs[i % verbs.length]} 商品${p} ${1 + (i % 3)} 件 单价 ${30 + (i % 50)}${channels[i % channels.length]}`);
  }
  return lines;
}

/** Times each line from the moment it is written to the input until its reply is printed. */
async function timeLines(lines: string[], run: (input: PassThrough, output: Writable) => Promise<unknown>): Promise<number[]> {
  const input = new PassThrough();
  const durations: number[] = [];
  let started = 0n;
  let resolveReply: (() => void) | undefined;
  const output = new Writable({
    write(_chunk, _enc, done) {
      durations.push(Number(process.hrtime.bigint() - started) / 1e6);
      resolveReply?.();
      done();
    },
  });
  const finished = run(input, output);
  for (const line of lines) {
    const replied = new Promise<void>((r) => (resolveReply = r));
    started = process.hrtime.bigint();
    input.write(`${line}\n`);
    await replied;
  }
  input.end();
  await finished;
  return durations;
}

export async function benchConsole(options: { messages?: number; products?: number } = {}): Promise<ConsoleBenchResult> {
  const messages = options.messages ?? 3000;
  const products = options.products ?? 100;
  const lines = corpus(messages, products);
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-console-'));
  try {
    const db = openDatabase(join(dir, 'core.db'));
    const store = new SqliteStore(db);
    const engine = new ChatEngine(store, systemClock, { reports: new SqliteReports(db), digest: new SqliteDigestStore(db) });
    const shop = await store.createShop('bench', new Date());
    // As `jxc chat` does: the terminal is a chat bound to the shop, its user the owner.
    const access = new SqliteAccessStore(db);
    await access.bind({ shopId: shop.id, platform: 'console', chatId: consoleChatId(shop), audience: 'owner', title: null }, new Date());
    await access.createPerson(shop.id, 'bench', 'owner', { platform: 'console', platformUserId: 'bench', handle: null }, new Date());
    const gateway = new ChatGateway(engine, new AccessService(access, store, systemClock, { owners: [] }), systemClock);
    const core = await timeLines(lines, (input, output) =>
      runConsoleChat({ handle: (m) => gateway.handle(m), shop, user: 'bench', input, output, interactive: false }),
    );
    db.close();

    const floorDb = openDatabase(join(dir, 'floor.db'));
    const floorShop = await new SqliteStore(floorDb).createShop('bench', new Date());
    const insertProduct = floorDb.prepare('INSERT INTO Product (shopId, name, unit, createdAt) VALUES (?, ?, ?, ?)');
    const ids = new Map<string, number>();
    for (let i = 0; i < products; i++) ids.set(`商品${i}`, Number(insertProduct.run(floorShop.id, `商品${i}`, '件', Date.now()).lastInsertRowid));
    const location = (floorDb.prepare('SELECT id FROM Location WHERE shopId = ?').get(floorShop.id) as { id: number }).id;
    const balance = floorDb.prepare('SELECT qtyMilli, value FROM Balance WHERE productId = ? AND locationId = ?');
    const message = floorDb.prepare(
      "INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, receivedAt) VALUES (?, 'console', 'c', ?, ?, 'bench', ?)",
    );
    const entry = floorDb.prepare(
      "INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, occurredAt, recordedAt, actorId, messageId) VALUES (?, ?, 'sale', ?, ?, ?, ?, ?, 'bench', ?)",
    );
    const upsert = floorDb.prepare(
      'INSERT INTO Balance (productId, locationId, qtyMilli, value) VALUES (?, ?, ?, ?) ON CONFLICT(productId, locationId) DO UPDATE SET qtyMilli = excluded.qtyMilli, value = excluded.value',
    );
    let seq = 0;
    const write = floorDb.transaction((text: string, productId: number) => {
      const b = (balance.get(productId, location) as { qtyMilli: number; value: number } | undefined) ?? { qtyMilli: 0, value: 0 };
      const now = Date.now();
      seq += 1;
      const m = Number(message.run(floorShop.id, String(seq), text, now).lastInsertRowid);
      entry.run(floorShop.id, seq, productId, location, 1000, now, now, m);
      upsert.run(productId, location, b.qtyMilli + 1000, b.value + 100);
    });
    const floor = await timeLines(lines, async (input, output) => {
      const rl = createInterface({ input, terminal: false });
      for await (const line of rl) {
        const name = /商品\d+/.exec(line)?.[0] ?? '商品0';
        write(line, ids.get(name) ?? 1);
        output.write('ok\n');
      }
    });
    floorDb.close();

    // The first lines warm up caches and the JIT in both paths; they are not counted.
    const warm = Math.min(products, Math.floor(lines.length / 10));
    const sortedCore = core.slice(warm).sort((a, b) => a - b);
    const sortedFloor = floor.slice(warm).sort((a, b) => a - b);
    return {
      messages: sortedCore.length,
      medianMs: percentile(sortedCore, 0.5),
      p99Ms: percentile(sortedCore, 0.99),
      floorMedianMs: percentile(sortedFloor, 0.5),
      floorP99Ms: percentile(sortedFloor, 0.99),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
