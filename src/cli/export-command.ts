import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { writeExport, type ExportFormat, type ExportWhat } from '../adapters/files/export.ts';
import { openPrivateFile, PrivateFileError } from '../private-file.ts';
import { SqliteExportReader } from '../adapters/prisma/sqlite-export-reader.ts';
import { startOfLocalDay } from '../core/zoned-time.ts';
import type { BaseApp } from '../base-app.ts';
import { USAGE } from './usage.ts';

const WHAT: readonly ExportWhat[] = ['stock', 'entries', 'profit', 'payables'];
const FORMATS: readonly ExportFormat[] = ['json', 'csv', 'xlsx'];

/**
 * `jxc export stock|entries|profit|payables --format json|csv|xlsx [--from] [--to] [--shop] [--out FILE]`:
 * writes the file, or prints it to stdout (xlsx only when stdout is not a terminal).
 */
export async function exportCommand(
  app: BaseApp,
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        shop: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string', short: 'o' },
      },
    });
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const what = parsed.positionals[0] as ExportWhat | undefined;
  const out = parsed.values.out;
  const format = (parsed.values.format ?? (out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : out?.toLowerCase().endsWith('.csv') ? 'csv' : 'json')) as ExportFormat;
  if (what === undefined || !WHAT.includes(what)) {
    stderr.write(`要导出什么？stock（库存）、entries（流水）、profit（利润）或 payables（应付代发供应商）。\n${USAGE}`);
    return 2;
  }
  if (!FORMATS.includes(format)) {
    stderr.write(`--format 只能是 json、csv 或 xlsx（收到「${format}」）\n`);
    return 2;
  }
  if (format === 'xlsx' && out === undefined && (stdout as NodeJS.WriteStream).isTTY) {
    stderr.write(`xlsx 是二进制文件，不能直接显示在终端上。请用 --out 保存，例：jxc export ${what} --format xlsx --out ${what}.xlsx\n`);
    return 2;
  }
  // Exports read with better-sqlite3: the same rows as Prisma Client, without loading it.
  const reader = app.db ? new SqliteExportReader(app.db) : app.reader();
  const shops = await reader.shops();
  const found = pickShop(shops, parsed.values.shop ?? (env.JXC_SHOP ? app.config.shopName : undefined), 'export');
  if ('error' in found) {
    stderr.write(found.error);
    return 2;
  }
  const shop = found.shop;
  const timeZone = shop?.timeZone ?? app.config.timeZone;
  const range: { from?: Date; to?: Date } = {};
  for (const key of ['from', 'to'] as const) {
    const text = parsed.values[key];
    if (text === undefined) continue;
    const period = await parseDateArg(text, timeZone);
    if (!period) {
      stderr.write(`--${key} 看不懂「${text}」。例：2026-11-01、11月1日、本月、上周\n`);
      return 2;
    }
    // --from takes the start of the day or period; --to includes the whole of it.
    range[key] = key === 'from' ? period.from : period.to;
  }
  const sources = { reader, queries: app.stores.reports };
  const request = { what, format, shop, ...range };
  // Streamed as it is read: an export of millions of entries never sits in memory whole.
  if (out === undefined) {
    await writeExport(sources, request, stdout as Writable);
    return 0;
  }
  let fd: number;
  try {
    // Mode 600, never over an existing file or through a link: exports carry cost.
    fd = openPrivateFile(out);
  } catch (error) {
    stderr.write(error instanceof PrivateFileError ? `${error.message}\n` : `写不了文件「${out}」：${(error as Error).message}\n`);
    return error instanceof PrivateFileError && error.reason !== 'io' ? 2 : 1;
  }
  const file = createWriteStream('', { fd });
  try {
    await writeExport(sources, request, file);
  } finally {
    file.end();
    await once(file, 'close');
  }
  stderr.write(`已导出到 ${out}\n`);
  return 0;
}

/**
 * A CLI date: 2026-11-01 (that whole day in the shop's zone) or a period word (本月, 上周). The period
 * parser (and its date library) is loaded only for words.
 */
export async function parseDateArg(text: string, timeZone: string): Promise<{ from: Date; to: Date } | undefined> {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    return { from: startOfLocalDay(timeZone, y, m, d), to: startOfLocalDay(timeZone, y, m, d + 1) };
  }
  const { parsePeriod } = await import('../bot/parse/period.ts');
  return parsePeriod(text, new Date(), timeZone);
}

type ShopRow = { id: number; name: string; timeZone: string };

/**
 * The shop a command works on: the one named (by --shop, or JXC_SHOP when it is set), else the only
 * one. With several shops and none named the command refuses and lists them, rather than guess.
 * No shop at all is not an error here (an empty export).
 */
export function pickShop<S extends ShopRow>(shops: readonly S[], name: string | undefined, command: string): { shop: S | undefined } | { error: string } {
  const list = shops.map((s) => `「${s.name}」`).join('、');
  if (name !== undefined) {
    const shop = shops.find((s) => s.name === name);
    return shop ? { shop } : { error: `没有店铺「${name}」。现有店铺：${list || '（还没有）'}。例：jxc ${command} --shop ${shops[0]?.name ?? '店名'}\n` };
  }
  if (shops.length <= 1) return { shop: shops[0] };
  return { error: `有多个店铺：${list}。请用 --shop 指定是哪个店，例：jxc ${command} --shop ${shops[0]?.name}\n` };
}
