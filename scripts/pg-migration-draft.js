// Writes a first draft of the PostgreSQL twin of an SQLite migration:
//
//   node scripts/pg-migration-draft.js 20261201010000_some_change
//
// reads prisma/migrations/<name>/migration.sql and writes prisma/postgresql/migrations/<name>/migration.sql
// with the mechanical part of the translation done: AUTOINCREMENT keys become SERIAL, DATETIME
// TIMESTAMPTZ(3), BLOB BYTEA, money or quantity columns (named as the schema names them) BIGINT, as
// prisma/postgresql/schema.prisma declares, and foreign keys move out of CREATE TABLE into ALTER TABLE
// statements at the end (SQLite accepts a reference to a table created later; PostgreSQL does not). What cannot be translated by rule (SQLite triggers,
// SQLite's table rebuilds under PRAGMA foreign_keys) is kept as a commented TODO. Review the draft,
// change prisma/postgresql/schema.prisma to match prisma/schema.prisma, and run
// tests/adapters/postgres (provider-twins, schema-drift), which compare all of it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Columns counted in 分 or thousandths: BIGINT on PostgreSQL (tests/adapters/postgres/provider-twins.test.ts holds the same rule). */
const WIDE_COLUMN = /^"(\w*Milli|value|amount|cost|valueDelta|unitPrice|salePrice|lastCost|dropshipCost)"$/;

/** The PostgreSQL draft of one SQLite migration's SQL. */
export function draftPgMigration(name, sql) {
  const out = [`-- PostgreSQL twin of prisma/migrations/${name}.`, '-- DRAFT by scripts/pg-migration-draft.js: review every line, then delete this one.', ''];
  let inTrigger = false;
  /** The table whose CREATE TABLE is being read, and the foreign keys taken out of it. */
  let table;
  let tableStart = 0;
  const foreignKeys = [];
  for (const line of sql.split('\n')) {
    const create = /^\s*CREATE TABLE "(\w+)"/i.exec(line);
    if (create) {
      table = create[1];
      tableStart = out.length;
    }
    const fk = table && /^\s*(CONSTRAINT "\w+" FOREIGN KEY \([^)]*\) REFERENCES "\w+") \(([^)]*)\)(.*?),?\s*$/.exec(line);
    if (fk) {
      foreignKeys.push(`-- AddForeignKey\nALTER TABLE "${table}" ADD ${fk[1]}(${fk[2]})${fk[3]};`);
      continue;
    }
    if (table && /^\s*\);/.test(line)) {
      // The last column or constraint left in the table loses its comma.
      for (let i = out.length - 1; i > tableStart; i--) {
        if (out[i].trim() === '' || out[i].trim().startsWith('--')) continue;
        out[i] = out[i].replace(/,\s*$/, '');
        break;
      }
      table = undefined;
    }
    if (inTrigger || /^\s*CREATE\s+TRIGGER\b/i.test(line)) {
      if (!inTrigger) out.push('-- TODO: an SQLite trigger; write it as a PL/pgSQL trigger function with the same name (see 20261130200000_integrity):');
      out.push(`-- ${line}`);
      inTrigger = !/\bEND;\s*$/i.test(line);
      continue;
    }
    if (/^\s*PRAGMA\b/i.test(line)) {
      out.push('-- TODO: SQLite rebuilds a table to alter it; on PostgreSQL use ALTER TABLE instead:', `-- ${line}`);
      continue;
    }
    let next = line
      .replace(/\bINTEGER NOT NULL PRIMARY KEY AUTOINCREMENT\b/i, 'SERIAL NOT NULL PRIMARY KEY')
      .replace(/\bDATETIME\b/gi, 'TIMESTAMPTZ(3)')
      .replace(/\bBLOB\b/gi, 'BYTEA')
      .replace(/\bREAL\b/gi, 'DOUBLE PRECISION')
      .replace(/\bINTEGER UNSIGNED\b/gi, 'INTEGER');
    const column = /^(\s*(?:ALTER TABLE "\w+" ADD COLUMN\s+)?)("\w+")(\s+)INTEGER\b/.exec(next);
    if (column && WIDE_COLUMN.test(column[2])) next = next.replace(/\bINTEGER\b/, 'BIGINT');
    out.push(next);
  }
  if (foreignKeys.length > 0) out.push('', foreignKeys.join('\n\n'));
  return out.join('\n');
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const name = process.argv[2];
  if (!name) {
    process.stderr.write('usage: node scripts/pg-migration-draft.js <migration folder name>\n');
    process.exit(2);
  }
  const from = join(root, 'prisma', 'migrations', name, 'migration.sql');
  const to = join(root, 'prisma', 'postgresql', 'migrations', name, 'migration.sql');
  if (!existsSync(from)) {
    process.stderr.write(`no ${from}\n`);
    process.exit(2);
  }
  if (existsSync(to)) {
    process.stderr.write(`${to} exists already; not replaced\n`);
    process.exit(2);
  }
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, draftPgMigration(name, readFileSync(from, 'utf8')));
  process.stdout.write(`wrote ${to}: review it (TODO lines first), then run npx vitest run tests/adapters/postgres\n`);
}
