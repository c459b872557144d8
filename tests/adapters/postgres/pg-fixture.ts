import pg from 'pg';
import { expect } from 'vitest';
import { jxcPgTypes } from '../../../src/adapters/postgres/pg-types.ts';
import { createPgDatabase, type PgTestDatabase } from '../../helpers/pg.ts';

/**
 * A private PostgreSQL database built from the real migrations, with two pools standing for two
 * processes of the bot and an admin pool for the test's own SQL.
 */
export interface PgFixture {
  db: PgTestDatabase;
  admin: pg.Pool;
  /** Two separate pools: what two processes sharing the database would have. */
  a: pg.Pool;
  b: pg.Pool;
  /** Empties every table and restarts the ids. */
  reset(): Promise<void>;
  insert(table: string, row: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function openPgFixture(testFileUrl: string): Promise<PgFixture> {
  const db = await createPgDatabase(testFileUrl, { migrated: true });
  const pool = () => new pg.Pool({ connectionString: db.url, types: jxcPgTypes, max: 3 });
  const admin = pool();
  const a = pool();
  const b = pool();
  const { rows } = await admin.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'");
  const sequences = await admin.query<{ name: string }>("SELECT quote_ident(sequencename) AS name FROM pg_sequences WHERE schemaname = 'public'");
  // DELETE with foreign keys and triggers off, not TRUNCATE: TRUNCATE of every table costs most of a second per test.
  const reset = [
    'SET session_replication_role = replica',
    ...rows.map((r) => `DELETE FROM "${r.tablename}"`),
    ...sequences.rows.map((s) => `ALTER SEQUENCE ${s.name} RESTART`),
    'SET session_replication_role = DEFAULT',
  ].join(';\n');
  return {
    db,
    admin,
    a,
    b,
    reset: async () => {
      await admin.query(reset);
    },
    insert: async (table, row) => {
      await admin.query(insertSql(table, row, (i) => `$${i + 1}`), Object.values(row));
    },
    close: async () => {
      await Promise.all([admin.end(), a.end(), b.end()]);
      await db.drop();
    },
  };
}

/** INSERT of one row with quoted column names, which SQLite and PostgreSQL both read. */
export function insertSql(table: string, row: Record<string, unknown>, placeholder: (i: number) => string): string {
  const columns = Object.keys(row);
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i)).join(', ')})`;
}

/**
 * Runs `contenders` while a third connection holds `lockSql`'s row locks, and lets go only once both
 * contenders wait on a lock: neither can finish before the other has started, the interleaving a race
 * between two processes needs. Returns what each contender resolved to.
 */
export async function raceUnderLock<T>(admin: pg.Pool, lockSql: string, params: unknown[], contenders: () => Promise<T>[]): Promise<T[]> {
  const blocker = await admin.connect();
  try {
    await blocker.query('BEGIN');
    const locked = await blocker.query(lockSql, params);
    expect(locked.rowCount, 'the blocker locked something').toBeGreaterThan(0);
    const racing = contenders().map((p) => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
    const waiting = await waitForWaiters(admin, racing.length);
    await blocker.query('COMMIT');
    const results = await Promise.all(racing);
    expect(waiting, 'both contenders were waiting at once').toBe(racing.length);
    return results.map((r) => {
      if (!r.ok) throw r.error;
      return r.value;
    });
  } finally {
    // Rolls back what an early failure left open (after COMMIT it is a no-op), before the pool reuses the connection.
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
  }
}

/** Polls until `n` backends of this database wait on a lock (or 5 s pass); returns how many did. */
async function waitForWaiters(admin: pg.Pool, n: number): Promise<number> {
  let waiting = 0;
  for (let i = 0; i < 500; i++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid WHERE NOT l.granted AND s.datname = current_database()',
    );
    waiting = rows[0]?.n ?? 0;
    if (waiting >= n) return waiting;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return waiting;
}
