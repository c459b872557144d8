/**
 * The real-data replay: a real shop's 541,909 invoice lines (../shared/data/online-retail.csv.gz)
 * go through the same code as `jxc import stock` and `jxc import entries`, and the resulting ledger
 * is reconciled against an independent pass over the CSV, to the penny. It also times the import
 * against raw better-sqlite3 inserts of the same ledger rows, measured in the same run.
 *
 *   npm run replay                 the whole file
 *   npm run replay -- --limit 20000
 *   npm run replay -- --file path/to/online-retail.csv.gz   (or JXC_REPLAY_FILE=…)
 *
 * The full data set is not in the repository (7.8 MB); tests/fixtures/online-retail-20000.csv.gz is
 * its first 20,000 lines, which the tests replay.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { openDatabase, type SqliteDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { decodeText } from '../src/adapters/files/decode.ts';
import { ENTRY_FIELDS, looksLikeHeader, matchHeaders } from '../src/adapters/files/headers.ts';
import { importTable, type ImportSummary, type ImportTarget } from '../src/adapters/files/import.ts';
import { csvTable, type Table, type TableRow } from '../src/adapters/files/table.ts';
import { InventoryService } from '../src/core/inventory.service.ts';
import { systemClock } from '../src/core/ports.ts';

export const DATA_FILE = new URL('../../shared/data/online-retail.csv.gz', import.meta.url);

/** The first 20,000 lines of the data set, shipped for the tests (see tests/fixtures/README.md). */
export const FIXTURE_FILE = new URL('../tests/fixtures/online-retail-20000.csv.gz', import.meta.url);

/** Where to get the data set, for the message when it is missing. */
export const WHERE_TO_GET = [
  'The "Online Retail" data set (UCI Machine Learning Repository, id 352, CC BY 4.0):',
  '  https://archive.ics.uci.edu/dataset/352/online+retail',
  'Save it as a gzip CSV with the columns InvoiceNo,StockCode,Description,Quantity,InvoiceDate (YYYY-MM-DD HH:MM:SS),',
  'UnitPrice,CustomerID,Country, and pass it with --file PATH or JXC_REPLAY_FILE=PATH (default: ../shared/data/online-retail.csv.gz).',
  'Without it: npm run replay -- --file tests/fixtures/online-retail-20000.csv.gz (its first 20,000 lines).',
].join('\n');

/**
 * StockCodes that are not goods: postage, fees, discounts, manual adjustments, samples, vouchers.
 * Goods codes are five digits with an optional letter suffix (85123A); the data's README counts 33
 * codes outside that pattern (POST, DOT, M, D, C2, BANK CHARGES, AMAZONFEE, CRUK, PADS, S, B, m,
 * gift_0001_*, DCGS*), and this pattern finds exactly those.
 */
export const GOODS_CODE = /^\d{5}[A-Za-z]{0,2}$/;

export interface ReplayOptions {
  file?: URL | string | undefined;
  /** Only the first N invoice lines. */
  limit?: number | undefined;
  /** Messages per inner transaction of the import. */
  batchSize?: number | undefined;
  progress?: ((done: number, total: number) => void) | undefined;
  /** Keep the replay database (its path is in the result) instead of deleting it. */
  keep?: boolean | undefined;
  /** Measure the raw-insert floor (default true); without it the floor figures are 0. */
  floor?: boolean | undefined;
}

export interface Reconciliation {
  ok: boolean;
  /** Goods lines with positive quantity, and the money they bring in (pence). */
  salesLines: number;
  salesAmount: number;
  /** Goods lines with negative quantity (cancellations and returns), and the refunds (pence). */
  returnLines: number;
  returnsAmount: number;
  skus: number;
  /** Σ Quantity × UnitPrice over every line, in thousandths of a pound (the README's check figure). */
  allLinesMills: number;
  mismatches: string[];
}

export interface ReplayResult {
  lines: number;
  goodsLines: number;
  skippedCodes: Map<string, number>;
  skippedLines: number;
  opening: ImportSummary;
  entries: ImportSummary;
  /** Milliseconds: reading + parsing the CSV, opening stock, ledger import, raw insert floor (median), whole run. */
  timing: { read: number; opening: number; entries: number; floor: number; total: number };
  /** Processor time (user + system) of the ledger import and of the median floor run, in milliseconds. */
  cpu: { entries: number; floor: number };
  /** Wall time of each floor run. */
  floors: number[];
  /** Ledger rows the entries import wrote (and the floor inserted again). */
  entryRows: number;
  reconciliation: Reconciliation;
  dbPath?: string | undefined;
}

