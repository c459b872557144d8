import 'dotenv/config';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { createConfig, ConfigError, type Config } from '../config.ts';
import { createApp, type App } from '../main.ts';
import { runConsoleChat } from '../adapters/console/console-chat.ts';
import { exportCommand } from './export-command.ts';
import { backupCommand } from './backup-command.ts';
import { USAGE } from './usage.ts';
import type { Role } from '../bot/permissions.ts';


/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [command = 'start', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    stdout.write(USAGE);
    return 0;
  }
  let config: Config;
  try {
    config = createConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`${error.message}\n请检查环境变量或 .env 文件（见 .env.example）。\n`);
      return 2;
    }
    throw error;
  }
  switch (command) {
    case 'start':
      return withApp(config, (app) => start(app, stderr));
    case 'chat':
      return withApp(config, (app) => chat(app, rest, stderr));
    case 'backup':
      return withApp(config, (app) => backupCommand(app, rest, stdout, stderr));
    case 'export':
      return withApp(config, (app) => exportCommand(app, rest, stdout, stderr));
    default:
      stderr.write(`未知命令「${command}」。\n\n${USAGE}`);
      return 2;
  }
}

async function withApp(config: Config, run: (app: App) => Promise<number>): Promise<number> {
  const app = createApp(config);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

async function start(app: App, stderr: NodeJS.WritableStream): Promise<number> {
  app.logger.info({ database: app.config.databaseUrl }, 'jxc-bot starting');
  stderr.write('未配置聊天平台，进入控制台聊天。\n');
  return chat(app, [], stderr);
}

async function chat(app: App, args: string[], stderr: NodeJS.WritableStream): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: { shop: { type: 'string' }, user: { type: 'string' }, role: { type: 'string' } },
    }));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const role = (values.role ?? 'owner') as Role;
  if (!['owner', 'staff', 'viewer'].includes(role)) {
    stderr.write(`--role 只能是 owner、staff 或 viewer（收到「${values.role}」）\n`);
    return 2;
  }
  const shop = app.shop(values.shop);
  const interactive = Boolean(process.stdin.isTTY);
  // On a terminal the chat is the interface: keep routine log lines out of it unless asked for.
  if (interactive && !process.env.LOG_LEVEL) app.logger.level = 'warn';
  await runConsoleChat({
    engine: app.engine,
    shop,
    user: values.user ?? safeUserName(),
    role,
    input: process.stdin,
    output: process.stdout,
    interactive,
  });
  return 0;
}

function safeUserName(): string {
  try {
    return userInfo().username || '我';
  } catch {
    return '我';
  }
}
