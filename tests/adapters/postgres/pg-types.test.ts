import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jxcPgTypes, parseInt8, parseNumeric, UnsafeIntegerError } from '../../../src/adapters/postgres/pg-types.ts';
import { MAX_CENTS, MAX_QUANTITY } from '../../../src/core/limits.ts';
import { describePg, PG_TEST_URL } from '../../helpers/pg.ts';

describe('reading PostgreSQL integers as numbers', () => {
  it('is exact up to 2^53 - 1 and refuses past it', () => {
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInt8('-9007199254740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => parseInt8('9007199254740992')).toThrow(UnsafeIntegerError);
    expect(parseNumeric('123456789012')).toBe(123456789012);
    expect(() => parseNumeric('90071992547409930')).toThrow(UnsafeIntegerError);
    expect(parseNumeric('2.5')).toBe(2.5);
  });
});

let client: pg.Client;

describePg('a pg client with jxcPgTypes', () => {
  beforeAll(async () => {
    client = new pg.Client({ connectionString: PG_TEST_URL, types: jxcPgTypes });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('reads bigint columns, counts and sums of the ledger’s largest values (past int4) as numbers', async () => {
    const { rows } = await client.query(
      `SELECT $1::bigint AS cents, $2::bigint AS milli, count(*) AS n, sum(v) AS total, avg(v) AS mean, now() AS at
         FROM (VALUES ($1::bigint), ($1::bigint)) AS t(v)`,
      [MAX_CENTS, MAX_QUANTITY * 1000],
    );
    expect(rows[0]).toMatchObject({ cents: MAX_CENTS, milli: MAX_QUANTITY * 1000, n: 2, total: 2 * MAX_CENTS, mean: MAX_CENTS });
    expect(rows[0].at).toBeInstanceOf(Date);
  });

  it('fails a read past 2^53 - 1 instead of rounding it', async () => {
    await expect(client.query(`SELECT 9007199254740993::bigint AS v`)).rejects.toThrow(UnsafeIntegerError);
    // The connection is still usable afterwards.
    expect((await client.query('SELECT 1::bigint AS one')).rows[0].one).toBe(1);
  });
});
