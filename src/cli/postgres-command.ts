import type { Config } from '../config.ts';
import { maskUrlPassword } from '../config.ts';
import type { Cli } from './main.ts';

/**
 * Query parameters Prisma reads from a PostgreSQL URL that libpq (pg_dump) does not know and would
 * refuse. `schema` becomes pg_dump's own --schema option.
 */
const PRISMA_ONLY_PARAMS = ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer', 'statement_cache_size', 'socket_timeout', 'sslaccept'];

/** A word for a POSIX shell, in single quotes unless it needs none. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The pg_dump command line that backs up the database at `url`: custom format (compressed, restored
 * selectively with pg_restore), with the password left out of the URL so it never lands in a shell
 * history; pg_dump takes it from PGPASSWORD or ~/.pgpass, or asks.
 */
export function pgDumpCommand(url: string, file: string): { command: string; hadPassword: boolean } {
  const u = new URL(url);
  const hadPassword = u.password !== '' || u.searchParams.has('password');
  u.password = '';
  u.searchParams.delete('password');
  const schema = u.searchParams.get('schema');
  for (const p of PRISMA_ONLY_PARAMS) u.searchParams.delete(p);
  const words = ['pg_dump', '--format=custom', `--file=${file}`, ...(schema ? [`--schema=${schema}`] : []), u.toString()];
  return { command: words.map(shellWord).join(' '), hadPassword };
}

/**
 * What every command does while DATABASE_URL names PostgreSQL. The schema and its migrations are
 * ready, so start-up applies them (a deployment can prepare its database now, and a broken server
 * or URL shows up at once); the ledger itself still runs on SQLite only, so after migrating the
 * command stops with exit code 2 and says so in both languages rather than quietly using a file.
 * `jxc backup` is answered without connecting: PostgreSQL has its own tool for that.
 */
export async function postgresCommand(config: Config, command: string, args: string[], cli: Cli): Promise<number> {
  const { stdout, stderr } = cli;
  const shown = maskUrlPassword(config.databaseUrl);
  if (command === 'backup') {
    const file = args[0] ?? `jxc-${new Date().toISOString().slice(0, 10)}.dump`;
    const { command: dump, hadPassword } = pgDumpCommand(config.databaseUrl, file);
    stdout.write(
      `PostgreSQL 数据库请用 PostgreSQL 自带的 pg_dump 备份（jxc backup 只复制 SQLite 文件），可在机器人运行时执行：\n\n  ${dump}\n\n` +
        (hadPassword ? '命令里去掉了密码：请用 PGPASSWORD 环境变量或 ~/.pgpass 提供，或按提示输入。\n' : '') +
        `恢复到一个空数据库：pg_restore --dbname=<数据库 URL> ${shellWord(file)}\n\n` +
        `On PostgreSQL, back up with pg_dump (jxc backup copies SQLite files only); it is safe while the bot runs:\n\n  ${dump}\n\n` +
        (hadPassword ? 'The password is left out of the command: supply it with PGPASSWORD or ~/.pgpass, or type it when asked.\n' : '') +
        `Restore into an empty database: pg_restore --dbname=<database URL> ${shellWord(file)}\n`,
    );
    return 2;
  }
  const { migratePostgres } = await import('../adapters/postgres/migrate.ts');
  let applied: string[];
  try {
    applied = await migratePostgres(config.databaseUrl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    stderr.write(`PostgreSQL 数据库（${shown}）迁移失败：${reason}\nCould not migrate the PostgreSQL database (${shown}): ${reason}\n`);
    return 1;
  }
  stderr.write(
    `已连接 PostgreSQL（${shown}），数据库结构已是最新（本次应用 ${applied.length} 个迁移）。\n` +
      `但 PostgreSQL 存储尚未完成：账本目前只能放在 SQLite 上，请暂时使用 DATABASE_URL=file:./data/jxc.db。\n` +
      `Connected to PostgreSQL (${shown}); its schema is up to date (${applied.length} migrations applied now).\n` +
      `The PostgreSQL store is not finished yet: the ledger runs on SQLite only for now; use DATABASE_URL=file:./data/jxc.db.\n`,
  );
  return 2;
}
