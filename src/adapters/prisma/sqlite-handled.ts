import type { SqliteDatabase } from './database.ts';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import { lazyStatements } from './statements.ts';

/** Handled ids older than this are forgotten: no puppet redelivers a message a week later. */
const KEEP_MS = 7 * 24 * 3_600_000;
/** Old rows are pruned once every this many marks. */
const PRUNE_EVERY = 500;

/**
 * Chat messages handled without writing, in the HandledMessage table, so a redelivery after a
 * restart (or to a second process) is not answered twice.
 */
export class SqliteHandledMessages {
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  /** Prepared on first use: commands that never see a chat message (export, digest) never prepare them. */
  private readonly s;
  private marks = 0;

  constructor(db: SqliteDatabase) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    this.s = lazyStatements({
      find: () => db.prepare('SELECT 1 FROM HandledMessage WHERE platform = ? AND messageId = ?').pluck(),
      insert: p('INSERT INTO HandledMessage (platform, messageId, handledAt) VALUES (?, ?, ?) ON CONFLICT(platform, messageId) DO NOTHING'),
      prune: p('DELETE FROM HandledMessage WHERE handledAt < ?'),
    });
  }

  wasHandled(platform: string, messageId: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.s.find.get(platform, messageId) !== undefined;
    });
  }

  markHandled(platform: string, messageId: string, at: Date): Promise<void> {
    return this.gate.run(() => {
      this.s.insert.run(platform, messageId, at.getTime());
      this.marks += 1;
      if (this.marks % PRUNE_EVERY === 0) this.s.prune.run(at.getTime() - KEEP_MS);
    });
  }
}
