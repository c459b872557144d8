import { statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { FileSender, IncomingFile, OutgoingFile } from '../../bot/files/files.port.ts';

/** node:fs/promises, loaded when a file is first saved or read rather than at every console start-up. */
const fsPromises = () => process.getBuiltinModule('node:fs/promises');

/**
 * Files on the console: the terminal has no attachments, so an export is written next to the user
 * (readable by them only, never over an existing file) and `导入 <path>` opens a file on this disk.
 */

/** Tries `name`, then `name (2)`, `name (3)`… so an earlier export is never overwritten. */
const MAX_TRIES = 1000;

async function writeContent(handle: FileHandle, file: OutgoingFile): Promise<void> {
  if ('bytes' in file) {
    await handle.writeFile(file.bytes);
    return;
  }
  for await (const chunk of file.stream) await handle.write(chunk);
}

/** Writes `file` into `dir` with mode 600 and resolves with its full path; an existing file of that name is kept. */
export async function saveFile(dir: string, file: OutgoingFile): Promise<string> {
  // The name comes from the shop and period; no path of its own may escape `dir`.
  const name = basename(file.name).replace(/^\.+/, '') || 'export.xlsx';
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; i <= MAX_TRIES; i++) {
    const path = join(resolve(dir), i === 1 ? name : `${stem} (${i})${ext}`);
    let handle: FileHandle;
    try {
      handle = await fsPromises().open(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      await writeContent(handle, file);
    } finally {
      await handle.close();
    }
    return path;
  }
  throw new Error(`no free file name for ${name} in ${dir}`);
}

/** The console's file port: files are saved into `dir`. */
export function consoleFileSender(dir: string): FileSender {
  return { sendFile: async (_chatId, file) => ({ savedAs: await saveFile(dir, file) }) };
}

/** A file on this disk for `导入 <path>` (relative to `cwd`); undefined when there is no such file. */
export function openConsoleFile(path: string, cwd: string): IncomingFile | undefined {
  const full = resolve(cwd, path.replace(/^["'「]|["'」]$/g, '').replace(/^~(?=\/|$)/, process.getBuiltinModule('node:os').homedir()));
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) return undefined;
    size = stat.size;
  } catch {
    return undefined;
  }
  return { name: basename(full), size, read: async () => new Uint8Array(await fsPromises().readFile(full)) };
}

