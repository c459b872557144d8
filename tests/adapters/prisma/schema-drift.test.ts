import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../helpers/db.ts';

/**
 * The migrations are hand-written SQL; this keeps them and prisma/schema.prisma from drifting apart:
 * every model's scalar columns (type, nullability), unique constraints and indexes must exist in the
 * database the migrations build, and the database must have nothing the schema lacks.
 */

interface Field {
  name: string;
  sqlType: string;
  optional: boolean;
  unique: boolean;
  id: boolean;
}
interface Model {
  name: string;
  fields: Field[];
  uniques: string[][];
  indexes: string[][];
}

const SQL_TYPES: Record<string, string> = { Int: 'INTEGER', String: 'TEXT', DateTime: 'DATETIME', Boolean: 'BOOLEAN', Float: 'REAL', BigInt: 'BIGINT', Bytes: 'BLOB' };

function parseSchema(text: string): Model[] {
  const models: Model[] = [];
  const modelNames = new Set([...text.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1] as string));
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model: Model = { name: m[1] as string, fields: [], uniques: [], indexes: [] };
    for (const raw of (m[2] as string).split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const block = /^@@(unique|index)\(\[([^\]]+)\]/.exec(line);
      if (block) {
        const cols = (block[2] as string).split(',').map((c) => c.trim());
        (block[1] === 'unique' ? model.uniques : model.indexes).push(cols);
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\[\]|\?)?(.*)$/.exec(line);
      if (!field) continue;
      const [, name, type, modifier, attrs] = field as unknown as [string, string, string, string | undefined, string];
      if (modelNames.has(type)) continue; // a relation, not a column
      const sqlType = SQL_TYPES[type];
      if (!sqlType) throw new Error(`schema-drift test does not know the type ${type}`);
      model.fields.push({ name, sqlType, optional: modifier === '?', unique: /@unique\b/.test(attrs), id: /@id\b/.test(attrs) });
    }
    models.push(model);
  }
  return models;
}

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(() => t.cleanup());

const models = parseSchema(readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8'));

describe('the migrated database matches prisma/schema.prisma', () => {
  it('finds every model of the schema', () => {
    expect(models.map((m) => m.name).sort()).toEqual(
      ['Balance', 'Batch', 'BatchMove', 'BindingCode', 'ChatBinding', 'DigestDelivery', 'DigestRun', 'Entry', 'HandledMessage', 'Identity', 'ImportBatch', 'Location', 'LoginLease', 'PendingImport', 'PendingRepost', 'Person', 'Product', 'ProductAlias', 'ProductUnit', 'Shop', 'SourceMessage', 'WebLoginToken', 'WebSecret', 'WebSession'].sort(),
    );
  });

  it('has exactly the schema’s tables', () => {
    const tables = (t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'").all() as { name: string }[])
      .map((r) => r.name)
      .sort();
    expect(tables).toEqual(models.map((m) => m.name).sort());
  });

  for (const model of models) {
    describe(model.name, () => {
      it('has the same columns, types and nullability', () => {
        const columns = t.db.prepare(`PRAGMA table_info("${model.name}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
        const actual = columns.map((c) => ({ name: c.name, type: c.type, nullable: c.notnull === 0 && c.pk === 0 })).sort((a, b) => a.name.localeCompare(b.name));
        const expected = model.fields
          .map((f) => ({ name: f.name, type: f.sqlType, nullable: f.optional }))
          .sort((a, b) => a.name.localeCompare(b.name));
        expect(actual).toEqual(expected);
      });

      it('has the same unique constraints and indexes', () => {
        const list = t.db.prepare(`PRAGMA index_list("${model.name}")`).all() as { name: string; unique: number; origin: string }[];
        const describe = (unique: boolean) =>
          list
            .filter((i) => i.origin === 'c' && (i.unique === 1) === unique)
            .map((i) => (t.db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(','))
            .sort();
        const expectedUnique = [...model.fields.filter((f) => f.unique).map((f) => f.name), ...model.uniques.map((u) => u.join(','))].sort();
        expect(describe(true)).toEqual(expectedUnique);
        expect(describe(false)).toEqual(model.indexes.map((i) => i.join(',')).sort());
      });
    });
  }
});
