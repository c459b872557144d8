import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { applyPgMigrations, listPgMigrations, migratePostgres, PG_MIGRATIONS_DIR, PostgresMigrationError } from '../../../src/adapters/postgres/migrate.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../../helpers/pg.ts';

const scratch = mkdtempSync(join(tmpdir(), 'jxc-pg-migrate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the real migrations folder that a test may add to. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(scratch, 'migrations-'));
  cpSync(PG_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

let db: PgTestDatabase;
let client: pg.Client;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

describePg('applyPgMigrations', () => {
  // One database for the file; each test starts from an empty schema (cheaper than a database each).
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url);
    client = await connect(db.url);
  });
  beforeEach(async () => {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('records each migration in _prisma_migrations as prisma migrate deploy does, once', async () => {
    const files = listPgMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(await applyPgMigrations(client)).toEqual(files.map((f) => f.name));
    const { rows } = await client.query('SELECT id, migration_name, checksum, finished_at, started_at, logs, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const row of rows) {
      const bytes = readFileSync(join(PG_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await applyPgMigrations(client)).toEqual([]);
    expect((await client.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBe(files.length);
  });

  it('creates _prisma_migrations with the columns Prisma’s schema engine gives it on PostgreSQL', async () => {
    await applyPgMigrations(client);
    const { rows } = await client.query(
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(rows).toEqual([
      { column_name: 'id', data_type: 'character varying', len: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', len: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', len: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', len: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', len: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('applies each migration once when several processes start at the same moment', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => connect(db.url)));
    try {
      const results = await Promise.all(clients.map((c) => applyPgMigrations(c)));
      const names = listPgMigrations().map((f) => f.name);
      // Whoever got the lock first applied everything; the others found it all recorded.
      expect(results.flat().sort()).toEqual([...names].sort());
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      const { rows } = await client.query('SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1');
      expect(rows).toEqual(names.map((n) => ({ migration_name: n, n: 1 })));
      // The lock is given back: a session-level advisory lock left behind would block the next start.
      const locks = await client.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
      expect(locks.rows[0].n).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('applies a new folder on the next start, and a failing one leaves nothing behind', async () => {
    const dir = copyOfMigrations();
    await applyPgMigrations(client, { dir });
    mkdirSync(join(dir, '29990101000000_extra'));
    writeFileSync(join(dir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" ("id" SERIAL PRIMARY KEY);');
    mkdirSync(join(dir, '29990102000000_broken'));
    writeFileSync(join(dir, '29990102000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" SERIAL PRIMARY KEY);\nALTER TABLE "Nowhere" ADD COLUMN "x" INTEGER;');
    const error = await applyPgMigrations(client, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresMigrationError);
    expect((error as PostgresMigrationError).migration).toBe('29990102000000_broken');
    expect((error as Error).message).toMatch(/29990102000000_broken failed: .*"Nowhere"/);
    const tables = await client.query(`SELECT to_regclass('"Extra"') IS NOT NULL AS extra, to_regclass('"Half"') IS NOT NULL AS half`);
    expect(tables.rows[0]).toEqual({ extra: true, half: false });
    const recorded = await client.query("SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '2999%'");
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(['29990101000000_extra']);
  });

  it('refuses a database whose recorded migration was edited since', async () => {
    const dir = copyOfMigrations();
    await applyPgMigrations(client, { dir });
    const [first] = listPgMigrations(dir);
    writeFileSync(join(dir, first?.name ?? '', 'migration.sql'), `${first?.sql}\n-- edited\n`);
    await expect(applyPgMigrations(client, { dir })).rejects.toThrow(new RegExp(`migration ${first?.name} was changed after it was applied`));
  });

  it('refuses to go on past a migration the Prisma CLI left failed', async () => {
    await applyPgMigrations(client);
    await client.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000000', 'x', '29990101000000_half_done')");
    await expect(applyPgMigrations(client)).rejects.toThrow(/29990101000000_half_done is recorded as started but not finished/);
  });

  it('waits for a process holding Prisma Migrate’s lock, and says so when it waits too long', async () => {
    const holder = await connect(db.url);
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      await expect(applyPgMigrations(client, { lockTimeoutMs: 200 })).rejects.toThrow(/another process has been migrating this database/);
      const waiting = applyPgMigrations(client, { lockTimeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      expect(await waiting).toEqual(listPgMigrations().map((f) => f.name));
    } finally {
      await holder.end();
    }
  });

  it('moves a shop’s catalogueVersion on catalogue changes only, as the SQLite triggers do', async () => {
    await migratePostgres(db.url);
    const version = async () => (await client.query('SELECT id, "catalogueVersion" AS v FROM "Shop" ORDER BY id')).rows.map((r) => r.v);
    await client.query(`INSERT INTO "Shop" (name, "createdAt") VALUES ('甲', now()), ('乙', now())`);
    await client.query(`INSERT INTO "Product" ("shopId", name, "createdAt") VALUES (1, 'T恤', now())`);
    expect(await version()).toEqual([1, 0]);
    await client.query(`UPDATE "Product" SET "salePrice" = 5000, sku = 'A1'`);
    expect(await version()).toEqual([1, 0]);
    await client.query(`UPDATE "Product" SET unit = '件'`);
    expect(await version()).toEqual([2, 0]);
    await client.query(`INSERT INTO "ProductAlias" ("shopId", "productId", alias) VALUES (1, 1, '短袖')`);
    await client.query(`INSERT INTO "ProductUnit" ("productId", unit, "factorMilli") VALUES (1, '箱', 24000)`);
    expect(await version()).toEqual([4, 0]);
    await client.query(`UPDATE "Product" SET "shopId" = 2`);
    expect(await version()).toEqual([5, 1]);
    await client.query(`DELETE FROM "ProductUnit"`);
    await client.query(`DELETE FROM "ProductAlias"`);
    expect(await version()).toEqual([6, 2]);
  });
});
