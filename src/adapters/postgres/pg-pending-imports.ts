import type pg from 'pg';
import type { PendingImport, PendingImports, SpreadsheetKind } from '../../bot/files/files.port.ts';

interface Row {
  shopId: number;
  platform: string;
  chatId: string;
  userId: string;
  kind: string;
  orderPlatform: string | null;
  filename: string;
  bytes: Buffer;
  expiresAt: Date;
}

const EXPIRE = 'DELETE FROM "PendingImport" WHERE "expiresAt" <= $1';
const PUT = `INSERT INTO "PendingImport" ("shopId", "platform", "chatId", "userId", "kind", "orderPlatform", "filename", "bytes", "createdAt", "expiresAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT ("platform", "chatId") DO UPDATE SET "shopId" = excluded."shopId", "userId" = excluded."userId", "kind" = excluded."kind",
    "orderPlatform" = excluded."orderPlatform", "filename" = excluded."filename", "bytes" = excluded."bytes",
    "createdAt" = excluded."createdAt", "expiresAt" = excluded."expiresAt"`;
// One DELETE … RETURNING: of two callers at once, the second waits for the first's delete and then
// finds no row, so only one ever gets the import.
const TAKE = `DELETE FROM "PendingImport" WHERE "platform" = $1 AND "chatId" = $2 AND "userId" = $3 AND "expiresAt" > $4
  RETURNING "shopId", "platform", "chatId", "userId", "kind", "orderPlatform", "filename", "bytes", "expiresAt"`;

/** Previewed imports on PostgreSQL (bytes in a bytea column): one row per chat, taken (deleted) atomically. */
export class PgPendingImports implements PendingImports {
  constructor(private readonly pool: pg.Pool) {}

  async put(pending: PendingImport, now: Date): Promise<void> {
    await this.pool.query(EXPIRE, [now]);
    await this.pool.query(PUT, [
      pending.shopId,
      pending.platform,
      pending.chatId,
      pending.userId,
      pending.kind,
      pending.orderPlatform ?? null,
      pending.filename,
      // pg sends a Buffer as bytea; a plain Uint8Array would be sent as text.
      Buffer.from(pending.bytes.buffer, pending.bytes.byteOffset, pending.bytes.byteLength),
      now,
      pending.expiresAt,
    ]);
  }

  async take(platform: string, chatId: string, userId: string, now: Date): Promise<PendingImport | undefined> {
    await this.pool.query(EXPIRE, [now]);
    const row = (await this.pool.query<Row>(TAKE, [platform, chatId, userId, now])).rows[0];
    if (!row) return undefined;
    return { ...row, kind: row.kind as SpreadsheetKind, orderPlatform: row.orderPlatform ?? undefined, bytes: new Uint8Array(row.bytes) };
  }
}
