import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/prisma/database.ts';
import { SqliteStore } from '../../src/adapters/prisma/sqlite-store.ts';
import { InventoryService } from '../../src/core/inventory.service.ts';
import { systemClock } from '../../src/core/ports.ts';
import { backupCommand } from '../../src/cli/backup-command.ts';
import { createConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
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
    const shop = (await store.createShop('店', new Date())).id;
    for (let i = 0; i < 20; i++) await svc.record(shop, { kind: 'purchase', items: [{ product: `商品${i}`, quantity: 1, unitPrice: 100 }] }, source());
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

  it('refuses a symbolic link, even one pointing nowhere, and writes nothing through it', async () => {
    const path = join(dir, 'live2.db');
    openDatabase(path).close();
    const link = join(dir, 'link.db');
    symlinkSync(join(dir, 'planted.db'), link);
    const r = await jxc(['backup', link], { databaseUrl: `file:${path}` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`这是一个符号链接，不会写入：${link}`);
    expect(existsSync(join(dir, 'planted.db'))).toBe(false);
  });

  it('finishes while another process writes without pause, and leaves nothing but the finished copy', async () => {
    const sub = mkdtempSync(join(dir, 'steady-'));
    const path = join(sub, 'live.db');
    const app = await createApp(createConfig({ DATABASE_URL: `file:${path}`, LOG_LEVEL: 'silent' }));
    const shop = await app.shop('店');
    // About 50 MB: a page-by-page copy takes thousands of steps, each undone by the next write.
    const filler = app.db!.prepare("INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, receivedAt) VALUES (?, 'test', 'c', ?, ?, 'a', 0)");
    app.db!.transaction(() => {
      for (let i = 0; i < 12_000; i++) filler.run(shop.id, `f${i}`, 'x'.repeat(4000));
    })();
    // Another process commits rows back to back until it is killed.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]); db.pragma('busy_timeout = 5000');
         const ins = db.prepare("INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, receivedAt) VALUES (${shop.id}, 'w', 'c', ?, 'w', 'a', 0)");
         let i = 0; process.stdout.write('ready\\n'); for (;;) ins.run('w' + i++);`,
        path,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((done) => writer.stdout.once('data', () => done()));
      // Let the writer get going.
      await new Promise((wait) => setTimeout(wait, 100));
      const target = join(sub, 'backup.db');
      const out = new PassThrough();
      const err = new PassThrough();
      // The old page-by-page backup restarted on every write and never got here.
      const result = await Promise.race([
        backupCommand(app, [target], out, err),
        new Promise<string>((done) => setTimeout(() => done('still copying after 15 s'), 15_000)),
      ]);
      expect(result).toBe(0);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(readdirSync(sub).filter((f) => f.includes('backup'))).toEqual(['backup.db']);
      const copy = new Database(target, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare("SELECT COUNT(*) AS n FROM SourceMessage WHERE platform = 'test'").get() as { n: number }).n).toBe(12_000);
      copy.close();
    } finally {
      writer.kill('SIGKILL');
      await app.close();
    }
  }, 60_000);

  it('killed midway, leaves no file under the backup name, and a retry works', async () => {
    const sub = mkdtempSync(join(dir, 'killed-'));
    const path = join(sub, 'live.db');
    const db = openDatabase(path);
    const shop = (await new SqliteStore(db).createShop('店', new Date())).id;
    const filler = db.prepare("INSERT INTO SourceMessage (shopId, platform, chatId, messageId, text, actorId, receivedAt) VALUES (?, 'test', 'c', ?, ?, 'a', 0)");
    db.transaction(() => {
      for (let i = 0; i < 12_000; i++) filler.run(shop, `f${i}`, 'x'.repeat(4000));
    })();
    db.close();
    const target = join(sub, 'backup.db');
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/jxc.cjs', import.meta.url)), 'backup', target], {
      env: { ...process.env, DATABASE_URL: `file:${path}`, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.once('exit', done));
    // Killed as soon as the copy has started: a file appears next to the database.
    for (let i = 0; i < 3000 && !readdirSync(sub).some((f) => f.includes('backup')); i++) await new Promise((wait) => setTimeout(wait, 2));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(target)).toBe(false);
    const retry = await jxc(['backup', target], { databaseUrl: `file:${path}` });
    expect(retry.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
  }, 60_000);
});
