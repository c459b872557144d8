import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../../helpers/pg.ts';
import { readSchema, type SchemaField, type SchemaModel } from '../../helpers/prisma-schema.ts';

/**
 * The PostgreSQL migrations are hand-written SQL, as SQLite's are; this keeps them and
 * prisma/postgresql/schema.prisma from drifting apart. A fresh database built by the real runner
 * must have exactly the schema's tables; each model's columns (type, nullability, default), its
 * primary key, unique constraints and indexes, and its foreign keys, under the names Prisma gives
 * them (so that `prisma migrate diff` would find nothing to rename); and the same triggers as SQLite.
 * Prisma's own diff cannot run here (the schema engine is not downloadable offline), so this compares
 * information_schema and pg_catalog with the parsed schema file.
 */

const { models } = readSchema(new URL('../../../prisma/postgresql/schema.prisma', import.meta.url));

/** information_schema's data_type for each Prisma scalar (and its native type where one is given). */
function pgType(f: SchemaField): string {
  if (f.type === 'DateTime') return f.dbType === 'Timestamptz(3)' ? 'timestamp with time zone(3)' : 'timestamp without time zone(3)';
  const types: Record<string, string> = { Int: 'integer', BigInt: 'bigint', String: 'text', Boolean: 'boolean', Bytes: 'bytea', Float: 'double precision' };
  const type = types[f.type];
  if (!type || f.dbType) throw new Error(`the PostgreSQL drift test does not know ${f.type}${f.dbType ? ` @db.${f.dbType}` : ''}`);
  return type;
}

/** column_default as PostgreSQL prints the default Prisma would write for `@default(…)`. */
function pgDefault(model: string, f: SchemaField): string | null {
  if (f.default === undefined) return null;
  if (f.default === 'autoincrement()') return `nextval('"${model}_${f.name}_seq"'::regclass)`;
  if (f.default.startsWith('"')) return `'${JSON.parse(f.default) as string}'::text`;
  return f.default;
}

let db: PgTestDatabase;
let client: pg.Client;

describePg('the migrated PostgreSQL database matches prisma/postgresql/schema.prisma', () => {
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url, { migrated: true });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;

  it('has exactly the schema’s tables, and Prisma’s _prisma_migrations', async () => {
    const tables = await rows<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual([...models.map((m) => m.name), '_prisma_migrations'].sort());
  });

  it('has the same triggers as the SQLite database', async () => {
    const lite = createTestDb();
    try {
      const sqliteTriggers = (lite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      const pgTriggers = await rows<{ name: string }>(
        'SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY 1',
      );
      expect(sqliteTriggers.length).toBeGreaterThan(0);
      expect(pgTriggers.map((r) => r.name)).toEqual(sqliteTriggers);
    } finally {
      lite.cleanup();
    }
  });

  for (const model of models) {
    describePg(model.name, () => {
      it('has the same columns, types, nullability and defaults', async () => {
        const columns = await rows<{ column_name: string; data_type: string; datetime_precision: number | null; is_nullable: string; column_default: string | null }>(
          'SELECT column_name, data_type, datetime_precision, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
          [model.name],
        );
        const actual = columns
          .map((c) => ({
            name: c.column_name,
            type: c.data_type.startsWith('timestamp') ? `${c.data_type}(${c.datetime_precision})` : c.data_type,
            nullable: c.is_nullable === 'YES',
            default: c.column_default,
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
        const expected = model.fields
          .map((f) => ({ name: f.name, type: pgType(f), nullable: f.optional, default: pgDefault(model.name, f) }))
          .sort((a, b) => a.name.localeCompare(b.name));
        expect(actual).toEqual(expected);
      });

      it('has the same primary key, unique constraints and indexes, named as Prisma names them', async () => {
        const indexes = await rows<{ name: string; unique: boolean; primary: boolean; columns: string[] }>(
          `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
                  array_agg(a.attname::text ORDER BY k.ord) AS columns
             FROM pg_index ix
             JOIN pg_class t ON t.oid = ix.indrelid
             JOIN pg_class i ON i.oid = ix.indexrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = current_schema() AND t.relname = $1
            GROUP BY i.relname, ix.indisunique, ix.indisprimary`,
          [model.name],
        );
        const describe = (ix: { name: string; columns: string[] }) => `${ix.name}(${ix.columns.join(',')})`;
        const name = (cols: string[], suffix: string) => `${model.name}_${cols.join('_')}_${suffix}(${cols.join(',')})`;
        const ids = model.fields.filter((f) => f.id).map((f) => f.name);
        expect(indexes.filter((i) => i.primary).map(describe)).toEqual([`${model.name}_pkey(${ids.join(',')})`]);
        const uniques = [...model.fields.filter((f) => f.unique).map((f) => [f.name]), ...model.uniques];
        expect(indexes.filter((i) => i.unique && !i.primary).map(describe).sort()).toEqual(uniques.map((u) => name(u, 'key')).sort());
        expect(indexes.filter((i) => !i.unique).map(describe).sort()).toEqual(model.indexes.map((u) => name(u, 'idx')).sort());
      });

      it('has the foreign keys of its relations, with Prisma’s default actions', async () => {
        const keys = await rows<{ name: string; column: string; ref_table: string; ref_column: string; on_delete: string; on_update: string }>(
          `SELECT c.conname AS name, a.attname AS column, rt.relname AS ref_table, ra.attname AS ref_column,
                  c.confdeltype AS on_delete, c.confupdtype AS on_update
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             JOIN pg_class rt ON rt.oid = c.confrelid
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1`,
          [model.name],
        );
        const expected = (m: SchemaModel) =>
          m.relations
            .filter((r) => r.relation)
            .map((r) => {
              const [column] = r.relation?.fields ?? [];
              const [refColumn] = r.relation?.references ?? [];
              // Prisma's defaults: a required relation restricts deletes, an optional one sets null.
              return { name: `${m.name}_${column}_fkey`, column, ref_table: r.type, ref_column: refColumn, on_delete: r.optional ? 'n' : 'r', on_update: 'c' };
            });
        const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
        expect(keys.sort(byName)).toEqual(expected(model).sort(byName));
      });
    });
  }
});
