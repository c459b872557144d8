import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteHandledMessages } from '../../../src/adapters/prisma/sqlite-handled.ts';
import { SqlitePendingImports } from '../../../src/adapters/prisma/sqlite-pending-imports.ts';
import { PgHandledMessages } from '../../../src/adapters/postgres/pg-handled.ts';
import { PgPendingImports } from '../../../src/adapters/postgres/pg-pending-imports.ts';
import { jxcPgTypes } from '../../../src/adapters/postgres/pg-types.ts';
import type { PendingImport, PendingImports } from '../../../src/bot/files/files.port.ts';
import { describePg } from '../../helpers/pg.ts';
import { openTwinDb, OTHER_SHOP, SHOP, type TwinDb } from './twin-db.ts';

let t: TwinDb;

const NOW = new Date('2026-11-10T00:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

/** Every byte value, seen through a view that starts inside a larger buffer (as a download hands it over). */
function fileBytes(): Uint8Array {
  const backing = new Uint8Array(300);
  for (let i = 0; i < 256; i++) backing[i + 7] = i;
  return backing.subarray(7, 7 + 256);
}

function pending(over: Partial<PendingImport> = {}): PendingImport {
  return { shopId: SHOP, platform: 'telegram', chatId: 'c1', userId: 'u1', kind: 'stock', filename: '期初库存.xlsx', bytes: fileBytes(), expiresAt: later(30 * MIN), ...over };
}

/** 「确认导入」 and 「取消」 as a chat uses them, edges included, recorded step by step. */
async function importScenario(store: PendingImports, rowsOf: (sql: string) => Promise<unknown[]>): Promise<unknown[]> {
  const out: unknown[] = [];
  await store.put(pending(), NOW);
  out.push(await store.take('telegram', 'c1', 'u2', later(MIN)), await store.take('telegram', 'c2', 'u1', later(MIN)), await store.take('wechat', 'c1', 'u1', later(MIN)));
  out.push(await store.take('telegram', 'c1', 'u1', later(MIN)), await store.take('telegram', 'c1', 'u1', later(MIN)));
  // A new file replaces the chat's waiting one, whoever sent it.
  await store.put(pending({ kind: 'orders', orderPlatform: '快手', filename: 'orders.csv' }), NOW);
  await store.put(pending({ userId: 'u2', kind: 'entries', filename: '流水.xlsx', bytes: new Uint8Array(0), shopId: OTHER_SHOP }), later(MIN));
  out.push(await store.take('telegram', 'c1', 'u1', later(2 * MIN)), await store.take('telegram', 'c1', 'u2', later(2 * MIN)));
  // Expired at its expiry instant, and forgotten when anything is put or taken afterwards.
  await store.put(pending({ expiresAt: later(10 * MIN) }), NOW);
  out.push(await store.take('telegram', 'c1', 'u1', later(10 * MIN)));
  await store.put(pending({ chatId: 'c3', expiresAt: later(10 * MIN) }), NOW);
  await store.put(pending({ chatId: 'c4', expiresAt: later(20 * MIN), orderPlatform: '淘宝', kind: 'orders' }), NOW);
  out.push(await rowsOf('SELECT "chatId", "kind", "orderPlatform", "expiresAt" FROM "PendingImport" ORDER BY "chatId"'));
  await store.put(pending({ chatId: 'c5' }), later(10 * MIN));
  out.push(await rowsOf('SELECT "chatId", "userId", "filename", "createdAt", "expiresAt" FROM "PendingImport" ORDER BY "chatId"'));
  out.push(await store.take('telegram', 'c4', 'u1', later(19 * MIN)));
  return out;
}

const normalise = (rows: unknown[]): unknown[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v])));

/** The SQLite store answers at once, the PostgreSQL one with promises. */
interface HandledLike {
  wasHandled(platform: string, messageId: string): boolean | Promise<boolean>;
  markHandled(platform: string, messageId: string, at: Date): void | Promise<void>;
}

