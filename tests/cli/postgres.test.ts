import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPgMigrations } from '../../src/adapters/postgres/migrate.ts';
import { pgDumpCommand } from '../../src/cli/postgres-command.ts';
import { jxc } from '../helpers/cli.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../helpers/pg.ts';

describe('jxc backup on PostgreSQL', () => {
  it('gives the pg_dump command line instead of copying, without the password', async () => {
    const r = await jxc(['backup', 'shop.dump'], { databaseUrl: 'postgresql://jxc:Sup3rS3cret@db.example:5432/jxc?schema=shop&sslmode=require&connection_limit=5' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('PostgreSQL 数据库请用 PostgreSQL 自带的 pg_dump 备份');
    expect(r.stdout).toContain('On PostgreSQL, back up with pg_dump');
    expect(r.stdout).toContain("  pg_dump --format=custom --file=shop.dump --schema=shop 'postgresql://jxc@db.example:5432/jxc?sslmode=require'\n");
    expect(r.stdout).toContain('PGPASSWORD');
    expect(r.stdout + r.stderr).not.toContain('Sup3rS3cret');
  });

  it('names a dated file when none is given, and quotes what the shell would split', () => {
    expect(pgDumpCommand('postgres://postgres@127.0.0.1/test', 'jxc-2026-11-30.dump')).toEqual({
      command: 'pg_dump --format=custom --file=jxc-2026-11-30.dump postgres://postgres@127.0.0.1/test',
      hadPassword: false,
    });
    expect(pgDumpCommand("postgresql://h/db?password=x&application_name=it's", 'my backup.dump').command).toBe(
      `pg_dump --format=custom '--file=my backup.dump' 'postgresql://h/db?application_name=it%27s'`,
    );
  });
});

describe('jxc on a PostgreSQL URL it cannot reach', () => {
  it('says so, without the password, and fails', async () => {
    const r = await jxc(['export', 'stock'], { databaseUrl: 'postgresql://jxc:Sup3rS3cret@127.0.0.1:1/jxc' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PostgreSQL 数据库（postgresql:\/\/jxc:\*\*\*@127\.0\.0\.1:1\/jxc）迁移失败：/);
    expect(r.stderr).toContain('Could not migrate the PostgreSQL database');
    expect(r.stderr + r.stdout).not.toContain('Sup3rS3cret');
  });
});

let db: PgTestDatabase;

describePg('jxc on PostgreSQL', () => {
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates the database at start-up, then runs chat, import, export and digest on it', async () => {
    const chat = await jxc(['chat'], { databaseUrl: db.url, input: '进货 T恤 50 件 单价 20\n卖了 T恤 3 件 单价 59 淘宝\n查 T恤\n' });
    expect(chat.stderr).toBe('');
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('50件 × 20.00 = 1,000.00');
    expect(chat.stdout).toMatch(/T恤[^\n]*47/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(listPgMigrations().map((m) => m.name));
      // The ledger is in PostgreSQL: two entries, the balance moved by both, money in bigint 分.
      expect((await client.query('SELECT count(*)::int AS n FROM "Entry"')).rows[0].n).toBe(2);
      expect((await client.query('SELECT "qtyMilli"::int AS q, "value"::int AS v FROM "Balance"')).rows).toEqual([{ q: 47_000, v: 94_000 }]);
    } finally {
      await client.end();
    }
    const dir = mkdtempSync(join(tmpdir(), 'jxc-pg-cli-'));
    try {
      const file = join(dir, '库存.csv');
      writeFileSync(file, '商品,数量,成本\n短裤,10,15\n');
      const imported = await jxc(['import', 'stock', file], { databaseUrl: db.url });
      expect(imported.code).toBe(0);
      const stock = await jxc(['export', 'stock', '--format', 'json'], { databaseUrl: db.url });
      expect(stock.code).toBe(0);
      const rows = JSON.parse(stock.stdout) as { product: string; quantity: number }[];
      expect(rows.map((r) => [r.product, r.quantity]).sort()).toEqual([['T恤', 47], ['短裤', 10]].sort());
      const entries = await jxc(['export', 'entries', '--format', 'csv'], { databaseUrl: db.url });
      expect(entries.code).toBe(0);
      expect(entries.stdout.split('\r\n').filter((l) => l.includes('T恤'))).toHaveLength(2);
      const digest = await jxc(['digest'], { databaseUrl: db.url });
      expect(digest.code).toBe(0);
      expect(digest.stdout).toContain('T恤');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
