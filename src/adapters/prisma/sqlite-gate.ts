import { AsyncSlot } from '../../async-slot.ts';
import type Database from 'better-sqlite3';

const noop = (): void => {};

/** Something to wait on between tries for SQLite's write lock. */
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Hold {
  /** Savepoints opened inside the hold so far, for unique names. */
  depth: number;
}

/**
 * One SQLite connection shared by every store of a process, used by one caller at a time.
 *
 * The store ports are asynchronous, so a write transaction may be open across awaits while other
 * messages of the process go on. On one connection anything run meanwhile would join that
 * transaction: read its uncommitted rows, or be rolled back with it. So every statement of every
 * store on the connection goes through `run`, which queues callers in order and lets the holder's own
 * calls (nested transactions, reads inside a write) through at once. Across processes SQLite's write
 * lock does the same, taken up front with BEGIN IMMEDIATE.
 */
export class SqliteGate {
  private tail: Promise<void> = Promise.resolve();
  private readonly holds = new AsyncSlot<Hold>();
  private readonly begin;
  private readonly beginDeferred;
  private readonly commit;
  private readonly rollback;

  constructor(readonly db: Database.Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.beginDeferred = db.prepare('BEGIN DEFERRED');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** True when the caller runs inside this connection's transaction (its own hold). */
  get inside(): boolean {
    return this.holds.get() !== undefined;
  }

  /**
   * Runs `work` with the connection to itself: after every earlier caller, and with nobody else let
   * in until it settles. Inside a hold it runs at once (it is the holder's own call).
   */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.holds.get()) return Promise.resolve().then(work);
    const hold: Hold = { depth: 0 };
    const result = this.tail.then(() => this.holds.run(hold, work));
    this.tail = result.then(noop, noop);
    return result;
  }

  /**
   * A write transaction around `work`. Outside a hold: BEGIN IMMEDIATE, which takes SQLite's write
   * lock up front so two processes never interleave read-then-write; while another process holds it
   * (an import committing chunk after chunk), this tries again every millisecond for at most the
   * connection's busy timeout, instead of SQLite's own busy handler that sleeps ever longer between
   * tries (up to 100 ms) and can miss the short gaps between chunks. Inside a hold: a savepoint, so a
   * refusal rolls back its own writes only.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const hold = this.holds.get();
    if (hold) return this.savepoint(hold, work);
    return this.run(async () => {
      await this.lockForWrite();
      return this.settle(work);
    });
  }

  /**
   * A read-only snapshot around `work` (DEFERRED: in WAL mode a transaction that only reads never
   * takes the write lock). Writing inside is refused (query_only), as PostgreSQL refuses it in its
   * READ ONLY transaction: otherwise a write slipped into a read would be committed with it, without
   * the write lock a write transaction takes up front.
   */
  read<T>(work: () => Promise<T>): Promise<T> {
    if (this.holds.get()) return work();
    return this.run(async () => {
      this.beginDeferred.run();
      // exec, not a statement prepared once: SQLite applies this PRAGMA when it compiles it, so a
      // prepared one run again may not set it again.
      this.db.exec('PRAGMA query_only = ON');
      try {
        return await this.settle(work);
      } finally {
        this.db.exec('PRAGMA query_only = OFF');
      }
    });
  }

  private async lockForWrite(): Promise<void> {
    // Read and set with db.pragma: a prepared PRAGMA statement applies its value when prepared.
    const busyMs = Number(this.db.pragma('busy_timeout', { simple: true }) ?? 0);
    this.db.pragma('busy_timeout = 0');
    try {
      const started = Date.now();
      for (;;) {
        try {
          this.begin.run();
          return;
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() - started >= busyMs) throw error;
          await pause(1);
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${busyMs}`);
    }
  }

  /** Runs `work` in the open transaction and commits, or rolls back and rethrows. */
  private async settle<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
    this.commit.run();
    return result;
  }

  private async savepoint<T>(hold: Hold, work: () => Promise<T>): Promise<T> {
    hold.depth += 1;
    const name = `jxc_${hold.depth}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.db.inTransaction) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  }
}

const gates = new WeakMap<Database.Database, SqliteGate>();

/** The gate of a connection, shared by every store made on it. */
export function gateOf(db: Database.Database): SqliteGate {
  let gate = gates.get(db);
  if (!gate) {
    gate = new SqliteGate(db);
    gates.set(db, gate);
  }
  return gate;
}

/** A port as SQLite runs it underneath: the same methods, returning their results at once. */
export type Sync<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K] };

/** The port over its synchronous implementation: each call settles at once (a throw becomes a rejection). */
export function promised<T extends object>(sync: Sync<T>): T {
  const port: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(sync)) {
    port[name] = typeof method === 'function' ? async (...args: unknown[]) => (method as (...a: unknown[]) => unknown)(...args) : method;
  }
  return port as T;
}
