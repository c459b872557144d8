import { parseArgs } from 'node:util';
import { SqliteDigestStore } from '../adapters/prisma/sqlite-digest.ts';
import { collectDigest } from '../core/digest.ts';
import { digestWindow, renderDigest } from '../bot/digest.ts';
import { parseIsoDate } from '../core/zoned-time.ts';
import type { BaseApp } from '../base-app.ts';
import { pickShop } from './export-command.ts';
import { USAGE } from './usage.ts';

/**
 * `jxc digest [--shop 店名] [--date YYYY-MM-DD] [--audience owner|staff]`: prints a digest on the
 * terminal, the owner's copy unless `--audience staff`. It only reads: nothing is claimed or sent, so
 * it never stands in for the day's scheduled digest.
 */
export async function digestCommand(
  app: BaseApp,
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { shop: { type: 'string' }, date: { type: 'string' }, audience: { type: 'string', default: 'owner' } },
    }));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.audience !== 'owner' && values.audience !== 'staff') {
    stderr.write(`--audience 只能是 owner 或 staff（收到「${values.audience}」）\n`);
    return 2;
  }
  if (values.date !== undefined && !parseIsoDate(values.date)) {
    stderr.write(`--date 要写成 2026-11-27（收到「${values.date}」）\n`);
    return 2;
  }
  const shops = app.store.listShops();
  const found = pickShop(shops, values.shop ?? (env.JXC_SHOP ? app.config.shopName : undefined), 'digest');
  if ('error' in found) {
    stderr.write(found.error);
    return 2;
  }
  const shop = found.shop;
  if (!shop) {
    stderr.write('还没有店铺。先用 jxc chat 记一笔账，或在聊天里「开店 店名」。\n');
    return 2;
  }
  const window = digestWindow(app.clock.now(), shop.timeZone, values.date);
  const digest = collectDigest(new SqliteDigestStore(app.db), { id: shop.id, name: shop.name, timeZone: shop.timeZone }, window);
  stdout.write(`${renderDigest(digest, { seeCost: values.audience === 'owner' })}\n`);
  return 0;
}