/** Marks and looks up handled messages, through the 500th mark that prunes those a week old. */
async function handledScenario(store: HandledLike, rowsOf: (sql: string) => Promise<unknown[]>): Promise<unknown[]> {
  const out: unknown[] = [];
  out.push(await store.wasHandled('wechat', 'old'));
  await store.markHandled('wechat', 'old', NOW); // mark 1
  await store.markHandled('wechat', 'edge', later(DAY)); // mark 2
  await store.markHandled('wechat', 'old', later(2 * DAY)); // mark 3: already there, kept as first marked
  out.push(await store.wasHandled('wechat', 'old'), await store.wasHandled('telegram', 'old'), await store.wasHandled('wechat', 'nope'));
  const week = later(7 * DAY + DAY);
  for (let i = 4; i < 500; i++) await store.markHandled('telegram', `n${i}`, week);
  out.push(await store.wasHandled('wechat', 'old'), await store.wasHandled('wechat', 'edge'));
  await store.markHandled('telegram', 'n500', week); // mark 500: forgets what is older than a week
  out.push(await store.wasHandled('wechat', 'old'), await store.wasHandled('wechat', 'edge'), await store.wasHandled('telegram', 'n4'), await store.wasHandled('telegram', 'n500'));
  out.push(await rowsOf(`SELECT "platform", "messageId", "handledAt" FROM "HandledMessage" WHERE "platform" = 'wechat' ORDER BY "messageId"`));
  out.push(await rowsOf(`SELECT COUNT(*) AS "n" FROM "HandledMessage"`));
  return out;
}

describePg('PostgreSQL previewed imports and handled messages, against SQLite', () => {
  beforeAll(async () => {
    t = await openTwinDb(import.meta.url);
    await t.insert('Shop', [
      { id: SHOP, name: '甲店', timeZone: 'Asia/Shanghai', createdAt: NOW },
      { id: OTHER_SHOP, name: '乙店', timeZone: 'Asia/Shanghai', createdAt: NOW },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps and hands back previewed imports exactly as SQLite does, every byte of the file', async () => {
    const pgOut = await importScenario(new PgPendingImports(t.pool), async (sql) => normalise((await t.pool.query(sql)).rows));
    const sqliteOut = await importScenario(new SqlitePendingImports(t.sqlite), async (sql) => t.sqlite.prepare(sql).all());
    expect(pgOut.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    const taken = pgOut[3] as PendingImport;
    expect(taken).toMatchObject({ shopId: SHOP, platform: 'telegram', chatId: 'c1', userId: 'u1', kind: 'stock', filename: '期初库存.xlsx', expiresAt: later(30 * MIN) });
    expect(taken.bytes).toBeInstanceOf(Uint8Array);
    expect([...taken.bytes]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(pgOut[4]).toBeUndefined();
    expect(pgOut[5]).toBeUndefined();
    expect(pgOut[6]).toMatchObject({ userId: 'u2', kind: 'entries', shopId: OTHER_SHOP, bytes: new Uint8Array(0), orderPlatform: undefined });
    expect(pgOut[7]).toBeUndefined();
    expect(pgOut).toEqual(sqliteOut);
  });

  it('gives a previewed import to exactly one of many callers, in two processes, at once', async () => {
    const other = new pg.Pool({ connectionString: t.pgDb.url, types: jxcPgTypes, max: 6 });
    try {
      const stores = [new PgPendingImports(t.pool), new PgPendingImports(other)];
      for (let round = 0; round < 5; round++) {
        await stores[0]!.put(pending({ chatId: `race-${round}`, filename: `${round}.xlsx` }), NOW);
        const got = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.take('telegram', `race-${round}`, 'u1', later(MIN))));
        const winners = got.filter((g) => g !== undefined);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.filename).toBe(`${round}.xlsx`);
      }
    } finally {
      await other.end();
    }
  });

  it('remembers handled messages and forgets week-old ones every 500 marks, as SQLite does', async () => {
    const pgOut = await handledScenario(new PgHandledMessages(t.pool), async (sql) => normalise((await t.pool.query(sql)).rows));
    const sqliteOut = await handledScenario(new SqliteHandledMessages(t.sqlite), async (sql) => t.sqlite.prepare(sql).all());
    expect(pgOut.slice(0, 6)).toEqual([false, true, false, false, true, true]);
    expect(pgOut.slice(6, 10)).toEqual([false, true, true, true]);
    expect(pgOut.at(-2)).toEqual([{ platform: 'wechat', messageId: 'edge', handledAt: later(DAY).getTime() }]);
    expect(pgOut).toEqual(sqliteOut);
  });
});
