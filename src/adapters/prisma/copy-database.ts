import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, openSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SqliteDatabase } from './database.ts';

/**
 * Copies a live database to `path` with `VACUUM INTO`, which reads one snapshot: writes by other
 * processes never restart it, as they restart SQLite's page-by-page online backup (which never ends
 * under steady writes). The copy is written under a temporary name in the same folder, readable by
 * its owner only, and appears under `path` only once complete, so a copy killed midway leaves nothing
 * that looks like a backup. `path` is never replaced: if something is there by then, the copy is
 * dropped and an EEXIST error is thrown.
 */
export function copyDatabase(db: SqliteDatabase, path: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  // Created empty and private first, so the copy is never readable by others, even while written.
  closeSync(openSync(temp, 'wx', 0o600));
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    chmodSync(temp, 0o600);
    // A hard link never replaces an existing file nor follows a symbolic link put there meanwhile.
    linkSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
