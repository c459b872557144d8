import type Database from 'better-sqlite3';
import { gateOf, type SqliteGate } from './sqlite-gate.ts';
import { lazyStatements } from './statements.ts';
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
  expiresAt: number;
}

/** Previewed imports on SQLite: one row per chat, taken (deleted) atomically by 「确认导入」 or 「取消」. */
export class SqlitePendingImports implements PendingImports {
  private readonly s;
  /** Every statement goes through the connection's gate (see sqlite-gate.ts). */
  private readonly gate: SqliteGate;

  constructor(db: Database.Database) {
    this.gate = gateOf(db);
    const p = (sql: string) => () => db.prepare(sql);
    this.s = lazyStatements({
      expire: p('DELETE FROM PendingImport WHERE expiresAt <= ?'),
      put: p(
        `INSERT INTO PendingImport (shopId, platform, chatId, userId, kind, orderPlatform, filename, bytes, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(platform, chatId) DO UPDATE SET shopId = excluded.shopId, userId = excluded.userId, kind = excluded.kind, orderPlatform = excluded.orderPlatform, filename = excluded.filename,
           bytes = excluded.bytes, createdAt = excluded.createdAt, expiresAt = excluded.expiresAt`,
      ),
      take: p(
        'DELETE FROM PendingImport WHERE platform = ? AND chatId = ? AND userId = ? AND expiresAt > ? RETURNING shopId, platform, chatId, userId, kind, orderPlatform, filename, bytes, expiresAt',
      ),
    });
  }

  put(pending: PendingImport, now: Date): Promise<void> {
    return this.gate.run(() => this.putNow(pending, now));
  }

  take(platform: string, chatId: string, userId: string, now: Date): Promise<PendingImport | undefined> {
    return this.gate.run(() => this.takeNow(platform, chatId, userId, now));
  }

  private putNow(pending: PendingImport, now: Date): void {
    this.s.expire.run(now.getTime());
    this.s.put.run(
      pending.shopId,
      pending.platform,
      pending.chatId,
      pending.userId,
      pending.kind,
      pending.orderPlatform ?? null,
      pending.filename,
      Buffer.from(pending.bytes.buffer, pending.bytes.byteOffset, pending.bytes.byteLength),
      now.getTime(),
      pending.expiresAt.getTime(),
    );
  }

  private takeNow(platform: string, chatId: string, userId: string, now: Date): PendingImport | undefined {
    this.s.expire.run(now.getTime());
    const row = this.s.take.get(platform, chatId, userId, now.getTime()) as Row | undefined;
    if (!row) return undefined;
    return { ...row, kind: row.kind as SpreadsheetKind, orderPlatform: row.orderPlatform ?? undefined, bytes: new Uint8Array(row.bytes), expiresAt: new Date(row.expiresAt) };
  }
}
