import { closeSync, constants, fchmodSync, lstatSync, openSync, writeSync } from 'node:fs';

/**
 * Files that may hold cost or credentials (exports, backups, the WeChat session) are created new,
 * readable and writable by their owner only (mode 600). An existing file is never overwritten and a
 * symbolic link is never followed, so a mistyped name or a planted link cannot send the data elsewhere.
 */

/** Why a private file was not created; `message` is the Chinese line the command line prints. */
export class PrivateFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'exists' | 'symlink' | 'io',
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'symlink'
        ? `这是一个符号链接，不会写入：${path}。请换一个新文件名。`
        : reason === 'exists'
          ? `文件已存在，不会覆盖：${path}。请换一个新文件名，或先删掉旧文件。`
          : `写不了文件「${path}」：${options?.cause instanceof Error ? options.cause.message : String(options?.cause)}`,
      options,
    );
    this.name = 'PrivateFileError';
  }
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Throws the PrivateFileError a new private file at `path` would meet (it exists, or is a symbolic
 * link), without creating anything: for writers that create the file later, under their own rules.
 */
export function assertNewPath(path: string): void {
  const existing = lstatOrUndefined(path);
  if (existing) throw new PrivateFileError(path, existing.isSymbolicLink() ? 'symlink' : 'exists');
}

/** Creates `path` (it must not exist) with mode 600 and returns its open file descriptor. */
export function openPrivateFile(path: string): number {
  assertNewPath(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Created between the check and the open, by someone else.
    if (code === 'EEXIST' || code === 'ELOOP') throw new PrivateFileError(path, lstatOrUndefined(path)?.isSymbolicLink() ? 'symlink' : 'exists', { cause: error });
    throw new PrivateFileError(path, 'io', { cause: error });
  }
  // A umask can only take permissions away; this makes the mode exactly 600 whatever it is.
  fchmodSync(fd, 0o600);
  return fd;
}

/** Writes `data` to a new private file (see openPrivateFile). */
export function writePrivateFile(path: string, data: Uint8Array | string): void {
  const fd = openPrivateFile(path);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
