import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/jxc.js', import.meta.url));

/** Runs the real `jxc` command line in a child process, as a user would. */
export function jxc(args: string[], options: { databaseUrl: string; input?: string; env?: Record<string, string> }) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'silent', ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
