import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jxc } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jxc export on a new database', () => {
  const databaseUrl = `file:${join(dir, 'new.db')}`;

  it('prints [] for stock as JSON', async () => {
    const r = await jxc(['export', 'stock', '--format', 'json'], { databaseUrl });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('prints a CSV header with a BOM for entries', async () => {
    const r = await jxc(['export', 'entries', '--format', 'csv'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFF编号,时间,类型,商品')).toBe(true);
  });

  it('refuses an unknown format and a bad variable with a message naming it', async () => {
    const bad = await jxc(['export', 'stock', '--format', 'xml'], { databaseUrl });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
    expect((await jxc(['help'], { databaseUrl })).stdout).toContain('jxc chat [--shop 店名] [--create]');
    const env = await jxc(['export', 'stock'], { databaseUrl, env: { LOG_LEVEL: 'loud' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('LOG_LEVEL');
  });
});

describe('jxc export payables', () => {
  const databaseUrl = `file:${join(dir, 'payables.db')}`;

  it('sums the dropship cost owed to each supplier over the period, as CSV and JSON', async () => {
    await jxc(['chat', '--shop', '代发店', '--create'], {
      databaseUrl,
      input: '设置 手机壳 代发 供应商 老李 进价 6\n卖了 手机壳 3个 15元 淘宝\n卖了 手机壳 1个 15元\n撤销\n',
    });
    const csv = await jxc(['export', 'payables', '--format', 'csv', '--from', '本月', '--to', '本月'], { databaseUrl });
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('\uFEFF供应商,商品,单位,数量,应付金额\r\n老李,手机壳,件,3,18.00\r\n老李,小计,,,18.00\r\n合计,,,,18.00\r\n');
    const json = await jxc(['export', 'payables', '--format', 'json', '--from', '上月', '--to', '上月'], { databaseUrl });
    expect(JSON.parse(json.stdout)).toMatchObject({ total: '0.00', suppliers: [] });
    const what = await jxc(['export', 'owed'], { databaseUrl });
    expect(what.code).toBe(2);
    expect(what.stderr).toContain('payables（应付代发供应商）');
  });
});

describe('jxc export --out', () => {
  const databaseUrl = `file:${join(dir, 'out.db')}`;

  it('creates the file readable by its owner only', async () => {
    const out = join(dir, 'stock.csv');
    const r = await jxc(['export', 'stock', '--out', out], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('已导出到');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').startsWith('\uFEFF')).toBe(true);
  });

  it('refuses an existing file and leaves it as it was', async () => {
    const out = join(dir, 'existing.csv');
    writeFileSync(out, 'mine');
    const r = await jxc(['export', 'entries', '--out', out], { databaseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`文件已存在，不会覆盖：${out}`);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });

  it('refuses a symbolic link, dangling or not, and writes nothing through it', async () => {
    const target = join(dir, 'elsewhere.csv');
    writeFileSync(target, 'theirs');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    const r = await jxc(['export', 'entries', '--out', link], { databaseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`这是一个符号链接，不会写入：${link}`);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    const dangling = join(dir, 'dangling.csv');
    symlinkSync(join(dir, 'not-there.csv'), dangling);
    expect((await jxc(['export', 'entries', '--out', dangling], { databaseUrl })).code).toBe(2);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(() => statSync(join(dir, 'not-there.csv'))).toThrow();
  });
});

describe('jxc export and digest with several shops', () => {
  const databaseUrl = `file:${join(dir, 'shops.db')}`;

  it('refuse without --shop and list the shops, instead of exporting an empty default', async () => {
    await jxc(['chat', '--shop', '一店'], { databaseUrl, input: '进货 T恤 5 件 单价 20\n' });
    await jxc(['chat', '--shop', '二店', '--create'], { databaseUrl, input: '进货 短裤 3 条 单价 15\n' });
    // The default shop name (我的店) exists too, empty: it must not be picked silently.
    await jxc(['chat', '--shop', '我的店', '--create'], { databaseUrl, input: '' });
    for (const args of [['export', 'stock', '--format', 'json'], ['digest']]) {
      const r = await jxc(args, { databaseUrl });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('有多个店铺：「一店」、「二店」、「我的店」。请用 --shop 指定');
    }
    const one = await jxc(['export', 'stock', '--format', 'json', '--shop', '二店'], { databaseUrl });
    expect((JSON.parse(one.stdout) as { product: string }[]).map((s) => s.product)).toEqual(['短裤']);
    const named = await jxc(['export', 'stock', '--format', 'json'], { databaseUrl, env: { JXC_SHOP: '一店' } });
    expect((JSON.parse(named.stdout) as { product: string }[]).map((s) => s.product)).toEqual(['T恤']);
    expect((await jxc(['digest', '--shop', '一店'], { databaseUrl })).stdout).toContain('📋 一店 日报');
    const unknown = await jxc(['export', 'stock', '--shop', '三店'], { databaseUrl });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有店铺「三店」。现有店铺：「一店」、「二店」、「我的店」');
  });

  it('will not write xlsx to a terminal without --out, but will to a pipe', async () => {
    const tty = await jxc(['export', 'stock', '--format', 'xlsx', '--shop', '一店'], { databaseUrl, tty: true });
    expect(tty.code).toBe(2);
    expect(tty.bytes.length).toBe(0);
    expect(tty.stderr).toContain('请用 --out 保存，例：jxc export stock --format xlsx --out stock.xlsx');
    const piped = await jxc(['export', 'stock', '--format', 'xlsx', '--shop', '一店'], { databaseUrl });
    expect(piped.code).toBe(0);
    expect(piped.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
