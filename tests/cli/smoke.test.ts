import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jxcProcess } from '../helpers/cli.ts';

// One real `node bin/jxc.cjs …` per command, on the compiled dist/, as a user runs it. Everything
// else about the commands is tested in-process (tests/cli, tests/e2e/console.test.ts).

const dir = mkdtempSync(join(tmpdir(), 'jxc-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const databaseUrl = `file:${join(dir, 'shop.db')}`;

describe('the jxc binary', () => {
  it('start (no chat platform, piped) is the console chat', () => {
    const r = jxcProcess(['start'], { databaseUrl, input: '进货 T恤 50 件 单价 20\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✅ #1 进货 T恤 50件 × 20.00 = 1,000.00 → 库存 50件（回复「撤销」可撤回）\n（新商品已建档：T恤）\n');
  });

  it('chat answers each piped line and nothing else on stdout, logs off stdout', () => {
    const r = jxcProcess(['chat'], { databaseUrl, input: '出货 T恤 2 件 单价 59\n查 T恤\n', env: { LOG_LEVEL: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✅ #2 出货 T恤 2件 × 59.00 = 118.00 → 库存 48件（回复「撤销」可撤回）\n📦 T恤：48件，均价 20.00，金额 960.00\n');
  });

  it('import', () => {
    const file = join(dir, 'stock.csv');
    writeFileSync(file, '商品,数量,成本\n短裤,30,15\n');
    const r = jxcProcess(['import', 'stock', file], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✅ 已导入 1 行');
  });

  it('export', () => {
    const r = jxcProcess(['export', 'stock', '--format', 'json'], { databaseUrl });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { product: string; quantity: number }[]).map((s) => [s.product, s.quantity])).toEqual([
      ['T恤', 48],
      ['短裤', 30],
    ]);
  });

  it('digest', () => {
    const r = jxcProcess(['digest'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('📋 我的店 日报');
  });

  it('digest --image draws the picture with the font shipped beside the bundle', () => {
    const image = join(dir, '日报.png');
    const r = jxcProcess(['digest', '--image', image, '--audience', 'staff'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`日报图片已保存到 ${image}`);
    const png = readFileSync(image);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(1080);
  });

  it('backup', () => {
    const target = join(dir, 'copy.db');
    const r = jxcProcess(['backup', target], { databaseUrl });
    expect(r.code).toBe(0);
    expect(existsSync(target) && statSync(target).mode & 0o777).toBe(0o600);
  });

  it('chat exports a workbook in the worker thread next to the compiled command line', () => {
    // The bundled command line (dist/bundle/) must find its export worker beside it; without it the
    // export would run inline and log the reason.
    const r = jxcProcess(['chat'], { databaseUrl, input: '导出 流水\n', env: { LOG_LEVEL: 'debug' }, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const exported = r.stderr
      .split('\n')
      .filter((line) => line.includes('chat export written'))
      .map((line) => (JSON.parse(line) as { thread: string; reason?: string }).thread);
    expect(exported).toEqual(['worker']);
    expect(readFileSync(join(dir, '我的店-本月-流水利润.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('loads only what each command needs', () => {
    const hook = fileURLToPath(new URL('../helpers/module-trace.mjs', import.meta.url));
    const packages = (args: string[], input = '') => {
      const trace = join(dir, `trace-${args[0]}.txt`);
      const r = jxcProcess(args, { databaseUrl, input, env: { NODE_OPTIONS: `--import=${hook}`, JXC_MODULE_TRACE: trace } });
      expect(r.code, r.stderr).toBe(0);
      const loaded = readFileSync(trace, 'utf8').split('\n');
      return new Set(loaded.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? []));
    };
    const exported = packages(['export', 'stock', '--format', 'json']);
    expect(exported.has('better-sqlite3')).toBe(true);
    for (const name of ['exceljs', 'chrono-node', 'pinyin-pro', '@prisma/client', 'pino', 'grammy', 'pg']) expect(exported.has(name), name).toBe(false);
    const chat = packages(['chat'], '查 T恤\n');
    expect(chat.has('better-sqlite3')).toBe(true);
    // chrono (dates), pinyin-pro (suggestions) and the spreadsheet readers load when a line needs them.
    for (const name of ['exceljs', 'csv-parse', 'chrono-node', 'pinyin-pro', 'zod', '@prisma/client', 'grammy', 'pino', 'pg']) expect(chat.has(name), name).toBe(false);
    const dated = packages(['chat'], '查 T血\n3天前 出货 T恤 1 件 单价 30\n');
    expect(dated.has('pinyin-pro') && dated.has('chrono-node')).toBe(true);
  });
});
