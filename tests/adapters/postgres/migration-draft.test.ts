import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listMigrations } from '../../../src/adapters/prisma/migrate.ts';
// @ts-expect-error: a plain JavaScript script without declarations
import { draftPgMigration } from '../../../scripts/pg-migration-draft.js';
import { createPgDatabase, describePg, type PgTestDatabase } from '../../helpers/pg.ts';

/**
 * scripts/pg-migration-draft.js makes adding a PostgreSQL twin easy; this shows its drafts are worth
 * starting from: the drafts of every SQLite migration, applied in order to an empty schema, build the
 * same tables, columns, keys and indexes as the hand-written PostgreSQL migrations (everything except
 * the triggers, which it leaves as TODOs).
 */

const draft = draftPgMigration as (name: string, sql: string) => string;
let db: PgTestDatabase;
let client: pg.Client;

async function shape(schema: string) {
  await client.query(`SET search_path TO "${schema}"`);
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, datetime_precision, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
    [schema],
  );
  const indexes = await client.query(
    `SELECT tablename, indexname, replace(indexdef, $1 || '.', '') AS def FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
    [schema],
  );
  const keys = await client.query(
    `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname <> '_prisma_migrations' ORDER BY 1, 2`,
    [schema],
  );
  await client.query('RESET search_path');
  return { columns: columns.rows, indexes: indexes.rows, keys: keys.rows };
}

describePg('scripts/pg-migration-draft.js', () => {
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url, { migrated: true });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('drafts every SQLite migration into SQL that builds the hand-written PostgreSQL schema', async () => {
    await client.query('CREATE SCHEMA drafted');
    await client.query('SET search_path TO drafted');
    for (const m of listMigrations()) {
      const sql = draft(m.name, m.sql);
      expect(sql.split('\n')[0]).toBe(`-- PostgreSQL twin of prisma/migrations/${m.name}.`);
      await client.query(sql);
    }
    const written = await shape('public');
    const drafted = await shape('drafted');
    expect(written.columns.length).toBeGreaterThan(0);
    expect(drafted.columns).toEqual(written.columns);
    expect(drafted.indexes).toEqual(written.indexes);
    expect(drafted.keys).toEqual(written.keys);
  });

  it('leaves what no rule translates as a TODO, never as SQLite syntax PostgreSQL would run', () => {
    const integrity = listMigrations().find((m) => m.name.endsWith('_integrity'));
    const sql = draft('x', integrity?.sql ?? '');
    expect(sql).toContain('-- TODO: an SQLite trigger');
    expect(sql).not.toMatch(/^CREATE TRIGGER/m);
    expect(sql).not.toMatch(/^BEGIN UPDATE/m);
    expect(draft('x', 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "new_A" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "amount" INTEGER NOT NULL);')).toBe(
      '-- PostgreSQL twin of prisma/migrations/x.\n-- DRAFT by scripts/pg-migration-draft.js: review every line, then delete this one.\n\n' +
        '-- TODO: SQLite rebuilds a table to alter it; on PostgreSQL use ALTER TABLE instead:\n-- PRAGMA foreign_keys=OFF;\n' +
        'CREATE TABLE "new_A" ("id" SERIAL NOT NULL PRIMARY KEY, "amount" INTEGER NOT NULL);',
    );
  });
});
