import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, sqlitePathFromUrl } from '../../../src/adapters/prisma/database.ts';
import { applyMigrations, listMigrations, MIGRATIONS_DIR } from '../../../src/adapters/prisma/migrate.ts';
import { PrismaReader } from '../../../src/adapters/prisma/prisma-reader.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
});
afterEach(() => t.cleanup());

describe('openDatabase', () => {
  it('runs SQLite in WAL with foreign keys and a busy timeout', async () => {
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // A store transaction waits for the lock its own way, and leaves the connection's timeout as it was.
    await t.store.createShop('店', new Date());
    await t.store.transaction((uow) => uow.nextSeq(1));
    await expect(t.store.transaction(async () => {
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(() => t.db.prepare('INSERT INTO Location (shopId, name) VALUES (999, ?)').run('x')).toThrow(/FOREIGN KEY/);
  });

  it('creates the file readable by its owner only', () => {
    expect(statSync(t.path).mode & 0o777).toBe(0o600);
  });

  it('records each migration in _prisma_migrations with Prisma’s checksum, once', () => {
    const rows = t.db.prepare('SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations').all() as {
      migration_name: string;
      checksum: string;
      finished_at: number;
    }[];
    const files = listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const f of files) {
      const sql = readFileSync(join(MIGRATIONS_DIR, f.name, 'migration.sql'));
      expect(rows.find((r) => r.migration_name === f.name)?.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    }
    expect(applyMigrations(t.db)).toEqual([]);
    t.db.close();
    const again = openDatabase(t.path);
    expect((again.prepare('SELECT COUNT(*) AS n FROM _prisma_migrations').get() as { n: number }).n).toBe(files.length);
    again.close();
  });

  it('applies a new migration folder on the next start, in order', () => {
    const dir = join(t.dir, 'migrations');
    for (const f of listMigrations()) {
      mkdirSync(join(dir, f.name), { recursive: true });
      writeFileSync(join(dir, f.name, 'migration.sql'), f.sql);
    }
    mkdirSync(join(dir, '29990101000000_extra'));
    writeFileSync(join(dir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE "Extra" ("id" INTEGER NOT NULL PRIMARY KEY);');
    expect(applyMigrations(t.db, dir)).toEqual(['29990101000000_extra']);
    expect(t.db.prepare("SELECT name FROM sqlite_master WHERE name = 'Extra'").get()).toBeTruthy();
  });

  it('reads DATABASE_URL forms', () => {
    expect(sqlitePathFromUrl('file:./data/jxc.db')).toBe(join(process.cwd(), 'data/jxc.db'));
    expect(sqlitePathFromUrl('file:/tmp/x.db')).toBe('/tmp/x.db');
    expect(sqlitePathFromUrl('/tmp/y.db')).toBe('/tmp/y.db');
  });
});

describe('Prisma Client reads what the ledger wrote', () => {
  it('returns the same stock and entries, with instants intact', async () => {
    const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
    const svc = createService(t.store, clock);
    const shop = (await t.store.createShop('店', clock.now())).id;
    await svc.record(shop, { kind: 'purchase', items: [{ product: 'T恤', quantity: 50, unitPrice: 2000 }], counterparty: '老王' }, source());
    clock.advance(60_000);
    await svc.record(shop, { kind: 'sale', items: [{ product: 'T恤', quantity: 3, unitPrice: 5900 }], channel: '淘宝' }, source());
    await svc.undo(shop, { entryNo: 2 }, source());
    const reader = new PrismaReader(t.path);
    try {
      expect(await reader.shops()).toEqual([{ id: shop, name: '店', timeZone: 'Asia/Shanghai' }]);
      expect(await reader.stockRows(shop)).toEqual([{ product: 'T恤', sku: null, unit: '件', location: '默认仓', qtyMilli: 50_000, value: 100_000 }]);
      const entries = await reader.entryRows(shop);
      expect(entries.map((e) => [e.seq, e.kind, e.qtyMilli, e.amount, e.cost, e.channel, e.counterparty, e.reverses])).toEqual([
        [1, 'purchase', 50_000, 100_000, 0, null, '老王', null],
        [2, 'sale', -3000, 17_700, 6000, '淘宝', null, null],
        [3, 'reversal', 3000, -17_700, -6000, '淘宝', null, 2],
      ]);
      expect(entries[1]?.occurredAt.toISOString()).toBe('2026-11-27T04:01:00.000Z');
      expect(await reader.entryRows(shop, new Date('2026-11-27T04:00:30Z'))).toHaveLength(2);
    } finally {
      await reader.close();
    }
  });
});
