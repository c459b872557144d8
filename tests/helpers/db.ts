import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/prisma/database.ts';
import { SqliteStore } from '../../src/adapters/prisma/sqlite-store.ts';
import { SqliteDigestStore } from '../../src/adapters/prisma/sqlite-digest.ts';
import { SqliteReports } from '../../src/adapters/prisma/sqlite-reports.ts';
import { ChatEngine } from '../../src/bot/engine.ts';
import { InventoryService } from '../../src/core/inventory.service.ts';
import type { ImportTarget } from '../../src/adapters/files/import.ts';
import type { Clock, InventoryStore, ShopRecord } from '../../src/core/ports.ts';

/** A throwaway SQLite file built from the real migrations; call cleanup() when done. */
export interface TestDb {
  dir: string;
  path: string;
  db: SqliteDatabase;
  store: SqliteStore;
  cleanup(): void;
}

let template: string | undefined;

/**
 * A database file built from the real migrations once per test worker; each test database is a copy,
 * opened (and checked against the migrations) as any database is. Building from the SQL every time
 * cost tens of milliseconds per database, and some files open hundreds.
 */
function migratedTemplate(): string {
  if (template) return template;
  const dir = mkdtempSync(join(tmpdir(), 'jxc-template-'));
  const path = join(dir, 'template.db');
  openDatabase(path).close(); // closing checkpoints the WAL: the one file holds everything
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  template = path;
  return path;
}

/**
 * A database file at `dir/name` already migrated (a copy of the worker's template), for a test that
 * opens it through createApp as the program would: the app finds every migration applied.
 */
export function migratedDatabaseFile(dir: string, name = 'jxc.db'): string {
  const path = join(dir, name);
  copyFileSync(migratedTemplate(), path);
  return path;
}

export function createTestDb(): TestDb {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-test-'));
  const path = join(dir, 'jxc.db');
  copyFileSync(migratedTemplate(), path);
  const db = openDatabase(path);
  const store = new SqliteStore(db);
  return {
    dir,
    path,
    db,
    store,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function createService(store: InventoryStore, clock: Clock): InventoryService {
  return new InventoryService(store, clock);
}

let counter = 0;
/** A fresh source message (unique id) from a user in a chat. */
export function source(text = 'test', actor = 'console:alice', chatId = 'chat-1') {
  counter += 1;
  return { platform: 'test', chatId, messageId: `m${counter}`, text, actorId: actor, actorName: actor.split(':')[1] ?? actor };
}

/** The read ports a ChatEngine needs, on the same SQLite file. */
export function engineDeps(db: SqliteDatabase) {
  return { reports: new SqliteReports(db), digest: new SqliteDigestStore(db) };
}

/** A shop 店 on a fresh test database, talked to through the real chat engine. */
export interface EngineShop {
  t: TestDb;
  clock: TestClock;
  engine: ChatEngine;
  shop: ShopRecord;
}

/** The shop as conversation tests start it: by default at 12:00 in Shanghai on Friday 2026-11-27. */
export async function engineShop(at = new Date('2026-11-27T04:00:00Z')): Promise<EngineShop> {
  const t = createTestDb();
  const clock = new TestClock(at);
  const engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  return { t, clock, engine, shop: await t.store.createShop('店', clock.now()) };
}

/** A new shop 测试店 on the test database, as an import target run by alice at the clock's time. */
export async function importTarget(t: TestDb, clock: Clock): Promise<ImportTarget> {
  const shop = await t.store.createShop('测试店', clock.now());
  return { store: t.store, service: new InventoryService(t.store, clock), shop, actor: { id: 'cli:alice', name: 'alice' }, now: () => clock.now() };
}
