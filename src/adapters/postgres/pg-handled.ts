import type pg from 'pg';
import type { Stores } from '../../stores.ts';

/**
 * The port (declared in src/adapters/wechat/recent-ids.ts), named through the wiring's list of ports:
 * one adapter does not import another.
 */
type HandledMessages = Stores['handled'];

/** Handled ids older than this are forgotten: no puppet redelivers a message a week later. */
const KEEP_MS = 7 * 24 * 3_600_000;
/** Old rows are pruned once every this many marks (by this process). */
const PRUNE_EVERY = 500;

/**
 * Chat messages handled without writing, in the HandledMessage table, so a redelivery after a
 * restart (or to a second process) is not answered twice; as SqliteHandledMessages keeps them.
 */
export class PgHandledMessages implements HandledMessages {
  private marks = 0;

  constructor(private readonly pool: pg.Pool) {}

  async wasHandled(platform: string, messageId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM "HandledMessage" WHERE "platform" = $1 AND "messageId" = $2', [platform, messageId]);
    return (rowCount ?? 0) > 0;
  }

  async markHandled(platform: string, messageId: string, at: Date): Promise<void> {
    await this.pool.query('INSERT INTO "HandledMessage" ("platform", "messageId", "handledAt") VALUES ($1, $2, $3) ON CONFLICT ("platform", "messageId") DO NOTHING', [
      platform,
      messageId,
      at,
    ]);
    this.marks += 1;
    if (this.marks % PRUNE_EVERY === 0) await this.pool.query('DELETE FROM "HandledMessage" WHERE "handledAt" < $1', [new Date(at.getTime() - KEEP_MS)]);
  }
}
