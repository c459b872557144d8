/**
 * The process the reliability suite kills: a bot writing bursts of chat messages into a real SQLite
 * file, printing `ack <message id> <entries>` once each reply exists (what a user would have seen).
 * `node bin/run-ts.js tests/reliability/writer.ts DB FROM [REDELIVER]` (the test runs it compiled, see tests/helpers/compiled-script.ts): handles messages FROM,
 * FROM+1, … until killed, after first sending again the REDELIVER messages before FROM, as a chat
 * platform redelivers after a restart.
 */
import { openDatabase } from '../../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../../src/adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from '../../src/adapters/prisma/sqlite-reports.ts';
import { SqliteStore } from '../../src/adapters/prisma/sqlite-store.ts';
import { ChatEngine } from '../../src/bot/engine.ts';
import { systemClock } from '../../src/core/ports.ts';
import { messageText } from './messages.ts';

const [path, fromText, redeliverText] = process.argv.slice(2);
if (!path || !fromText) throw new Error('usage: writer.ts DB FROM [REDELIVER]');
const from = Number(fromText);
const db = openDatabase(path);
const store = new SqliteStore(db);
const shop = await store.shopByName('可靠性') ?? await store.createShop('可靠性', new Date());
const engine = new ChatEngine(store, systemClock, { reports: new SqliteReports(db), digest: new SqliteDigestStore(db) });

async function send(n: number): Promise<void> {
  const reply = await engine.handle({ platform: 'rel', chatId: 'g1', chatType: 'group', messageId: `m${n}`, userId: 'boss', userName: '老板', text: messageText(n) }, shop, 'owner');
  if (reply?.failed) throw new Error(`message ${n} failed: ${reply.text}`);
  process.stdout.write(`ack m${n} ${reply?.duplicate ? 'dup' : (reply?.entrySeqs.length ?? 0)}\n`);
}

for (let n = Math.max(1, from - Number(redeliverText ?? 0)); n < from; n++) await send(n);
process.stdout.write('ready\n');
// Bursts: a few messages back to back, then a breath, until killed.
for (let n = from; ; n++) {
  await send(n);
  if (n % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
}
