/**
 * One export in a process of its own, so its peak memory is its own: `node bin/run-ts.js
 * bench/export-child.ts DB FORMAT OUT [FROM_MS TO_MS]` prints {rows, ms, bytes, peakRssMb} as JSON.
 */
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { writeExport, type ExportFormat } from '../src/adapters/files/export.ts';
import { PrismaReader } from '../src/adapters/prisma/prisma-reader.ts';
import { SqliteReports } from '../src/adapters/prisma/sqlite-reports.ts';

const [path, format, out, from, to] = process.argv.slice(2);
if (!path || !format || !out) throw new Error('usage: export-child.ts DB FORMAT OUT [FROM_MS TO_MS]');
const db = new Database(path, { readonly: true });
const reader = new PrismaReader(path);
const shop = { id: 1, name: '压测店', timeZone: 'Asia/Shanghai' };
const file = createWriteStream(out);
const started = performance.now();
const rows = await writeExport(
  { reader, queries: new SqliteReports(db) },
  { what: 'entries', format: format as ExportFormat, shop, from: from ? new Date(Number(from)) : undefined, to: to ? new Date(Number(to)) : undefined },
  file,
);
file.end();
await once(file, 'close');
const ms = performance.now() - started;
await reader.close();
db.close();
// maxRSS is in kilobytes.
console.log(JSON.stringify({ rows, ms: Math.round(ms), bytes: statSync(out).size, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
