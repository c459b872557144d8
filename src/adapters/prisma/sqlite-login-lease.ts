import type { LeaseHolder, LoginLeases } from '../../core/login-lease.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * Login leases in the LoginLease table of the SQLite file every process opens. Taking a lease is
 * one UPSERT whose update only happens when the row has expired or is already the caller's, so two
 * processes racing for it cannot both win: SQLite runs writes one at a time, and the loser's update
 * finds the winner's unexpired row and changes nothing. Instants are epoch milliseconds, as elsewhere.
 */
export class SqliteLoginLeases implements LoginLeases {
  private readonly take;
  private readonly drop;
  private readonly find;

  constructor(db: SqliteDatabase) {
    this.take = db.prepare(
      `INSERT INTO LoginLease (name, holder, expiresAt) VALUES (@name, @holder, @expiresAt)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
       WHERE LoginLease.expiresAt <= @now OR LoginLease.holder = excluded.holder`,
    );
    this.drop = db.prepare('DELETE FROM LoginLease WHERE name = ? AND holder = ?');
    this.find = db.prepare<[string, number], { holder: string; expiresAt: number }>('SELECT holder, expiresAt FROM LoginLease WHERE name = ? AND expiresAt > ?');
  }

  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const at = now.getTime();
    return this.take.run({ name, holder, expiresAt: at + ttlMs, now: at }).changes === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    this.drop.run(name, holder);
  }

  async holderOf(name: string, now: Date): Promise<LeaseHolder | undefined> {
    const row = this.find.get(name, now.getTime());
    return row && { holder: row.holder, expiresAt: new Date(row.expiresAt) };
  }
}
