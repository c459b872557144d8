import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { PgLoginLeases } from '../../../src/adapters/postgres/pg-login-lease.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../../helpers/pg.ts';

const NAME = 'wechat:jxc-bot';
const TTL = 30_000;
const t0 = new Date('2026-12-02T01:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

let db: PgTestDatabase;
/** Two processes on one database: two pools, each with its own leases. */
let pools: pg.Pool[] = [];
let one: PgLoginLeases;
let two: PgLoginLeases;

describePg('PgLoginLeases', () => {
  beforeAll(async () => {
    db = await createPgDatabase(import.meta.url, { migrated: true });
    pools = [new pg.Pool({ connectionString: db.url, max: 4 }), new pg.Pool({ connectionString: db.url, max: 4 })];
    one = new PgLoginLeases(pools[0] as pg.Pool);
    two = new PgLoginLeases(pools[1] as pg.Pool);
  });
  beforeEach(async () => {
    await pools[0]?.query('DELETE FROM "LoginLease"');
  });
  afterAll(async () => {
    for (const pool of pools) await pool.end();
    await db?.drop();
  });

  it('gives a free lease to exactly one of many holders asking at once', async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `host-${i % 2}:${1000 + i}:x`);
    const won = await Promise.all(holders.map((h, i) => (i % 2 === 0 ? one : two).acquire(NAME, h, t0, TTL)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = holders[won.indexOf(true)];
    expect(await two.holderOf(NAME, at(1))).toEqual({ holder: winner, expiresAt: at(TTL) });
    const { rows } = await pools[0]!.query('SELECT "holder" FROM "LoginLease"');
    expect(rows).toEqual([{ holder: winner }]);
  });

  it('renews for its holder only, and hands over once the lease has expired', async () => {
    expect(await one.acquire(NAME, 'a', t0, TTL)).toBe(true);
    expect(await two.acquire(NAME, 'b', at(1), TTL)).toBe(false);
    expect(await one.acquire(NAME, 'a', at(20_000), TTL)).toBe(true);
    expect(await two.acquire(NAME, 'b', at(40_000), TTL)).toBe(false);
    expect(await two.holderOf(NAME, at(40_000))).toEqual({ holder: 'a', expiresAt: at(50_000) });
    expect(await two.holderOf(NAME, at(50_000))).toBeUndefined();
    expect(await two.acquire(NAME, 'b', at(50_000), TTL)).toBe(true);
    expect(await one.acquire(NAME, 'a', at(50_001), TTL)).toBe(false);
    expect(await one.holderOf(NAME, at(50_001))).toEqual({ holder: 'b', expiresAt: at(80_000) });
  });

  it('hands over at once when released, and ignores a release by someone else', async () => {
    expect(await one.acquire(NAME, 'a', t0, TTL)).toBe(true);
    await two.release(NAME, 'b');
    expect(await two.acquire(NAME, 'b', at(1), TTL)).toBe(false);
    await one.release(NAME, 'a');
    expect(await two.holderOf(NAME, at(2))).toBeUndefined();
    expect(await two.acquire(NAME, 'b', at(2), TTL)).toBe(true);
  });
});
