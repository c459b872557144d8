import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectDigest } from '../core/digest.ts';
import { digestWindow, renderDigest } from '../bot/digest.ts';
import { parseIsoDate } from '../core/zoned-time.ts';
import type { BaseApp } from '../base-app.ts';
import { pickShop } from './export-command.ts';
import { USAGE } from './usage.ts';

/**
 * `jxc digest [--shop 店名] [--date YYYY-MM-DD] [--audience owner|staff] [--image FILE.png]`: prints a
 * digest on the terminal, the owner's copy unless `--audience staff`; with `--image` also writes the
 * digest picture (the one chats get with `设置 日报 图片`). It only reads: nothing is claimed or sent,
 * so it never stands in for the day's scheduled digest.
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
      options: { shop: { type: 'string' }, date: { type: 'string' }, audience: { type: 'string', default: 'owner' }, image: { type: 'string' } },
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
  const shops = await app.store.listShops();
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
  if (values.image !== undefined && !/\.png$/i.test(values.image)) {
    stderr.write(`--image 要写 PNG 文件名，例如 --image 日报.png（收到「${values.image}」）\n`);
    return 2;
  }
  const queries = app.stores.digest;
  const digestShop = { id: shop.id, name: shop.name, timeZone: shop.timeZone };
  const window = digestWindow(app.clock.now(), shop.timeZone, values.date);
  const digest = await collectDigest(queries, digestShop, window);
  stdout.write(`${renderDigest(digest, { seeCost: values.audience === 'owner' })}\n`);
  if (values.image !== undefined) {
    const { digestPicture } = await import('../adapters/pictures/index.ts');
    const { digestSales } = await import('../bot/pictures/digest-picture.ts');
    const { writeFile } = await import('node:fs/promises');
    const picture = digestPicture({ digest, sales: await digestSales(queries, digest) }, values.audience);
    try {
      await writeFile(values.image, picture.png);
    } catch (error) {
      stderr.write(`图片没能写入 ${values.image}：${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    stderr.write(`🖼 日报图片已保存到 ${resolve(values.image)}（${Math.round(picture.png.byteLength / 1024)} KB）\n`);
  }
  return 0;
}
