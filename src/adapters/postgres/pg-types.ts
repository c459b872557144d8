import pg from 'pg';

/**
 * How plain `pg` reads PostgreSQL's integers for jxc-bot: the core counts money (分) and quantities
 * (thousandths) in JavaScript numbers, and the PostgreSQL schema keeps them in `bigint` columns
 * because they pass int4's 2^31 - 1 (prisma/postgresql/schema.prisma says why). `pg` returns `int8`
 * and `numeric` as strings so as not to lose digits silently; here they become numbers, and a value
 * a number cannot hold exactly is an error, never a rounded balance.
 */

/** PostgreSQL type OIDs (pg_type.oid) read here. */
const INT8 = 20;
const NUMERIC = 1700;

/** Raised when the database returns an integer past Number.MAX_SAFE_INTEGER (2^53 - 1). */
export class UnsafeIntegerError extends RangeError {
  constructor(readonly text: string) {
    super(`integer ${text} read from PostgreSQL is beyond 2^53 - 1 and cannot be a JavaScript number exactly`);
    this.name = 'UnsafeIntegerError';
  }
}

/** `bigint` text (a column, count(*), a sequence) as a number; exact or an error. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UnsafeIntegerError(text);
  return n;
}

/**
 * `numeric` text as a number. sum() over a `bigint` column is `numeric` in PostgreSQL: whole sums
 * must be exact like int8; a fraction (avg()) is read as the nearest double, as SQLite gives it.
 */
export function parseNumeric(text: string): number {
  if (/^-?\d+$/.test(text)) return parseInt8(text);
  return Number(text);
}

/** The type parsers to pass as `types` to a pg Client or Pool; other types keep pg's own parsers. */
export const jxcPgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8) return parseInt8;
    if (format !== 'binary' && oid === NUMERIC) return parseNumeric;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
