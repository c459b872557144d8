import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';

const BIN = fileURLToPath(new URL('../../bin/jxc.cjs', import.meta.url));

export interface JxcRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Standard output as bytes (xlsx). */
  bytes: Buffer;
}

export interface JxcOptions {
  databaseUrl: string;
  input?: string;
  env?: Record<string, string>;
  /** Pretend standard input and output are a terminal. */
  tty?: boolean;
}

function sink(tty: boolean): { stream: Writable & { isTTY?: boolean }; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  if (tty) stream.isTTY = true;
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/**
 * Runs the `jxc` command line in this process (the same runCli the `jxc` binary calls), with its own
 * standard streams and environment: fast enough to run a whole conversation per test.
 */
export async function jxc(args: string[], options: JxcOptions): Promise<JxcRun> {
  const stdin: Readable & { isTTY?: boolean } = Readable.from(options.input === undefined || options.input === '' ? [] : [options.input]);
  if (options.tty) stdin.isTTY = true;
  const out = sink(options.tty ?? false);
  const err = sink(options.tty ?? false);
  const code = await runCli(args, {
    stdin,
    stdout: out.stream,
    stderr: err.stream,
    env: { TZ: process.env.TZ, DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'silent', ...options.env },
  });
  const bytes = out.bytes();
  return { code, stdout: bytes.toString('utf8'), stderr: err.bytes().toString('utf8'), bytes };
}

/** Runs the real `jxc` binary (compiled dist/) in a child process, as a user would. */
export function jxcProcess(args: string[], options: { databaseUrl: string; input?: string; env?: Record<string, string | undefined>; cwd?: string }) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'silent', ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
