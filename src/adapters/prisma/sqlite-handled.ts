import type { SqliteDatabase } from './database.ts';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';

/** Handled ids older than this are forgotten: no puppet redelivers a message a week later. */
const KEEP_MS = 7 * 24 * 3_600_000;
/** Old rows are pruned once every this many marks. */
const PRUNE_EVERY = 500;

/**
 * Chat messages handled without writing, in the HandledMessage table, so a redelivery after a
 * restart (or to a second process) is not answered twice.
 */
export class SqliteHandledMessages {
  /** Every statement goes through the connection\'s gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;
  private readonly find;
  private readonly insert;
  private readonly prune;
  private marks = 0;

  constructor(db: SqliteDatabase) {
    this.gate = gateOf(db);
    this.find = db.prepare('SELECT 1 FROM HandledMessage WHERE platform = ? AND messageId = ?').pluck();
    this.insert = db.prepare('INSERT INTO HandledMessage (platform, messageId, handledAt) VALUES (?, ?, ?) ON CONFLICT(platform, messageId) DO NOTHING');
    this.prune = db.prepare('DELETE FROM HandledMessage WHERE handledAt < ?');
  }

  wasHandled(platform: string, messageId: string): Promise<boolean> {
    return this.gate.run(() => {
      return this.find.get(platform, messageId) !== undefined;
    });
  }

  markHandled(platform: string, messageId: string, at: Date): Promise<void> {
    return this.gate.run(() => {
      this.insert.run(platform, messageId, at.getTime());
      this.marks += 1;
      if (this.marks % PRUNE_EVERY === 0) this.prune.run(at.getTime() - KEEP_MS);
    });
  }
}
