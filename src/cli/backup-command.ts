import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BaseApp } from '../base-app.ts';

/**
 * `jxc backup FILE`: a consistent copy of the database taken with SQLite's online backup, safe while the
 * bot keeps writing. The copy holds cost data, so it is created readable by its owner only.
 */
export async function backupCommand(app: BaseApp, args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const [target, ...extra] = args;
  if (!target || extra.length > 0) {
    stderr.write('用法：jxc backup 文件名.db\n');
    return 2;
  }
  const path = resolve(target);
  if (existsSync(path)) {
    stderr.write(`文件已存在，不会覆盖：${path}\n`);
    return 2;
  }
  closeSync(openSync(path, 'wx', 0o600));
  await app.db.backup(path);
  chmodSync(path, 0o600);
  stdout.write(`✅ 已备份到 ${path}\n`);
  return 0;
}
