import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrationNames } from '../../../src/migration-files.ts';
import { MIGRATIONS_DIR } from '../../../src/adapters/prisma/migrate.ts';
import { PG_MIGRATIONS_DIR } from '../../../src/adapters/postgres/migrate.ts';
import { readSchema, type SchemaModel } from '../../helpers/prisma-schema.ts';

/**
 * One data model, two providers: prisma/schema.prisma with prisma/migrations (SQLite) and
 * prisma/postgresql/schema.prisma with prisma/postgresql/migrations. These tests need no database;
 * they keep the two sides declaring the same thing, so that each side's drift test (migrations vs its
 * schema.prisma) is enough to keep both databases alike.
 */

const sqlite = readSchema(new URL('../../../prisma/schema.prisma', import.meta.url));
const postgres = readSchema(new URL('../../../prisma/postgresql/schema.prisma', import.meta.url));

/**
 * The fields that are Int on SQLite (always 64-bit there) and BigInt on PostgreSQL: money in 分 and
 * quantities in thousandths, which the core allows past int4's 2^31 - 1 (MAX_CENTS = 10^11,
 * MAX_QUANTITY × 1000 = 10^12). Adding a money or quantity field means adding it here.
 */
const BIGINT_FIELDS: Record<string, string[]> = {
  Product: ['salePrice', 'lastCost', 'dropshipCost'],
  ProductUnit: ['factorMilli'],
  Balance: ['qtyMilli', 'value'],
  Entry: ['qtyMilli', 'unitPrice', 'amount', 'cost', 'valueDelta'],
  Batch: ['qtyMilli'],
  BatchMove: ['qtyMilli'],
};

describe('the SQLite and PostgreSQL migrations', () => {
  it('have the same folder names (each SQLite migration has its PostgreSQL twin, and no more)', () => {
    const lite = migrationNames(MIGRATIONS_DIR);
    const pg = migrationNames(PG_MIGRATIONS_DIR);
    expect(lite.length).toBeGreaterThan(0);
    const missing = lite.filter((n) => !pg.includes(n));
    const extra = pg.filter((n) => !lite.includes(n));
    const problems = [
      ...missing.map((n) => `missing prisma/postgresql/migrations/${n}/migration.sql (the PostgreSQL twin of prisma/migrations/${n}; \`node scripts/pg-migration-draft.js ${n}\` writes a first draft)`),
      ...extra.map((n) => `prisma/postgresql/migrations/${n} has no SQLite migration of that name in prisma/migrations`),
    ];
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });

  it('are found where the runners look', () => {
    expect(fileURLToPath(new URL('../../../prisma/migrations', import.meta.url))).toBe(MIGRATIONS_DIR);
    expect(fileURLToPath(new URL('../../../prisma/postgresql/migrations', import.meta.url))).toBe(PG_MIGRATIONS_DIR);
  });
});

describe('prisma/schema.prisma and prisma/postgresql/schema.prisma', () => {
  it('name their providers', () => {
    expect(sqlite.provider).toBe('sqlite');
    expect(postgres.provider).toBe('postgresql');
  });

  it('declare the same models', () => {
    expect(postgres.models.map((m) => m.name)).toEqual(sqlite.models.map((m) => m.name));
  });

  const byName = new Map(postgres.models.map((m) => [m.name, m]));
  for (const lite of sqlite.models) {
    describe(lite.name, () => {
      const pg = byName.get(lite.name) as SchemaModel;

      it('has the same fields, keys and relations; types differ only where chosen', () => {
        const chosen = BIGINT_FIELDS[lite.name] ?? [];
        const expected = lite.fields.map((f) => ({
          ...f,
          type: chosen.includes(f.name) ? 'BigInt' : f.type,
          // Every instant is timestamptz(3) on PostgreSQL (the schema's header says why).
          dbType: f.type === 'DateTime' ? 'Timestamptz(3)' : f.dbType,
        }));
        expect(pg.fields).toEqual(expected);
        expect(pg.relations).toEqual(lite.relations);
        expect(pg.uniques).toEqual(lite.uniques);
        expect(pg.indexes).toEqual(lite.indexes);
      });
    });
  }

  it('widen only money and quantity fields, all of them Int on SQLite', () => {
    for (const [model, fields] of Object.entries(BIGINT_FIELDS)) {
      const lite = sqlite.models.find((m) => m.name === model);
      for (const name of fields) expect(lite?.fields.find((f) => f.name === name)?.type, `${model}.${name}`).toBe('Int');
    }
    const widened = postgres.models.flatMap((m) => m.fields.filter((f) => f.type === 'BigInt').map((f) => `${m.name}.${f.name}`));
    expect(widened.sort()).toEqual(Object.entries(BIGINT_FIELDS).flatMap(([m, fs]) => fs.map((f) => `${m}.${f}`)).sort());
    // Every field counted in 分 or thousandths is among them, by the naming the schema uses.
    const moneyOrQty = sqlite.models.flatMap((m) =>
      m.fields.filter((f) => /Milli$|^(value|amount|cost|valueDelta|unitPrice|salePrice|lastCost|dropshipCost)$/.test(f.name)).map((f) => `${m.name}.${f.name}`),
    );
    expect(moneyOrQty.sort()).toEqual(widened.sort());
  });
});
