import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteLedger, SqliteWebAuth } from '../../../src/adapters/prisma/sqlite-web.ts';
import { jxcPgTypes } from '../../../src/adapters/postgres/pg-types.ts';
import { PgLedger, PgWebAuth } from '../../../src/adapters/postgres/pg-web.ts';
import type { WebAuthStore } from '../../../src/bot/web/web.port.ts';
import type { LedgerFilter } from '../../../src/core/ledger-queries.ts';
import { describePg } from '../../helpers/pg.ts';
import { openTwinDb, OTHER_SHOP, seedLedger, SHOP, type TwinDb } from './twin-db.ts';

let t: TwinDb;

/** The SQLite store answers at once, the PostgreSQL one with promises: a scenario awaits either. */
type AuthLike = { [K in keyof WebAuthStore]: (...args: Parameters<WebAuthStore[K]>) => ReturnType<WebAuthStore[K]> | Awaited<ReturnType<WebAuthStore[K]>> };

const NOW = new Date('2026-11-10T00:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

/**
 * Everything the web adapter does with sign-in links and sessions, edges included (a link spent at
 * the instant it expires, pruning a day after the end), recorded step by step to compare the stores.
 */
async function authScenario(store: AuthLike, rowsOf: (sql: string) => Promise<unknown[]>): Promise<unknown[]> {
  const out: unknown[] = [];
  const generated: string[] = [];
  out.push(await store.storedSecret(() => (generated.push('key-A'), 'key-A'), NOW));
  out.push(await store.storedSecret(() => (generated.push('key-B'), 'key-B'), later(MIN)));
  out.push(generated);
  const link = (nonceHash: string, expiresAt: Date, view: 'owner' | 'staff' = 'owner') => ({ shopId: SHOP, actorId: 'telegram:1', actorName: view === 'owner' ? 'Alice' : null, view, nonceHash, expiresAt });
  const id1 = await store.insertToken(link('h1', later(10 * MIN)), NOW);
  out.push(id1, await store.token(id1), await store.token(999));
  out.push(await store.spendToken(id1, later(MIN)), await store.spendToken(id1, later(2 * MIN)), await store.token(id1));
  const id2 = await store.insertToken(link('h2', later(10 * MIN), 'staff'), NOW);
  out.push(await store.spendToken(id2, later(10 * MIN)), await store.spendToken(id2, later(10 * MIN - 1)), await store.token(id2));
  const id3 = await store.insertToken(link('h3', later(10 * MIN)), later(5 * MIN));
  // A day after the links' end to the millisecond they stay; a millisecond more and they go.
  const id4 = await store.insertToken(link('h4', later(DAY + 20 * MIN)), later(DAY + 10 * MIN));
  out.push(id3, id4, await store.token(id1), await store.token(id3));
  const id5 = await store.insertToken(link('h5', later(DAY + 30 * MIN)), later(DAY + 10 * MIN + 1));
  out.push(id5, await store.token(id1), await store.token(id3), await store.token(id4));
  out.push(await rowsOf('SELECT "id", "nonceHash", "usedAt" FROM "WebLoginToken" ORDER BY "id"'));

  const session = (idHash: string, expiresAt: Date, view: 'owner' | 'staff' = 'owner') => ({ idHash, shopId: SHOP, actorId: 'telegram:1', actorName: 'Alice', view, csrf: `csrf-${idHash}`, expiresAt });
  await store.insertSession(session('s1', later(60 * MIN)), NOW);
  await store.insertSession(session('s2', later(60 * MIN), 'staff'), NOW);
  out.push(await store.session('s1', later(59 * MIN)), await store.session('s1', later(60 * MIN)), await store.session('s2', NOW), await store.session('nope', NOW));
  let duplicate = 'accepted';
  try {
    await store.insertSession(session('s2', later(90 * MIN)), NOW);
  } catch {
    duplicate = 'refused';
  }
  out.push(duplicate);
  await store.endSession('s2', later(MIN));
  await store.endSession('s2', later(2 * MIN));
  await store.endSession('nope', later(2 * MIN));
  out.push(await store.session('s2', later(MIN)), await store.session('s2', later(2 * MIN)));
  await store.insertSession(session('s3', later(2 * DAY)), later(DAY + 60 * MIN));
  out.push(await rowsOf('SELECT "idHash", "endedAt" FROM "WebSession" ORDER BY "idHash"'));
  await store.insertSession(session('s4', later(2 * DAY)), later(DAY + 60 * MIN + 1));
  out.push(await rowsOf('SELECT "idHash", "endedAt" FROM "WebSession" ORDER BY "idHash"'));
  return out;
}

/** Table rows with their instants as numbers, as SQLite stores them, to compare the two databases. */
const normalise = (rows: unknown[]): unknown[] =>
  rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v])));

