import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { importTable, importTableInChunks, readImportTable, unreadableSummary, type ImportKind, type ImportSummary } from '../adapters/files/import.ts';
import { formatImportSummary } from '../adapters/files/import-summary.ts';
import type { ShopRecord } from '../core/ports.ts';
import type { App } from '../main.ts';
import { parseDateArg } from './export-command.ts';
import { USAGE } from './usage.ts';

/** Files with more data rows than this get a progress bar on a terminal. */
const PROGRESS_ROWS = 2000;

class DryRunShop extends Error {}

/**
 * `jxc import stock|entries FILE.xlsx|FILE.csv [--shop 店名] [--dry-run] [--skip-bad] [--date 日期]`
 * (and `jxc import orders FILE`, see importOrdersCommand):
 * validates the whole file, lists every bad row, and imports only when all rows are good (or with
 * --skip-bad). Prints the summary; exit code 1 when rows were bad or the file unreadable.
 */
export async function importCommand(app: App, args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        shop: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'skip-bad': { type: 'boolean' },
        date: { type: 'string' },
        platform: { type: 'string' },
      },
    });
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [kind, file, ...extra] = parsed.positionals;
  if (kind !== 'stock' && kind !== 'entries' && kind !== 'orders') {
    stderr.write(`要导入什么？stock（期初库存）、entries（流水）或 orders（平台订单导出）。\n${USAGE}`);
    return 2;
  }
  if (file === undefined || extra.length > 0) {
    stderr.write(`请给一个 .xlsx 或 .csv 文件，例：jxc import ${kind} 库存.xlsx\n`);
    return 2;
  }
  const dryRun = parsed.values['dry-run'] === true;
  const skipBad = parsed.values['skip-bad'] === true;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    stderr.write(`读不了文件「${file}」：${(error as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (error as Error).message}\n`);
    return 1;
  }
  const found = await pickShop(app, parsed.values.shop);
  if ('error' in found) {
    stderr.write(`${found.error}\n`);
    return 2;
  }
  if (kind === 'orders') return importOrdersCommand(app, found, bytes, basename(file), { dryRun, platform: parsed.values.platform }, stdout, stderr);
  let asOf: Date | undefined;
  if (parsed.values.date !== undefined) {
    const period = await parseDateArg(parsed.values.date, found.shop?.timeZone ?? app.config.timeZone);
    if (!period) {
      stderr.write(`--date 看不懂「${parsed.values.date}」。例：2026-11-01\n`);
      return 2;
    }
    asOf = period.from;
  }
  const name = basename(file);
  const read = await readImportTable(kind, bytes, name);
  let summary: ImportSummary;
  if ('fatal' in read) summary = unreadableSummary(kind, name, read.fatal, { dryRun });
  else {
    const progress = progressBar(stderr, read.table.rows.length);
    // A real import is written in committed chunks, so a running bot keeps answering meanwhile.
    const chunked = async (shop: ShopRecord) =>
      importTableInChunks(
        { store: app.store, service: app.engine.service, shop, actor: actorOf() },
        kind as ImportKind,
        read.table,
        name,
        { skipBad, asOf, onProgress: progress, releaseRows: true },
      );
    const run = (shop: ShopRecord) =>
      importTable(
        { store: app.store, service: app.engine.service, shop, actor: actorOf() },
        kind as ImportKind,
        read.table,
        name,
        { dryRun, skipBad, asOf, onProgress: progress, releaseRows: true },
      );
    if (found.shop) summary = dryRun ? await run(found.shop) : await chunked(found.shop);
    else if (!dryRun) summary = await chunked(await app.shop(found.create));
    else {
      // A dry run into a shop that does not exist yet: create it inside a transaction that is undone.
      let result: ImportSummary | undefined;
      try {
        await app.store.transaction(async () => {
          result = await run(await app.shop(found.create));
          throw new DryRunShop();
        });
      } catch (error) {
        if (!(error instanceof DryRunShop)) throw error;
      }
      summary = result as ImportSummary;
    }
  }
  stdout.write(`${formatImportSummary(summary, { skipBadHint: '加 --skip-bad' })}\n`);
  return summary.fatal || (summary.problems.length > 0 && !skipBad) ? 1 : 0;
}

/**
 * `jxc import orders FILE [--platform 淘宝] [--dry-run]`: a shop back-end's order export as sales on
 * the platform's channel (see src/adapters/files/orders). Exit code 1 when the file is unreadable or
 * some lines were not recorded (unmatched titles, unknown states, refused lines).
 */
async function importOrdersCommand(
  app: App,
  found: { shop: ShopRecord } | { create: string },
  bytes: Buffer,
  name: string,
  options: { dryRun: boolean; platform: string | undefined },
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  if (!('shop' in found) || found.shop === undefined) {
    stderr.write(`还没有店铺「${'create' in found ? found.create : ''}」。订单要对上已有的商品：先导入期初库存（jxc import stock）或在聊天里开店。\n`);
    return 2;
  }
  const { importOrders } = await import('../adapters/files/orders/import-orders.ts');
  const { formatOrderSummary } = await import('../adapters/files/orders/order-summary.ts');
  const summary = await importOrders({ store: app.store, service: app.engine.service, shop: found.shop, actor: actorOf() }, bytes, name, options);
  stdout.write(`${formatOrderSummary(summary)}\n`);
  const left = summary.problems.length + summary.unknownStatus.length + summary.unmatched.length;
  return summary.fatal !== undefined || left > 0 ? 1 : 0;
}

/** The shop named by --shop (created when new), or the only / configured one. */
async function pickShop(app: App, name: string | undefined): Promise<{ shop: ShopRecord; create?: undefined } | { shop?: undefined; create: string } | { error: string }> {
  if (name !== undefined) {
    const shop = await app.store.shopByName(name);
    return shop ? { shop } : { create: name };
  }
  const shops = await app.store.listShops();
  if (shops.length === 1) return { shop: shops[0] as ShopRecord };
  if (shops.length === 0) return { create: app.config.shopName };
  const configured = shops.find((s) => s.name === app.config.shopName);
  return configured ? { shop: configured } : { error: `有多个店铺，请用 --shop 指定：${shops.map((s) => s.name).join('、')}` };
}

function actorOf(): { id: string; name: string } {
  let name = 'cli';
  try {
    name = userInfo().username || name;
  } catch {
    // No user database entry (some containers): the import is still attributed to the command line.
  }
  return { id: `cli:${name}`, name };
}

/** A progress bar on stderr, for terminals and files big enough to wait for. */
function progressBar(stderr: NodeJS.WritableStream, rows: number): ((done: number, total: number) => void) | undefined {
  if (!(stderr as NodeJS.WriteStream).isTTY || rows <= PROGRESS_ROWS) return undefined;
  const started = performance.now();
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    stderr.write(`\r导入中 [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} 行 ${Math.round(share * 100)}% ${Math.round(rate).toLocaleString('en')} 行/秒`);
    if (done >= total) stderr.write('\n');
  };
}
