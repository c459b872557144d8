import type { ShopRecord } from '../../core/ports.ts';
import type { Clock } from '../../core/ports.ts';
import type { Command } from '../command.ts';
import type { BotLogger, BotReply, IncomingMessage } from '../engine.ts';
import { can, type Role } from '../permissions.ts';
import { permissionRefusal } from '../refusals.ts';
import {
  CANCELLED,
  DOWNLOAD_FAILED,
  entriesCaption,
  EXPORT_IN_PRIVATE,
  FILE_FAILED,
  fileNotFound,
  MAX_IMPORT_BYTES,
  NOT_A_SPREADSHEET,
  NOTHING_PENDING,
  NOTHING_TO_CANCEL,
  OWNER_ONLY_IMPORT,
  PENDING_MINUTES,
  previewHint,
  SEND_THE_FILE,
  SKIP_BAD_HINT,
  stockCaption,
  TOO_BIG,
} from './file-replies.ts';
import type { ImportJob, ImportOutcome, IncomingFile, PendingImports, SpreadsheetService, StartProgress } from './files.port.ts';

/** The spreadsheet commands. */
export type FileCommand = Extract<Command, { intent: 'export' | 'importFile' | 'confirmImport' | 'cancelImport' }>;
export type FileIntent = FileCommand['intent'];

const FILE_INTENTS: ReadonlySet<string> = new Set<FileIntent>(['export', 'importFile', 'confirmImport', 'cancelImport']);

/** Whether a command is one of the spreadsheet commands. */
export function isFileCommand(command: Command): command is FileCommand {
  return FILE_INTENTS.has(command.intent);
}

/** A message as the file intents read it: a chat message, maybe with a file, maybe from a chat that opens files by path. */
export interface FileMessage extends IncomingMessage {
  /** A file sent with the message. */
  file?: IncomingFile | undefined;
  /** For `导入 <path>`: the console opens files on its own disk; other chats have no paths. */
  openFile?: ((path: string) => IncomingFile | undefined) | undefined;
  /** Shows a long export's progress in one message, where the chat can (Telegram). */
  progress?: StartProgress | undefined;
}

/** Who asks and where, as the gateway resolved it. */
export interface FileAsker {
  message: FileMessage;
  shop: ShopRecord;
  role: Role;
  /** The owner's private chat (cost and profit may be shown there). */
  ownerChat: boolean;
}

export interface FileIntentsDeps {
  spreadsheets: SpreadsheetService;
  pending: PendingImports;
  clock: Clock;
  logger: BotLogger;
  /** Called after an import wrote, so the chat knows new products at once. */
  changed(shopId: number): void;
}

/** A file's extension says it is a spreadsheet we read. */
export function isSpreadsheetName(name: string): boolean {
  return /\.(xlsx|csv)$/i.test(name);
}

/**
 * Spreadsheets in chat, for owners in their private chat: a .xlsx/.csv file is tried first (nothing
 * written) and kept until 「确认导入」 (or 「取消」, or PENDING_MINUTES); 「导出 [时段]」 answers with the
 * period's entries and profit as xlsx, 「导出 库存」 with the stock. Everyone else is told who may.
 * Errors end here: the user gets an apology, the log the cause.
 */
export class FileIntents {
  constructor(private readonly deps: FileIntentsDeps) {}

  /** Answers a file command; null means stay silent (a non-spreadsheet document in a group, 取消 with nothing pending in a group). */
  async handle(command: FileCommand, asker: FileAsker): Promise<BotReply | null> {
    const started = performance.now();
    let reply: BotReply | null;
    try {
      reply = await this.dispatch(command, asker);
    } catch (error) {
      this.deps.logger.error({ err: error, shop: asker.shop.id, chat: asker.message.chatId, intent: command.intent }, 'file message failed');
      reply = { text: FILE_FAILED, intent: command.intent, entrySeqs: [], duplicate: false };
    }
    if (reply) {
      const m = asker.message;
      this.deps.logger.info(
        { shop: asker.shop.id, platform: m.platform, chat: m.chatId, intent: command.intent, file: reply.file?.name, ms: Math.round((performance.now() - started) * 100) / 100 },
        'message handled',
      );
    }
    return reply;
  }

  private async dispatch(command: FileCommand, asker: FileAsker): Promise<BotReply | null> {
    const reply = (text: string): BotReply => ({ text, intent: command.intent, entrySeqs: [], duplicate: false });
    switch (command.intent) {
      case 'export': {
        if (!can(asker.role, 'export')) return reply(permissionRefusal(asker.role, 'export'));
        if (!asker.ownerChat) return reply(EXPORT_IN_PRIVATE);
        const shop = asker.shop;
        if (command.what === 'stock' || command.period === undefined) {
          const file = await this.deps.spreadsheets.exportStock(shop);
          const caption = stockCaption(shop.name);
          return { ...reply(caption), file: { ...file, caption } };
        }
        const progress = await asker.message.progress?.(`⏳ 正在导出「${shop.name}」${command.period.label}的流水和利润…`);
        let file: Awaited<ReturnType<SpreadsheetService['exportEntries']>>;
        try {
          file = await this.deps.spreadsheets.exportEntries(shop, command.period, (n) => void progress?.update(`⏳ 正在导出：已写 ${n.toLocaleString('en-US')} 条流水…`));
        } catch (error) {
          await progress?.update('⚠️ 导出没有完成，请稍后再试。', true);
          throw error;
        }
        await progress?.update(`✅ 已导出 ${file.rows.toLocaleString('en-US')} 条流水，文件马上发出。`, true);
        const caption = entriesCaption(shop.name, command.period.label, file.rows);
        const { rows: _rows, ...content } = file;
        return { ...reply(caption), file: { ...content, caption } };
      }
      case 'importFile':
        return this.preview(command, asker, reply);
      case 'confirmImport':
        return this.confirm(command, asker, reply);
      case 'cancelImport': {
        const m = asker.message;
        const taken = await this.deps.pending.take(m.platform, m.chatId, m.userId, this.deps.clock.now());
        if (taken) return reply(CANCELLED);
        return m.chatType === 'private' ? reply(NOTHING_TO_CANCEL) : null;
      }
    }
  }