describePg('PostgreSQL web sign-in and ledger pages, against SQLite on the same rows', () => {
  beforeAll(async () => {
    t = await openTwinDb(import.meta.url);
    await seedLedger(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the key, links and sessions exactly as SQLite does, step by step', async () => {
    const pgOut = await authScenario(new PgWebAuth(t.pool), async (sql) => normalise((await t.pool.query(sql)).rows));
    const sqliteOut = await authScenario(new SqliteWebAuth(t.sqlite), async (sql) => t.sqlite.prepare(sql).all());
    // What the scenario must show, whoever stores it.
    expect(pgOut.slice(0, 3)).toEqual(['key-A', 'key-A', ['key-A']]);
    expect(pgOut.slice(6, 8)).toEqual([true, false]);
    expect(pgOut.slice(9, 11)).toEqual([false, true]);
    expect(pgOut).toEqual(sqliteOut);
  });

  it('lets exactly one of many callers, in two processes, spend a link', async () => {
    const other = new pg.Pool({ connectionString: t.pgDb.url, types: jxcPgTypes, max: 6 });
    try {
      const stores = [new PgWebAuth(t.pool), new PgWebAuth(other)];
      for (let round = 0; round < 5; round++) {
        const id = await stores[0]!.insertToken({ shopId: SHOP, actorId: 'telegram:1', actorName: null, view: 'owner', nonceHash: `race-${round}`, expiresAt: later(10 * MIN) }, NOW);
        const spent = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.spendToken(id, later(MIN + i))));
        expect(spent.filter(Boolean)).toHaveLength(1);
        // The winner's time is the one kept.
        expect((await stores[1]!.token(id))?.usedAt?.getTime()).toBe(later(MIN + spent.indexOf(true)).getTime());
      }
    } finally {
      await other.end();
    }
  });

  it('gives every process the same signing key when they create it at once', async () => {
    const other = new pg.Pool({ connectionString: t.pgDb.url, types: jxcPgTypes, max: 6 });
    try {
      for (let round = 0; round < 5; round++) {
        await t.pool.query('DELETE FROM "WebSecret"');
        const keys = await Promise.all(Array.from({ length: 8 }, (_, i) => new PgWebAuth(i % 2 ? other : t.pool).storedSecret(() => `key-${round}-${i}`, NOW)));
        expect(new Set(keys).size).toBe(1);
        const { rows } = await t.pool.query<{ secret: string }>('SELECT "secret" FROM "WebSecret"');
        expect(rows).toEqual([{ secret: keys[0] }]);
      }
    } finally {
      await other.end();
    }
  });

  it('pages the ledger as SQLite does under every filter, text matched as SQLite LIKE matches it', async () => {
    const sqlite = new SqliteLedger(t.sqlite);
    const pgLedger = new PgLedger(t.pool);
    const range = { from: new Date('2026-11-03T04:00:00Z'), to: new Date('2026-11-09T23:59:59.999Z') };
    const filters: LedgerFilter[] = [
      {},
      { productId: 1 },
      { productId: 5, kind: 'sale' },
      { kind: 'reversal' },
      { kind: 'customer_return' },
      { actorId: 'telegram:1' },
      { actorId: 'nobody' },
      { from: range.from },
      { to: range.to },
      range,
      { ...range, kind: 'sale', actorId: 'console:boss' },
      ...['tea', 'TEA', '100%', '%', '_', 'e_1', 'äpfel', 'Äpfel', 'ÄPFEL', '张三', 't恤 3件', 'shop_a', 'TMALL', '  ', ' 淘宝 ', '\\', '供货商', '甲店群', '批次'].map((text) => ({ text })),
      { text: '淘', productId: 5, from: range.from },
    ];
    const pages = [
      { offset: 0, limit: 10 },
      { offset: 3, limit: 4 },
      { offset: 20, limit: 10 },
    ];
    for (const shop of [SHOP, OTHER_SHOP]) {
      for (const filter of filters) {
        for (const page of pages) expect({ filter, page, ...(await pgLedger.ledgerPage(shop, filter, page)) }).toEqual({ filter, page, ...(await sqlite.ledgerPage(shop, filter, page)) });
      }
    }
  });

  it('finds what SQLite finds: ASCII letters in any case, % and _ literally, other letters as written', async () => {
    const pgLedger = new PgLedger(t.pool);
    const seqs = async (text: string) => (await pgLedger.ledgerPage(SHOP, { text }, { offset: 0, limit: 100 })).rows.map((r) => r.seq);
    expect(await seqs('tea')).toEqual([10, 4]);
    expect(await seqs('%')).toEqual([10, 4]);
    expect(await seqs('_')).toEqual([21, 18, 10, 4]);
    expect(await seqs('Äpfel')).toEqual([24, 18]);
    // SQLite's LIKE folds A-Z only: ä is not Ä there, and so not here either.
    expect(await seqs('äpfel')).toEqual([]);
    const page = await pgLedger.ledgerPage(SHOP, {}, { offset: 17, limit: 4 });
    expect(page.total).toBe(25);
    expect(page.rows.map((r) => [r.seq, r.reversesSeq, r.reversedBySeq, r.messageText, r.chatTitle, r.platform, r.location])).toEqual([
      [8, 6, null, null, null, null, '默认仓'],
      [7, null, null, null, null, null, '默认仓'],
      [6, null, 8, null, null, null, '默认仓'],
      [5, null, null, '卖 T恤 3件 5900 淘宝 张三', '甲店群', 'telegram', '默认仓'],
    ]);
  });

  it('lists the people who recorded entries as SQLite does, latest first, the name SQLite’s max() picks', async () => {
    const sqlite = new SqliteLedger(t.sqlite);
    const pgLedger = new PgLedger(t.pool);
    expect(await pgLedger.actors(SHOP)).toEqual([
      { actorId: 'console:boss', actorName: '老板' },
      { actorId: 'telegram:1', actorName: 'alice' },
      { actorId: 'wechat:bob', actorName: 'Bob' },
    ]);
    for (const shop of [SHOP, OTHER_SHOP, 99]) expect(await pgLedger.actors(shop)).toEqual(await sqlite.actors(shop));
  });
});
