import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/prisma/database.ts';
import { SqliteLoginLeases } from '../../../src/adapters/prisma/sqlite-login-lease.ts';
import { migratedDatabaseFile } from '../../helpers/db.ts';

const NAME = 'wechat:jxc-bot';
const TTL = 30_000;
const t0 = new Date('2026-12-02T01:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Two processes on one database file: two connections, each with its own leases. */
let dir: string;
let dbs: SqliteDatabase[];
let one: SqliteLoginLeases;
let two: SqliteLoginLeases;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-lease-'));
  const path = migratedDatabaseFile(dir);
  dbs = [openDatabase(path), openDatabase(path)];
  one = new SqliteLoginLeases(dbs[0] as SqliteDatabase);
  two = new SqliteLoginLeases(dbs[1] as SqliteDatabase);
});
afterEach(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteLoginLeases', () => {
  it('lets only one holder have the lease while it is renewed', async () => {
    expect(await one.acquire(NAME, 'a', t0, TTL)).toBe(true);
    expect(await two.acquire(NAME, 'b', at(1), TTL)).toBe(false);
    expect(await two.holderOf(NAME, at(1))).toEqual({ holder: 'a', expiresAt: at(TTL) });
    // The holder renews (from either connection: it is the same row).
    expect(await one.acquire(NAME, 'a', at(20_000), TTL)).toBe(true);
    expect(await two.acquire(NAME, 'b', at(40_000), TTL)).toBe(false);
    expect(await one.holderOf(NAME, at(40_000))).toEqual({ holder: 'a', expiresAt: at(50_000) });
    // A refused take changed nothing.
    expect(dbs[1]?.prepare('SELECT holder, expiresAt FROM LoginLease').all()).toEqual([{ holder: 'a', expiresAt: at(50_000).getTime() }]);
  });

  it('hands the lease over once it has expired, and the old holder cannot renew it back', async () => {
    expect(await one.acquire(NAME, 'a', t0, TTL)).toBe(true);
    expect(await two.acquire(NAME, 'b', at(TTL - 1), TTL)).toBe(false);
    expect(await two.holderOf(NAME, at(TTL))).toBeUndefined();
    expect(await two.acquire(NAME, 'b', at(TTL), TTL)).toBe(true);
    expect(await one.holderOf(NAME, at(TTL))).toEqual({ holder: 'b', expiresAt: at(2 * TTL) });
    expect(await one.acquire(NAME, 'a', at(TTL + 1), TTL)).toBe(false);
  });

  it('hands the lease over at once when released, and a release by someone else is ignored', async () => {
    expect(await one.acquire(NAME, 'a', t0, TTL)).toBe(true);
    await two.release(NAME, 'b');
    expect(await two.acquire(NAME, 'b', at(1), TTL)).toBe(false);
    await one.release(NAME, 'a');
    expect(await one.holderOf(NAME, at(2))).toBeUndefined();
    expect(await two.acquire(NAME, 'b', at(2), TTL)).toBe(true);
    expect(await one.holderOf(NAME, at(3))).toEqual({ holder: 'b', expiresAt: at(2 + TTL) });
  });

  it('keeps leases of different names apart', async () => {
    expect(await one.acquire('wechat:shop-a', 'a', t0, TTL)).toBe(true);
    expect(await two.acquire('wechat:shop-b', 'b', t0, TTL)).toBe(true);
    expect(await one.holderOf('wechat:shop-b', t0)).toEqual({ holder: 'b', expiresAt: at(TTL) });
  });
});
