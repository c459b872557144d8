import { parseArgs } from 'node:util';
import { entriesCsv, entriesJson, stockCsv, stockJson } from '../adapters/files/export.ts';
import { zonedMidnight } from '../bot/format.ts';
import { parsePeriod } from '../bot/parse/index.ts';
import type { App } from '../main.ts';
import { USAGE } from './usage.ts';

/** `jxc export stock|entries --format json|csv [--from] [--to] [--shop]`: prints to stdout. */
export async function exportCommand(app: App, args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'json' }, shop: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    });
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const what = parsed.positionals[0];
  const format = parsed.values.format;
  if (what !== 'stock' && what !== 'entries') {
    stderr.write(`要导出什么？stock（库存）或 entries（流水）。\n${USAGE}`);
    return 2;
  }
  if (format !== 'json' && format !== 'csv') {
    stderr.write(`--format 只能是 json 或 csv（收到「${format}」）\n`);
    return 2;
  }
  const reader = app.reader();
  const shops = await reader.shops();
  let shop: { id: number; timeZone: string } | undefined;
  if (parsed.values.shop !== undefined) {
    shop = shops.find((s) => s.name === parsed.values.shop);
    if (!shop) {
      stderr.write(`没有店铺「${parsed.values.shop}」。现有：${shops.map((s) => s.name).join('、') || '（无）'}\n`);
      return 2;
    }
  } else if (shops.length === 1) shop = shops[0];
  else if (shops.length > 1) {
    shop = shops.find((s) => s.name === app.config.shopName);
    if (!shop) {
      stderr.write(`有多个店铺，请用 --shop 指定：${shops.map((s) => s.name).join('、')}\n`);
      return 2;
    }
  }
  const timeZone = shop?.timeZone ?? app.config.timeZone;
  if (what === 'stock') {
    const rows = shop ? await reader.stockRows(shop.id) : [];
    stdout.write(format === 'json' ? `${JSON.stringify(stockJson(rows), null, 2)}\n` : stockCsv(rows));
    return 0;
  }
  const range: { from?: Date; to?: Date } = {};
  for (const key of ['from', 'to'] as const) {
    const text = parsed.values[key];
    if (text === undefined) continue;
    const period = parseDateArg(text, timeZone);
    if (!period) {
      stderr.write(`--${key} 看不懂「${text}」。例：2026-11-01、11月1日、本月、上周\n`);
      return 2;
    }
    // --from takes the start of the day or period; --to includes the whole of it.
    range[key] = key === 'from' ? period.from : period.to;
  }
  const rows = shop ? await reader.entryRows(shop.id, range.from, range.to) : [];
  stdout.write(format === 'json' ? `${JSON.stringify(entriesJson(rows), null, 2)}\n` : entriesCsv(rows, timeZone));
  return 0;
}

/** A CLI date: 2026-11-01 (that whole day in the shop's zone) or a period word (本月, 上周). */
export function parseDateArg(text: string, timeZone: string): { from: Date; to: Date } | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    return { from: zonedMidnight(y, m, d, timeZone), to: zonedMidnight(y, m, d + 1, timeZone) };
  }
  return parsePeriod(text, new Date(), timeZone);
}
