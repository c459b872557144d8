/**
 * Start-up: how long the `jxc` binary takes from process start to exit for one small command, beside
 * `node -e 0` (the floor: Node's own start-up) measured in the same run, interleaved, so the ratio
 * holds on a busy machine.
 *
 *   jxc export stock --format json     on an empty (migrated) database
 *   echo 查 T恤 | jxc chat              on a database holding one product, T恤
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildDist from '../tests/helpers/build-dist.ts';

const BIN = fileURLToPath(new URL('../bin/jxc.cjs', import.meta.url));

export interface StartupCase {
  name: string;
  medianMs: number;
  ratio: number;
}

export interface StartupResult {
  runs: number;
  floorMs: number;
  cases: StartupCase[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

function timed(args: string[], env: NodeJS.ProcessEnv, input = ''): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { env, input, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function benchStartup(options: { runs?: number; onProgress?: (line: string) => void } = {}): Promise<StartupResult> {
  const runs = options.runs ?? 15;
  buildDist(); // the binary runs dist/: make sure it is the current source
  const dir = mkdtempSync(join(tmpdir(), 'jxc-startup-'));
  try {
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: process.env.TZ };
    const empty = { ...base, DATABASE_URL: `file:${join(dir, 'empty.db')}` };
    const shop = { ...base, DATABASE_URL: `file:${join(dir, 'shop.db')}` };
    timed([BIN, 'export', 'stock', '--format', 'json'], empty); // creates and migrates the empty database
    timed([BIN, 'chat'], shop, '进货 T恤 10 件 单价 20\n');
    const cases = [
      { name: 'jxc export stock --format json (empty database)', run: () => timed([BIN, 'export', 'stock', '--format', 'json'], empty), times: [] as number[] },
      { name: 'echo 查 T恤 | jxc chat', run: () => timed([BIN, 'chat'], shop, '查 T恤\n'), times: [] as number[] },
    ];
    const floor: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      // Two warm-up rounds fill the file cache; then each round runs the floor and every case once.
      const f = timed(['-e', '0'], base);
      const t = cases.map((c) => c.run());
      if (i < 2) continue;
      floor.push(f);
      t.forEach((ms, j) => cases[j]?.times.push(ms));
    }
    options.onProgress?.(`startup: ${runs} rounds of node -e 0, export, chat`);
    const floorMs = median(floor);
    return { runs, floorMs, cases: cases.map((c) => ({ name: c.name, medianMs: median(c.times), ratio: median(c.times) / floorMs })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
