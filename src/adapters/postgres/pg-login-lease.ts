import type pg from 'pg';
import type { LeaseHolder, LoginLeases } from '../../core/login-lease.ts';

/**
 * Login leases in the LoginLease table on PostgreSQL. Taking a lease is one INSERT … ON CONFLICT DO
 * UPDATE whose update only happens when the row has expired or is already the caller's: PostgreSQL
 * locks the conflicting row and checks the condition against its latest version, so of processes
 * racing for a free lease exactly one gets a row back. `now` is the caller's clock, as on SQLite.
 */
export class PgLoginLeases implements LoginLeases {
  constructor(private readonly pool: pg.Pool) {}

  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO "LoginLease" ("name", "holder", "expiresAt") VALUES ($1, $2, $3)
       ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
       WHERE "LoginLease"."expiresAt" <= $4 OR "LoginLease"."holder" = EXCLUDED."holder"
       RETURNING "holder"`,
      [name, holder, new Date(now.getTime() + ttlMs), now],
    );
    return result.rowCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.pool.query('DELETE FROM "LoginLease" WHERE "name" = $1 AND "holder" = $2', [name, holder]);
  }

  async holderOf(name: string, now: Date): Promise<LeaseHolder | undefined> {
    const { rows } = await this.pool.query<{ holder: string; expiresAt: Date }>(
      'SELECT "holder", "expiresAt" FROM "LoginLease" WHERE "name" = $1 AND "expiresAt" > $2',
      [name, now],
    );
    const row = rows[0];
    return row && { holder: row.holder, expiresAt: row.expiresAt };
  }
}
