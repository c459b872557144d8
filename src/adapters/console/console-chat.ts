import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { BotReply } from '../../bot/engine.ts';
import type { GatewayMessage } from '../../bot/gateway.ts';
import { fileNotSaved, savedFileText } from '../../bot/files/file-replies.ts';
import type { FileSender, OutgoingFile } from '../../bot/files/files.port.ts';
import type { ShopRecord } from '../../core/ports.ts';
import { consoleFileSender, openConsoleFile } from './console-files.ts';

/** The console's chat id for a shop: the terminal is one more chat bound to it. */
export const consoleChatId = (shop: Pick<ShopRecord, 'id'>): string => `console:${shop.id}`;

export interface ConsoleChatOptions {
  /** The gateway's `respond` (or anything that answers like it). */
  handle: (message: GatewayMessage) => BotReply | null | Promise<BotReply | null>;
  /** Where exported files are saved, and relative paths of `导入 <path>` start; the working directory by default. */
  filesDir?: string | undefined;
  shop: ShopRecord;
  user: string;
  input: Readable;
  output: Writable;
  /** Show a prompt and a welcome line (an interactive terminal). */
  interactive: boolean;
  /**
   * One message per paragraph instead of per line: lines are collected until an empty line (or the
   * end of input), so a multi-line paste is one message, as it would be in a group chat.
   */
  paragraph?: boolean | undefined;
}

/** The messages in the input: each non-empty line, or each paragraph; counts lines as it reads them. */
async function* messages(lines: AsyncIterable<string>, paragraph: boolean, countLine: () => void, collecting: () => void): AsyncGenerator<string> {
  let pending: string[] = [];
  for await (const line of lines) {
    countLine();
    if (!paragraph) {
      yield line;
      continue;
    }
    if (line.trim() !== '') {
      pending.push(line.trim());
      collecting();
      continue;
    }
    yield pending.join('\n');
    pending = [];
  }
  if (pending.length > 0) yield pending.join('\n');
}

/**
 * A chat on the terminal: each line (or, with `paragraph`, each paragraph) is one message from the
 * console user, each reply is printed. Every message gets its own message id (random session id + the
 * line number it ends on), so idempotency and the audit trail work as they do in a group chat.
 * Resolves at end of input (or Ctrl-C).
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<number> {
  const { shop, input, output } = options;
  // Random, not the start time: two consoles started in the same millisecond must not share ids. The
  // ids need to be unique, not secret: Math.random (seeded per process) and the process id, without
  // loading node:crypto at every start-up.
  const session = `${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  const rl = createInterface({ input, output: options.interactive ? output : undefined, terminal: options.interactive });
  if (options.interactive) {
    output.write(`jxc-bot 控制台 · 店铺「${shop.name}」· ${options.user}（输入「帮助」看用法，Ctrl-C 或 Ctrl-D 退出）\n`);
    if (options.paragraph) output.write('多行模式：一条消息可以写多行，空一行发送。\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  const filesDir = options.filesDir ?? process.cwd();
  const files = consoleFileSender(filesDir);
  let lineNo = 0;
  let handled = 0;
  rl.on('SIGINT', () => rl.close());
  const more = () => {
    if (options.interactive) rl.prompt();
  };
  for await (const line of messages(rl, options.paragraph ?? false, () => (lineNo += 1), more)) {
    const text = line.trim();
    if (text === '') {
      if (options.interactive) rl.prompt();
      continue;
    }
    const reply = await options.handle({
      platform: 'console',
      chatId: consoleChatId(shop),
      chatType: 'private',
      messageId: `${session}-${lineNo}`,
      userId: options.user,
      userName: options.user,
      chatTitle: '控制台',
      text,
      openFile: (path) => openConsoleFile(path, filesDir),
    });
    handled += 1;
    if (reply) output.write(`${reply.file ? await savedText(files, shop, reply.file) : reply.text}\n`);
    if (options.interactive) rl.prompt();
  }
  return handled;
}

/** The reply to an export on the console: its caption and where the file now is. */
async function savedText(files: FileSender, shop: ShopRecord, file: OutgoingFile): Promise<string> {
  try {
    const sent = await files.sendFile(consoleChatId(shop), file);
    return savedFileText(file.caption, sent?.savedAs ?? file.name);
  } catch (error) {
    return fileNotSaved(file.caption, error instanceof Error ? error.message : String(error));
  }
}
