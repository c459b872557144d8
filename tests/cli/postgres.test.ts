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

  it('migrates the database at start-up, then says plainly the store is not finished (exit 2)', async () => {
    const first = await jxc(['export', 'stock'], { databaseUrl: db.url });
    expect(first.code).toBe(2);
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain(`本次应用 ${listPgMigrations().length} 个迁移`);
    expect(first.stderr).toContain('PostgreSQL 存储尚未完成');
    expect(first.stderr).toContain('The PostgreSQL store is not finished yet');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(listPgMigrations().map((m) => m.name));
      // Nothing was written to a ledger anywhere: no shop was opened on PostgreSQL.
      expect((await client.query('SELECT count(*)::int AS n FROM "Shop"')).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    const again = await jxc(['chat'], { databaseUrl: db.url, input: '进货 T恤 5 件 单价 20\n' });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('本次应用 0 个迁移');
    expect(again.stdout).toBe('');
  });
});
