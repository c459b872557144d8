import type { LeaseHolder, LoginLeases } from '../../core/login-lease.ts';
import type { SqliteDatabase } from './database.ts';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import { lazyStatements } from './statements.ts';

/**
 * Login leases in the LoginLease table of the SQLite file every process opens. Taking a lease is
 * one UPSERT whose update only happens when the row has expired or is already the caller's, so two
 * processes racing for it cannot both win: SQLite runs writes one at a time, and the loser's update
 * finds the winner's unexpired row and changes nothing. Instants are epoch milliseconds, as elsewhere.
 */
export class SqliteLoginLeases implements LoginLeases {
  /** Prepared on first use: only a process starting WeChat takes a lease. */
  private readonly s;
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;

  constructor(db: SqliteDatabase) {
    this.gate = gateOf(db);
    this.s = lazyStatements({
      take: () =>
        db.prepare(
          `INSERT INTO LoginLease (name, holder, expiresAt) VALUES (@name, @holder, @expiresAt)
           ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expiresAt = excluded.expiresAt
           WHERE LoginLease.expiresAt <= @now OR LoginLease.holder = excluded.holder`,
        ),
      drop: () => db.prepare<unknown[]>('DELETE FROM LoginLease WHERE name = ? AND holder = ?'),
      find: () => db.prepare<unknown[]>('SELECT holder, expiresAt FROM LoginLease WHERE name = ? AND expiresAt > ?'),
    });
  }

  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const at = now.getTime();
    return this.gate.run(() => this.s.take.run({ name, holder, expiresAt: at + ttlMs, now: at }).changes === 1);
  }

  release(name: string, holder: string): Promise<void> {
    return this.gate.run(() => {
      this.s.drop.run(name, holder);
    });
  }

  holderOf(name: string, now: Date): Promise<LeaseHolder | undefined> {
    return this.gate.run(() => {
      const row = this.s.find.get(name, now.getTime()) as { holder: string; expiresAt: number } | undefined;
      return row && { holder: row.holder, expiresAt: new Date(row.expiresAt) };
    });
  }
}
