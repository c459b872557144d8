/**
 * An import in a process of its own, as `jxc import` run beside the bot: `node bin/run-ts.js
 * bench/import-child.ts DB CSV` imports the ledger CSV into shop 1 and prints {rows, ms} as JSON.
 */
import { readFileSync } from 'node:fs';
import { importFile } from '../src/adapters/files/import.ts';
import { openDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { InventoryService } from '../src/core/inventory.service.ts';
import { systemClock } from '../src/core/ports.ts';

const [path, file] = process.argv.slice(2);
if (!path || !file) throw new Error('usage: import-child.ts DB CSV');
const db = openDatabase(path);
const store = new SqliteStore(db);
const shop = await store.shopById(1);
if (!shop) throw new Error('no shop 1');
const started = performance.now();
const summary = await importFile({ store, service: new InventoryService(store, systemClock), shop, actor: { id: 'cli:bench' } }, 'entries', readFileSync(file), 'bench.csv');
if (summary.fatal || summary.blocked) throw new Error(`import failed: ${summary.fatal ?? JSON.stringify(summary.problems.slice(0, 3))}`);
db.close();
console.log(JSON.stringify({ rows: summary.importedRows, ms: Math.round(performance.now() - started) }));
