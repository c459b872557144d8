import { resolve } from 'node:path';
import { copyDatabase } from '../adapters/prisma/copy-database.ts';
import { assertNewPath, PrivateFileError } from '../private-file.ts';
import type { BaseApp } from '../base-app.ts';

/**
 * `jxc backup FILE`: a consistent copy of the database, safe while the bot keeps writing (see
 * copyDatabase: it finishes under steady writes, and a backup killed midway leaves no file that looks
 * like one). The copy holds cost data, so it is created readable by its owner only.
 */
export async function backupCommand(app: BaseApp, args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const [target, ...extra] = args;
  if (!target || extra.length > 0) {
    stderr.write('用法：jxc backup 文件名.db\n');
    return 2;
  }
  const path = resolve(target);
  if (!app.db) {
    stderr.write('PostgreSQL 数据库请用 pg_dump 备份（见 README）。\n');
    return 2;
  }
  try {
    // Refused up front with the reason; copyDatabase itself never replaces a file either.
    assertNewPath(path);
    copyDatabase(app.db, path);
  } catch (error) {
    if (error instanceof PrivateFileError) {
      stderr.write(`${error.message}\n`);
      return error.reason === 'io' ? 1 : 2;
    }
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    stderr.write(`${new PrivateFileError(path, 'exists').message}\n`);
    return 2;
  }
  stdout.write(`✅ 已备份到 ${path}\n`);
  return 0;
}
