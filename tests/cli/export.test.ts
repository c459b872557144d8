import { mkdtempSync, rmSync } from 'node:fs';
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
