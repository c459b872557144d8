import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jxc } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jxc export on a new database', () => {
  const databaseUrl = `file:${join(dir, 'new.db')}`;

  it('prints [] for stock as JSON', () => {
    const r = jxc(['export', 'stock', '--format', 'json'], { databaseUrl });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('prints a CSV header with a BOM for entries', () => {
    const r = jxc(['export', 'entries', '--format', 'csv'], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFF编号,时间,类型,商品')).toBe(true);
  });

  it('refuses an unknown format and a bad variable with a message naming it', () => {
    const bad = jxc(['export', 'stock', '--format', 'xml'], { databaseUrl });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
    const env = jxc(['export', 'stock'], { databaseUrl, env: { LOG_LEVEL: 'loud' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('LOG_LEVEL');
  });
});

describe('jxc export --out', () => {
  const databaseUrl = `file:${join(dir, 'out.db')}`;

  it('creates the file readable by its owner only', () => {
    const out = join(dir, 'stock.csv');
    const r = jxc(['export', 'stock', '--out', out], { databaseUrl });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('已导出到');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').startsWith('\uFEFF')).toBe(true);
  });

  it('refuses an existing file and leaves it as it was', () => {
    const out = join(dir, 'existing.csv');
    writeFileSync(out, 'mine');
    const r = jxc(['export', 'entries', '--out', out], { databaseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`文件已存在，不会覆盖：${out}`);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });

  it('refuses a symbolic link, dangling or not, and writes nothing through it', () => {
    const target = join(dir, 'elsewhere.csv');
    writeFileSync(target, 'theirs');
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    const r = jxc(['export', 'entries', '--out', link], { databaseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`这是一个符号链接，不会写入：${link}`);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    const dangling = join(dir, 'dangling.csv');
    symlinkSync(join(dir, 'not-there.csv'), dangling);
    expect(jxc(['export', 'entries', '--out', dangling], { databaseUrl }).code).toBe(2);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(() => statSync(join(dir, 'not-there.csv'))).toThrow();
  });
});
