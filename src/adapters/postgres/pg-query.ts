import type pg from 'pg';
import { jxcPgTypes } from './pg-types.ts';

/**
 * How the PostgreSQL stores talk to `pg`: every query reads int8 and numeric as exact numbers
 * (jxcPgTypes), whatever type parsers the pool it runs on was made with, and several statements
 * that must stand or fall together run in one transaction on one connection of the pool.
 */

/** A pool, or a client of it inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Runs one statement with the ledger's number parsing. */
export function query<R extends pg.QueryResultRow = pg.QueryResultRow>(on: Queryable, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  return on.query<R>({ text, values, types: jxcPgTypes });
}

/**
 * Runs `body` in a READ COMMITTED transaction on one connection: committed when it returns, rolled
 * back when it throws (the error is rethrown). A connection whose ROLLBACK fails is destroyed rather
 * than returned to the pool in an unknown state.
 */
export async function transaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Whether a statement failed on a unique index (SQLSTATE 23505 unique_violation). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
