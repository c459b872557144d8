import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/prisma/database.ts';
import { SqliteStore } from '../../src/adapters/prisma/sqlite-store.ts';
import { InventoryService } from '../../src/core/inventory.service.ts';
import { systemClock } from '../../src/core/ports.ts';
import { jxc } from '../helpers/cli.ts';
import { source } from '../helpers/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jxc backup', () => {
  it('copies the live database consistently, readable by the owner only', async () => {
    const path = join(dir, 'live.db');
    // The "running bot": a connection that stays open and has written in WAL mode.
    const db = openDatabase(path);
    const store = new SqliteStore(db);
    const svc = new InventoryService(store, systemClock);
    const shop = store.createShop('店', new Date()).id;
    for (let i = 0; i < 20; i++) svc.record(shop, { kind: 'purchase', items: [{ product: `商品${i}`, quantity: 1, unitPrice: 100 }] }, source());
    const target = join(dir, 'backup.db');
    const r = await jxc(['backup', target], { databaseUrl: `file:${path}` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已备份到');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = new Database(target, { readonly: true });
    expect((copy.prepare('SELECT COUNT(*) AS n FROM Entry').get() as { n: number }).n).toBe(20);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    // Never overwrites.
    expect((await jxc(['backup', target], { databaseUrl: `file:${path}` })).code).toBe(2);
    db.close();
  });
});
