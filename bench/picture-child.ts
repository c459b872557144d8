/**
 * One digest picture in a fresh process, for the cold figure of bench/picture.bench.ts: the shop is
 * seeded first (untimed), then the drawing code is loaded and one picture drawn. Prints JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../src/adapters/prisma/sqlite-digest.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { PICTURE_DIGEST_AT, seedPictureShop } from './picture-shop.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-picture-'));
try {
  const db = openDatabase(join(dir, 'jxc.db'));
  const shop = await seedPictureShop(new SqliteStore(db));
  const queries = new SqliteDigestStore(db);
  const started = performance.now();
  const pictures = await import('../src/adapters/pictures/index.ts');
  const loaded = performance.now();
  const picture = pictures.digestPicture(await pictures.collectDigestPicture(queries, shop, PICTURE_DIGEST_AT), 'owner');
  const drawn = performance.now();
  console.log(JSON.stringify({ loadMs: loaded - started, firstMs: drawn - loaded, bytes: picture.png.byteLength }));
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
