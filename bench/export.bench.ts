/**
 * Export memory: entries of one shop exported as CSV and xlsx, each in a child process of its own
 * (bench/export-child.ts) so the peak resident memory printed is the export's. The same database
 * is exported over a tenth of its period and over all of it: flat memory means the two peaks are
 * close, whatever the number of rows. The floor is the same child exporting an empty period.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/prisma/database.ts';

export interface ExportRun {
  format: 'csv' | 'xlsx';
  rows: number;
  ms: number;
  bytes: number;
  peakRssMb: number;
}

export interface ExportBenchResult {
  entries: number;
  buildMs: number;
  floor: Record<'csv' | 'xlsx', ExportRun>;
  runs: ExportRun[];
}

const START = Date.UTC(2026, 0, 1);
const STEP_MS = 20_000;

/** Writes `n` entries (a purchase then two sales, over 500 products) with raw inserts: quick, and all an export reads. */
export function buildEntries(path: string, n: number): number {
  const started = performance.now();
  const db = openDatabase(path);
  db.exec("INSERT INTO Shop (name, createdAt) VALUES ('压测店', 0); INSERT INTO Location (shopId, name, isDefault) VALUES (1, '默认仓', 1)");
  const product = db.prepare("INSERT INTO Product (shopId, name, unit, createdAt) VALUES (1, ?, '件', 0)");
  db.transaction(() => {
    for (let i = 0; i < 500; i++) product.run(`商品 ${i} 号`);
  })();
  const entry = db.prepare(`INSERT INTO Entry (shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel, occurredAt, recordedAt, actorId, actorName)
    VALUES (1, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'console:boss', '老板')`);
  const chunk = 50_000;
  for (let from = 1; from <= n; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(n + 1, from + chunk); i++) {
        const buy = i % 3 === 1;
        const at = START + i * STEP_MS;
        entry.run(i, buy ? 'purchase' : 'sale', (i % 500) + 1, buy ? 10_000 : -1000, buy ? 2000 : 5900, buy ? 20_000 : 5900, buy ? 0 : 2000, buy ? 20_000 : -2000, buy ? null : '淘宝', at, at);
      }
    })();
  }
  db.exec(`UPDATE Shop SET lastSeq = ${n}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return performance.now() - started;
}

function runChild(path: string, format: 'csv' | 'xlsx', out: string, from?: number, to?: number): ExportRun {
  const child = fileURLToPath(new URL('./export-child.ts', import.meta.url));
  const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  const args = [runTs, child, path, format, out, ...(from === undefined ? [] : [String(from), String(to)])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30 * 60_000 });
  if (r.status !== 0) throw new Error(`export child failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return { format, ...(JSON.parse(line) as Omit<ExportRun, 'format'>) };
}

export async function benchExport(options: { entries?: number; formats?: ('csv' | 'xlsx')[]; onProgress?: (line: string) => void } = {}): Promise<ExportBenchResult> {
  const entries = options.entries ?? Number(process.env.BENCH_EXPORT_ENTRIES ?? 1_000_000);
  const formats = options.formats ?? ['csv', 'xlsx'];
  const log = options.onProgress ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'jxc-export-bench-'));
  try {
    const path = join(dir, 'bench.db');
    log(`export: building ${entries.toLocaleString('en-US')} entries…`);
    const buildMs = buildEntries(path, entries);
    const tenth = START + Math.floor(entries / 10) * STEP_MS + 1;
    const floor = {} as Record<'csv' | 'xlsx', ExportRun>;
    const runs: ExportRun[] = [];
    for (const format of formats) {
      floor[format] = runChild(path, format, join(dir, `empty.${format}`), 0, 1);
      rmSync(join(dir, `empty.${format}`), { force: true });
      for (const to of [tenth, undefined]) {
        log(`export: ${format}, ${to === undefined ? 'all' : 'a tenth'}…`);
        const out = join(dir, `out.${format}`);
        runs.push(runChild(path, format, out, to === undefined ? undefined : 0, to));
        rmSync(out, { force: true });
      }
    }
    return { entries, buildMs, floor, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
