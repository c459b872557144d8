/**
 * Digest picture benchmark: one shop's evening digest as a PNG (the queries, the 30-day sales series,
 * the ECharts chart, the layout and resvg's rasterising with the shipped font), warm (median of runs
 * in one process) and cold (a fresh process: loading ECharts and resvg, then the first picture).
 * The floor, measured in the same run and interleaved with the warm runs, is resvg writing a blank
 * PNG of the same pixel size: the cost of any picture that size, before a single shape or letter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/prisma/database.ts';
import { SqliteDigestStore } from '../src/adapters/prisma/sqlite-digest.ts';
import { SqliteStore } from '../src/adapters/prisma/sqlite-store.ts';
import { PICTURE_DIGEST_AT, seedPictureShop } from './picture-shop.ts';

export interface PictureBenchResult {
  runs: number;
  /** Median ms of one owner's digest picture, queries included, warm. */
  warmMs: number;
  /** Median ms of the floor: a blank PNG of the same size. */
  floorMs: number;
  /** A fresh process: loading the drawing code, then the first picture. */
  cold: { loadMs: number; firstMs: number };
  /** Median ms per part of a warm picture. */
  parts: { collect: number; layout: number; raster: number };
  width: number;
  height: number;
  bytes: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export async function benchPicture(options: { runs?: number; onProgress?: (line: string) => void } = {}): Promise<PictureBenchResult> {
  const runs = options.runs ?? 9;
  const log = options.onProgress ?? (() => {});

  log('picture: cold run in a fresh process…');
  const child = fileURLToPath(new URL('./picture-child.ts', import.meta.url));
  const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  const r = spawnSync(process.execPath, [runTs, child], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`picture child failed: ${r.stderr}`);
  const cold = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { loadMs: number; firstMs: number };

  const dir = mkdtempSync(join(tmpdir(), 'jxc-picture-'));
  const db = openDatabase(join(dir, 'jxc.db'));
  try {
    const shop = await seedPictureShop(new SqliteStore(db));
    const queries = new SqliteDigestStore(db);
    const { collectDigestPicture, digestPictureView, svgToPng } = await import('../src/adapters/pictures/index.ts');
    const { pictureSvg } = await import('../src/adapters/pictures/picture-svg.ts');
    const once = async () => {
      const t0 = performance.now();
      const content = await collectDigestPicture(queries, shop, PICTURE_DIGEST_AT);
      const t1 = performance.now();
      const { svg, width, height } = pictureSvg(digestPictureView(content, 'owner'));
      const t2 = performance.now();
      const png = svgToPng(svg);
      const t3 = performance.now();
      return { collect: t1 - t0, layout: t2 - t1, raster: t3 - t2, total: t3 - t0, width, height, bytes: png.byteLength };
    };
    const first = await once();
    const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="${first.width}" height="${first.height}"><rect width="${first.width}" height="${first.height}" fill="#ffffff"/></svg>`;
    svgToPng(blank);
    log(`picture: ${runs} warm runs…`);
    const warm: Awaited<ReturnType<typeof once>>[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      warm.push(await once());
      const t = performance.now();
      svgToPng(blank);
      floor.push(performance.now() - t);
    }
    return {
      runs,
      warmMs: median(warm.map((w) => w.total)),
      floorMs: median(floor),
      cold,
      parts: { collect: median(warm.map((w) => w.collect)), layout: median(warm.map((w) => w.layout)), raster: median(warm.map((w) => w.raster)) },
      width: first.width,
      height: first.height,
      bytes: first.bytes,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