  private async preview(command: Extract<FileCommand, { intent: 'importFile' }>, asker: FileAsker, reply: (text: string) => BotReply): Promise<BotReply | null> {
    const m = asker.message;
    const isPrivate = m.chatType === 'private';
    // In groups, documents other than spreadsheets are none of the bot's business.
    if (m.file && !isPrivate && !isSpreadsheetName(m.file.name)) return null;
    if (!can(asker.role, 'importFile') || !asker.ownerChat) return reply(OWNER_ONLY_IMPORT);
    const file = m.file ?? (command.path !== undefined && m.openFile ? m.openFile(command.path) : undefined);
    if (!file) return reply(command.path !== undefined && m.openFile ? fileNotFound(command.path) : SEND_THE_FILE);
    if (!isSpreadsheetName(file.name)) return reply(NOT_A_SPREADSHEET);
    if (file.size !== undefined && file.size > MAX_IMPORT_BYTES) return reply(TOO_BIG);
    let bytes: Uint8Array;
    try {
      bytes = await file.read();
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : String(error), chat: m.chatId }, 'file download failed');
      return reply(m.openFile ? fileNotFound(command.path ?? file.name) : DOWNLOAD_FAILED);
    }
    if (bytes.byteLength > MAX_IMPORT_BYTES) return reply(TOO_BIG);
    const kind = command.kind ?? (await this.deps.spreadsheets.detectKind(bytes, file.name)) ?? 'stock';
    const orderPlatform = kind === 'orders' ? command.platform : undefined;
    const job: ImportJob = { shop: asker.shop, actor: actorOf(m), kind, bytes, filename: file.name, orderPlatform };
    const outcome = await this.deps.spreadsheets.preview(job, { skipBadHint: SKIP_BAD_HINT });
    if (outcome.fatal || outcome.importedRows === 0) {
      // A new file replaces what was waiting, even one that cannot be imported.
      await this.deps.pending.take(m.platform, m.chatId, m.userId, this.deps.clock.now());
      return reply(outcome.report);
    }
    const now = this.deps.clock.now();
    await this.deps.pending.put(
      { shopId: asker.shop.id, platform: m.platform, chatId: m.chatId, userId: m.userId, kind, orderPlatform, filename: file.name, bytes, expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000) },
      now,
    );
    return reply(`${outcome.report}\n${previewHint(outcome.problems)}`);
  }

  private async confirm(command: Extract<FileCommand, { intent: 'confirmImport' }>, asker: FileAsker, reply: (text: string) => BotReply): Promise<BotReply> {
    const m = asker.message;
    const allowed = can(asker.role, 'confirmImport') && asker.ownerChat;
    if (!allowed) return reply(can(asker.role, 'confirmImport') ? NOTHING_PENDING : OWNER_ONLY_IMPORT);
    const now = this.deps.clock.now();
    const found = await this.deps.pending.take(m.platform, m.chatId, m.userId, now);
    if (!found || found.shopId !== asker.shop.id) return reply(NOTHING_PENDING);
    const job: ImportJob = { shop: asker.shop, actor: actorOf(m), kind: found.kind, bytes: found.bytes, filename: found.filename, orderPlatform: found.orderPlatform };
    // Imported in committed chunks that yield, so other chats keep answering; one message shows how far it is.
    const progress = await m.progress?.(`⏳ 正在导入「${found.filename}」…`);
    let outcome: ImportOutcome;
    try {
      outcome = await this.deps.spreadsheets.importFile(job, {
        skipBad: command.skipBad,
        skipBadHint: SKIP_BAD_HINT,
        onProgress: (done, total) => void progress?.update(`⏳ 正在导入：${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} 行…`),
      });
    } catch (error) {
      await progress?.update('⚠️ 导入没有完成，已写入的部分会整批撤销，请稍后再试。', true);
      throw error;
    }
    await progress?.update(outcome.written ? `✅ 导入完成：${outcome.importedRows.toLocaleString('en-US')} 行。` : '导入没有写入任何数据，原因见下一条。', true);
    if (outcome.written) this.deps.changed(asker.shop.id);
    this.deps.logger.info({ shop: asker.shop.id, file: found.filename, rows: outcome.importedRows, written: outcome.written }, 'spreadsheet import');
    // Bad rows stopped it: the file waits again for 「确认导入 跳过」.
    if (outcome.blocked) await this.deps.pending.put({ ...found, expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000) }, now);
    return reply(outcome.report);
  }
}

function actorOf(m: FileMessage): ImportJob['actor'] {
  return { id: `${m.platform}:${m.userId}`, name: m.userName };
}