/** Runs the replay into a throwaway SQLite file. */
export async function replay(options: ReplayOptions = {}): Promise<ReplayResult> {
  const started = performance.now();
  const path = options.file instanceof URL ? fileURLToPath(options.file) : (options.file ?? fileURLToPath(DATA_FILE));
  let gz: Buffer;
  try {
    gz = readFileSync(path);
  } catch (error) {
    throw new Error(`replay: cannot read ${path}\n${WHERE_TO_GET}`, { cause: error });
  }
  const bytes = gunzipSync(gz);
  const text = firstLines(decodeText(bytes).text, options.limit);

  // The import side reads the CSV the way `jxc import entries` does.
  const table = csvTable(text, (cells) => looksLikeHeader(cells, ENTRY_FIELDS), 'utf-8');
  const skuColumn = matchHeaders(table.headers, ENTRY_FIELDS).columns.sku;
  if (skuColumn === undefined) throw new Error('replay: no StockCode column');
  const skippedCodes = new Map<string, number>();
  let goods: TableRow[] = [];
  for (const row of table.rows) {
    const code = String(row.cells[skuColumn] ?? '');
    if (GOODS_CODE.test(code)) goods.push(row);
    else skippedCodes.set(code, (skippedCodes.get(code) ?? 0) + 1);
  }
  const read = performance.now() - started;
  const lines = table.rows.length;
  const goodsLines = goods.length;

  const dir = mkdtempSync(join(tmpdir(), 'jxc-replay-'));
  const dbPath = join(dir, 'replay.db');
  const db = openDatabase(dbPath);
  try {
    const store = new SqliteStore(db);
    const shop = await store.createShop('online-retail', new Date());
    await store.updateShop(shop.id, { timeZone: 'Europe/London' });
    const target: ImportTarget = {
      store,
      service: new InventoryService(store, systemClock),
      shop: { ...shop, timeZone: 'Europe/London' },
      actor: { id: 'replay', name: 'replay' },
    };
    const columns = matchHeaders(table.headers, ENTRY_FIELDS).columns;

    const openingStarted = performance.now();
    const openingTable = openingStock(goods, columns);
    const opening = await importTable(target, 'stock', openingTable, 'opening-stock', { asOf: new Date(Date.UTC(2010, 10, 30)) });
    const openingMs = performance.now() - openingStarted;
    if (!opening.written || opening.problems.length > 0) throw new Error(`replay: opening stock refused: ${JSON.stringify(opening.problems.slice(0, 5))}`);

    const firstEntryId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM Entry').get() as { id: number }).id;
    const entriesTimer = startTimer();
    // Nothing here keeps the 540,000 parsed rows once they are planned: the import lets them go.
    const goodsTable = { ...table, rows: goods };
    table.rows = [];
    goods = [];
    const entries = await importTable(target, 'entries', goodsTable, 'online-retail.csv', { batchSize: options.batchSize, onProgress: options.progress, releaseRows: true });
    const entriesTime = entriesTimer();
    if (!entries.written || entries.problems.length > 0) throw new Error(`replay: entries refused: ${JSON.stringify(entries.problems.slice(0, 5))}`);
    const entryRows = (db.prepare('SELECT COUNT(*) AS n FROM Entry WHERE id > ?').get(firstEntryId) as { n: number }).n;

    // The floor is measured three times (fresh database each time) and the median taken: one
    // sample on a busy machine can be off by half either way.
    const written = options.floor === false ? [] : (db.prepare(`SELECT ${ENTRY_COLUMNS} FROM Entry WHERE id > ? ORDER BY id`).raw().all(firstEntryId) as unknown[][]);
    const floors = options.floor === false ? [] : [1, 2, 3].map((n) => rawInsertFloor(written, dir, firstEntryId, n));
    const floor = [...floors].sort((a, b) => a.wall - b.wall)[1] ?? { wall: 0, cpu: 0 };
    const reconciliation = reconcile(text, db);
    const total = performance.now() - started;
    return {
      lines,
      goodsLines,
      skippedCodes,
      skippedLines: lines - goodsLines,
      opening,
      entries,
      timing: { read, opening: openingMs, entries: entriesTime.wall, floor: floor.wall, total },
      cpu: { entries: entriesTime.cpu, floor: floor.cpu },
      floors: floors.map((f) => f.wall),
      entryRows,
      reconciliation,
      dbPath: options.keep ? dbPath : undefined,
    };
  } finally {
    db.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The header and the first `limit` lines (the file has no line breaks inside fields). */
function firstLines(text: string, limit: number | undefined): string {
  if (limit === undefined) return text;
  let at = 0;
  for (let i = 0; i <= limit; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text;
    at = next + 1;
  }
  return text.slice(0, at);
}

/**
 * Opening stock for every StockCode, enough for all its sales: units sold plus a tenth plus one, at
 * 60% of its highest price, named by its most frequent description (a few codes share one).
 */
function openingStock(rows: readonly TableRow[], columns: Partial<Record<string, number>>): Table {
  const sku = columns.sku as number;
  const qty = columns.quantity as number;
  const price = columns.unitPrice as number;
  const product = columns.product as number;
  const byCode = new Map<string, { sold: number; maxPence: number; names: Map<string, number> }>();
  for (const { cells } of rows) {
    const code = String(cells[sku]);
    const s = byCode.get(code) ?? { sold: 0, maxPence: 0, names: new Map<string, number>() };
    byCode.set(code, s);
    const q = Number(cells[qty]);
    if (q > 0) s.sold += q;
    s.maxPence = Math.max(s.maxPence, pence(String(cells[price])));
    const name = String(cells[product] ?? '').trim();
    if (name !== '') s.names.set(name, (s.names.get(name) ?? 0) + 1);
  }
  const out: TableRow[] = [];
  let row = 1;
  for (const [code, s] of byCode) {
    const name = [...s.names.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? code;
    const cost = Math.round((s.maxPence * 3) / 5);
    row += 1;
    out.push({ row, cells: [name, code, String(s.sold + Math.ceil(s.sold / 10) + 1), `${Math.trunc(cost / 100)}.${String(cost % 100).padStart(2, '0')}`] });
  }
  return { format: 'csv', headerRow: 1, headers: ['商品', '编码', '数量', '成本'], rows: out };
}

const ENTRY_COLUMNS =
  'shopId, seq, kind, productId, locationId, qtyMilli, unitPrice, amount, cost, valueDelta, channel, counterparty, occurredAt, recordedAt, actorId, actorName, messageId, reversesId, replacesId, transferId';

interface Timed {
  wall: number;
  cpu: number;
}

/** Starts a stopwatch for wall and processor time (ms). */
function startTimer(): () => Timed {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
  };
}

/** "2.55" → 255, written separately from the importer's money parser on purpose. */
function pence(text: string): number {
  const [whole = '0', frac = ''] = text.trim().split('.');
  const negative = whole.startsWith('-');
  const value = Math.abs(Number(whole)) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

/**
 * The floor: the same Entry rows the import wrote, inserted again with one prepared statement in one
 * transaction into a fresh database with the same schema. Parents (shop, products, messages) are
 * copied first, untimed, so the foreign keys hold as they did for the import.
 */
function rawInsertFloor(rows: readonly unknown[][], dir: string, afterId: number, n: number): Timed {
  const path = join(dir, `floor-${n}.db`);
  const db = openDatabase(path);
  try {
    db.pragma('foreign_keys = OFF');
    db.exec(`ATTACH DATABASE '${join(dir, 'replay.db').replace(/'/g, "''")}' AS src`);
    for (const table of ['Shop', 'Location', 'Product', 'SourceMessage']) db.exec(`INSERT INTO main."${table}" SELECT * FROM src."${table}"`);
    db.exec(`INSERT INTO main.Entry SELECT * FROM src.Entry WHERE id <= ${afterId}`);
    db.exec('DETACH DATABASE src');
    db.pragma('foreign_keys = ON');
    const insert = db.prepare(`INSERT INTO Entry (${ENTRY_COLUMNS}) VALUES (${ENTRY_COLUMNS.split(', ').map(() => '?').join(', ')})`);
    const timer = startTimer();
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    return timer();
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

/**
 * An independent pass over the CSV text (its own field splitter and integer arithmetic), compared
 * with what the ledger holds: sales and refunds in pence, and units sold and returned per SKU.
 */
function reconcile(text: string, db: SqliteDatabase): Reconciliation {
  const lines = text.split('\n');
  const header = splitCsvLine(lines[0] ?? '');
  const at = (name: string) => header.indexOf(name);
  const [iCode, iQty, iPrice] = [at('StockCode'), at('Quantity'), at('UnitPrice')];
  let salesLines = 0;
  let salesAmount = 0;
  let returnLines = 0;
  let returnsAmount = 0;
  let allLinesMills = 0;
  const perSku = new Map<string, { sold: number; returned: number }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const f = splitCsvLine(line.replace(/\r$/, ''));
    const code = f[iCode] as string;
    const q = Number(f[iQty]);
    const priceText = f[iPrice] as string;
    const [whole = '0', frac = ''] = priceText.split('.');
    const mills = (whole.startsWith('-') ? -1 : 1) * (Math.abs(Number(whole)) * 1000 + Number(frac.padEnd(3, '0')));
    allLinesMills += q * mills;
    if (!/^[0-9]{5}[A-Za-z]{0,2}$/.test(code)) continue;
    const p = mills / 10;
    const s = perSku.get(code) ?? { sold: 0, returned: 0 };
    perSku.set(code, s);
    if (q > 0) {
      salesLines += 1;
      salesAmount += q * p;
      s.sold += q;
    } else {
      returnLines += 1;
      returnsAmount += -q * p;
      s.returned += -q;
    }
  }

  const mismatches: string[] = [];
  const ledger = db
    .prepare(`SELECT
        COALESCE(SUM(CASE WHEN kind = 'sale' THEN 1 END), 0) AS salesLines,
        COALESCE(SUM(CASE WHEN kind = 'sale' THEN amount END), 0) AS salesAmount,
        COALESCE(SUM(CASE WHEN kind = 'customer_return' THEN 1 END), 0) AS returnLines,
        COALESCE(-SUM(CASE WHEN kind = 'customer_return' THEN amount END), 0) AS returnsAmount
      FROM Entry`)
    .get() as { salesLines: number; salesAmount: number; returnLines: number; returnsAmount: number };
  const expect = (label: string, ours: number, theirs: number) => {
    if (ours !== theirs) mismatches.push(`${label}: csv ${theirs}, ledger ${ours}`);
  };
  expect('sales lines', ledger.salesLines, salesLines);
  expect('sales amount (pence)', ledger.salesAmount, salesAmount);
  expect('return lines', ledger.returnLines, returnLines);
  expect('returns amount (pence)', ledger.returnsAmount, returnsAmount);
  const bySku = db
    .prepare(`SELECT p.sku AS sku,
        COALESCE(SUM(CASE WHEN e.kind = 'sale' THEN -e.qtyMilli END), 0) AS soldMilli,
        COALESCE(SUM(CASE WHEN e.kind = 'customer_return' THEN e.qtyMilli END), 0) AS returnedMilli
      FROM Entry e JOIN Product p ON p.id = e.productId GROUP BY p.sku`)
    .all() as { sku: string; soldMilli: number; returnedMilli: number }[];
  const seen = new Set<string>();
  for (const r of bySku) {
    seen.add(r.sku);
    const s = perSku.get(r.sku) ?? { sold: 0, returned: 0 };
    if (r.soldMilli !== s.sold * 1000 || r.returnedMilli !== s.returned * 1000) {
      mismatches.push(`SKU ${r.sku}: csv sold ${s.sold} returned ${s.returned}, ledger sold ${r.soldMilli / 1000} returned ${r.returnedMilli / 1000}`);
    }
  }
  for (const sku of perSku.keys()) if (!seen.has(sku)) mismatches.push(`SKU ${sku}: missing from the ledger`);
  // Stock value is the sum of every entry's value change, exactly.
  const value = db.prepare('SELECT (SELECT COALESCE(SUM(value), 0) FROM Balance) AS balances, (SELECT COALESCE(SUM(valueDelta), 0) FROM Entry) AS deltas').get() as {
    balances: number;
    deltas: number;
  };
  expect('stock value (balances vs entries)', value.balances, value.deltas);
  return { ok: mismatches.length === 0, salesLines, salesAmount, returnLines, returnsAmount, skus: perSku.size, allLinesMills, mismatches };
}

/** Splits one CSV line with "quoted" fields and "" escapes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i += 1; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

const money = (pence: number) => `£${(pence / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const n = (x: number) => x.toLocaleString('en');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string' }, limit: { type: 'string' }, batch: { type: 'string' }, keep: { type: 'boolean' } } });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const file = values.file ?? (process.env.JXC_REPLAY_FILE || undefined) ?? fileURLToPath(DATA_FILE);
  if (!existsSync(file)) {
    console.error(`replay: no data file at ${file}\n${WHERE_TO_GET}`);
    process.exitCode = 2;
    return;
  }
  console.log(`replaying ${file}`);
  let lastDraw = 0;
  const tty = process.stderr.isTTY;
  const result = await replay({
    file,
    limit,
    batchSize: values.batch === undefined ? undefined : Number(values.batch),
    keep: values.keep,
    progress: (done, total) => {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      process.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n(done)}/${n(total)}${done >= total ? '\n' : ''}`);
    },
  });
  const t = result.timing;
  const r = result.reconciliation;
  const skipped = [...result.skippedCodes.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`lines: ${n(result.lines)}; goods lines: ${n(result.goodsLines)}; skipped non-goods: ${n(result.skippedLines)} lines in ${skipped.length} codes`);
  console.log(`  skipped: ${skipped.map(([code, count]) => `${code} ${count}`).join(', ')}`);
  const rate = (rows: number, ms: number) => n(Math.round((rows / ms) * 1000));
  const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`opening stock: ${n(result.opening.createdProducts.length)} products in ${secs(t.opening)}`);
  console.log(`entries import: ${n(result.entries.importedRows)} lines → ${n(result.entryRows)} ledger entries in ${secs(t.entries)}: ${rate(result.goodsLines, t.entries)} rows/s`);
  console.log(
    `floor (raw better-sqlite3 inserts of the same ${n(result.entryRows)} Entry rows, one prepared statement, one transaction, fresh database; median of ${result.floors.map(secs).join(', ')}): ${secs(t.floor)}, ${rate(result.entryRows, t.floor)} rows/s`,
  );
  const ratio = t.entries / t.floor;
  const cpuRatio = result.cpu.entries / result.cpu.floor;
  console.log(`import / floor = ${ratio.toFixed(2)}× wall (target ≤ 5×: ${ratio <= 5 ? 'met' : 'MISSED'}); ${cpuRatio.toFixed(2)}× in processor time (${secs(result.cpu.entries)} / ${secs(result.cpu.floor)})`);
  const load = t.read + t.opening + t.entries;
  console.log(
    `whole file: ${secs(load)} from the .gz to a committed ledger (read + parse ${secs(t.read)}, opening stock ${secs(t.opening)}, entries ${secs(t.entries)}); ${rate(result.lines, load)} lines/s (target < 60 s: ${load < 60_000 ? 'met' : 'MISSED'})`,
  );
  console.log(`this run in all, with the floor ×3 and the reconciliation: ${secs(t.total)}`);
  console.log(`csv: Σ Quantity × UnitPrice over all lines = £${(r.allLinesMills / 1000).toFixed(3)}`);
  console.log(`sales: ${n(r.salesLines)} lines, ${money(r.salesAmount)}; returns: ${n(r.returnLines)} lines, ${money(r.returnsAmount)}; net ${money(r.salesAmount - r.returnsAmount)}; ${n(r.skus)} SKUs`);
  if (r.ok) console.log('reconciled: sales amount, returns amount, line counts, per-SKU quantities sold and returned, and stock value all match to the penny');
  else {
    console.log(`NOT reconciled (${r.mismatches.length} differences):`);
    for (const m of r.mismatches.slice(0, 20)) console.log(`  ${m}`);
    process.exitCode = 1;
  }
  if (result.dbPath) console.log(`database kept at ${result.dbPath}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
