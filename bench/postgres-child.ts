/**
 * One bot process writing to PostgreSQL, for the throughput benchmark (benchPostgresThroughput in
 * bench/postgres.bench.ts): `node bin/run-ts.js bench/postgres-child.ts URL SHOP CHAT PRODUCTS MS WARM_MS`.
 *
 * It opens the stores as the bot does (openPostgresStores, its own pool), warms up for WARM_MS (at
 * least 20 messages: long enough for V8 to compile the hot path, whose cost would otherwise weigh on
 * the runs whose processes each send fewer messages), prints `ready`,
 * waits for a line on stdin so that every process starts together, then sends sales of one unit to
 * ChatEngine as chat CHAT of shop SHOP, one message after the other (a chat's messages are applied
 * in order anyway), over PRODUCTS products named 商品0001…, for MS milliseconds. It prints
 * {warm, messages, failed, ms, medianMs, cpuMs} as JSON.
 */
import { once } from 'node:events';
import { openPostgresStores } from '../src/adapters/postgres/pg-stores.ts';
import { ChatEngine } from '../src/bot/engine.ts';
import { systemClock } from '../src/core/ports.ts';
import { benchProductName } from './postgres-names.ts';

const [url, shopArg, chatId, productsArg, msArg, warmArg] = process.argv.slice(2);
if (!url || !shopArg || !chatId || !productsArg || !msArg || !warmArg) throw new Error('usage: postgres-child.ts URL SHOP CHAT PRODUCTS MS WARM_MS');
const chat: string = chatId;
const products = Number(productsArg);
const duration = Number(msArg);
const WARM = 20;
const warmMs = Number(warmArg);

// The schema is migrated by the parent once; a bot process would migrate at start-up (a no-op then).
const stores = await openPostgresStores(url, { migrate: false });
const shop = await stores.store.shopById(Number(shopArg));
if (!shop) throw new Error(`no shop ${shopArg}`);
const engine = new ChatEngine(stores.store, systemClock, { reports: stores.reports, digest: stores.digest });

let n = 0;
let failed = 0;
async function send(): Promise<void> {
  const product = benchProductName(n % products);
  n += 1;
  const reply = await engine.handle(
    { platform: 'bench', chatId: chat, chatType: 'group', messageId: `${chat}-${n}`, userId: `staff-${chat}`, userName: '店员', text: `卖 ${product} 1件 20元` },
    shop as NonNullable<typeof shop>,
    'owner',
  );
  // A reply that is not a recorded sale (a refusal, a failure) would make the figure meaningless.
  if (!reply || reply.failed || reply.intent !== 'sale' || reply.entrySeqs.length !== 1) failed += 1;
}

const warmUntil = performance.now() + warmMs;
while (n < WARM || performance.now() < warmUntil) await send();
const warm = n;
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
await once(process.stdin, 'data');

const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
const until = started + duration;
while (performance.now() < until) {
  const t = performance.now();
  await send();
  latencies.push(performance.now() - t);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await stores.close();
latencies.sort((a, b) => a - b);
// This process's own CPU (user + system), not the server's: what one message costs on the bot's side.
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ warm, messages: n - warm, failed, ms, medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0, cpuMs }));
