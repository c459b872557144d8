import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, closeSync, openSync, unlinkSync, type ReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composer, InputFile, type Api, type Context } from 'grammy';
import type { Message, User } from 'grammy/types';
import type { ChatEngine } from '../../bot/engine.ts';
import { UNBOUND_HINT } from '../../bot/gateway.ts';
import { parsePeriod } from '../../bot/parse/index.ts';
import { ROLE_LABELS, type Role } from '../../bot/permissions.ts';
import type { Audience } from '../../core/access.ts';
import type { ShopRecord } from '../../core/ports.ts';
import { exportReport, writeEntriesAndProfit, type ReportReader } from '../files/export.ts';
import { detectImportKind, importFile, previewImport, type ImportKind, type ImportSummary } from '../files/import.ts';
import { formatImportSummary } from '../files/import-summary.ts';
import type { SqliteDatabase } from '../prisma/database.ts';
import { SqliteReports } from '../prisma/sqlite-reports.ts';
import { splitMessage } from './split-message.ts';
import type { TelegramApp } from './telegram-chat.ts';
import { displayName } from './telegram-update.ts';

/** A long export edits its progress message at most this often (Telegram limits edits). */
const PROGRESS_MS = 2_000;

/** What spreadsheet import and export need from the application beyond the conversation; `App` fits. */
export interface TelegramFilesApp extends TelegramApp {
  engine: Pick<ChatEngine, 'service' | 'invalidate'>;
  db: SqliteDatabase;
  reader(): ReportReader;
}

/** Whether the application can import and export files (the full `App` can; a bare conversation cannot). */
export function hasFiles(app: TelegramApp): app is TelegramFilesApp {
  const a = app as Partial<TelegramFilesApp>;
  return typeof a.reader === 'function' && a.db !== undefined && a.engine !== undefined;
}

/** Fetches a file a user sent, by its Telegram file id. */
export type DownloadFile = (api: Api, fileId: string) => Promise<Uint8Array>;

export interface TelegramFilesOptions {
  token: string;
  /** A self-hosted Bot API server, without trailing slash; Telegram's own otherwise. */
  apiRoot?: string | undefined;
  /** Replaces the download from the Bot API file endpoint (tests hand over bytes directly). */
  download?: DownloadFile | undefined;
}

/** The Bot API lets bots download files up to this size. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** A previewed import waits this long for 「确认导入」. */
export const PENDING_MINUTES = 10;

export const CONFIRM_HINT = '回复「确认导入」导入，或发「取消」';
export const OWNER_ONLY_IMPORT = '📄 只有老板在与机器人的私聊里才能导入表格。';
export const NOT_A_SPREADSHEET = '❌ 只能导入 .xlsx 或 .csv 表格。';
export const TOO_BIG = `❌ 文件太大（最多 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）。请拆成几个文件，或用命令行 jxc import 导入。`;
export const NOTHING_PENDING = `没有待确认的导入（${PENDING_MINUTES} 分钟内有效）。请重新发送表格。`;
export const EXPORT_IN_PRIVATE = '🔒 导出含成本和利润，请在与机器人的私聊里发「导出」。';
const DOWNLOAD_FAILED = '⚠️ 下载文件失败，请稍后重发。';
const SKIP_HINT = '回复「确认导入 跳过」只导入没问题的行';
const EXPORT_USAGE = '例：导出（本月流水和利润）、导出 上月、导出 本周、导出 库存';

/** `导出`, `导出 本月`, `/导出 库存`, after an optional @mention. */
const EXPORT = /^(?:@\S+\s*)?\/?导出(?:\s+|$)(.*)$/s;
/** `确认导入`, `确认导入 跳过` (rows with problems left out). */
const CONFIRM = /^(?:@\S+\s*)?确认导入(?:\s*(跳过))?\s*$/;
const CANCEL = /^(?:@\S+\s*)?取消\s*$/;

interface PendingImport {
  shopId: number;
  userId: string;
  kind: ImportKind;
  bytes: Uint8Array;
  filename: string;
  expires: number;
}

type Standing =
  | { kind: 'unbound' }
  | { kind: 'removed' }
  | { kind: 'bound'; shop: ShopRecord; role: Role; audience: Audience };

/** Default download: the Bot API's file endpoint (`<root>/file/bot<token>/<path>`). */
function botApiDownload(options: TelegramFilesOptions): DownloadFile {
  const root = options.apiRoot ?? 'https://api.telegram.org';
  return async (api, fileId) => {
    const file = await api.getFile(fileId);
    if (file.file_path === undefined) throw new Error('telegram gave no file path');
    const response = await fetch(`${root}/file/bot${options.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

function spreadsheetName(name: string | undefined): boolean {
  return name !== undefined && /\.(xlsx|csv)$/i.test(name);
}

/**
 * Spreadsheets over Telegram, for owners in their private chat: a .xlsx/.csv document is tried
 * first (nothing written) and imported on 「确认导入」; 「导出 [时段]」 sends the period's entries and
 * profit as an xlsx, 「导出 库存」 the stock. Everyone else is told who may do it. Other messages
 * pass on to the conversation.
 */
export function filesComposer(app: TelegramFilesApp, options: TelegramFilesOptions): Composer<Context> {
  const composer = new Composer<Context>();
  const pending = new Map<string, PendingImport>();
  const download = options.download ?? botApiDownload(options);

  const standingOf = (chatId: number, chatType: string, user: User): Standing => {
    const binding = app.access.bindingOf('telegram', String(chatId));
    if (!binding) return { kind: 'unbound' };
    const shop = app.store.shopById(binding.shopId);
    if (!shop) return { kind: 'unbound' };
    const person = app.access.personByIdentity(shop.id, 'telegram', String(user.id));
    if (person?.role === 'removed') return { kind: 'removed' };
    let role: Role;
    if (person && person.role !== 'member') role = person.role;
    else if (chatType !== 'private' && binding.audience === 'staff') role = app.access.memberRole(shop.id);
    else role = 'viewer';
    return { kind: 'bound', shop, role, audience: binding.audience };
  };

  const reply = async (ctx: Context, message: Message, text: string): Promise<void> => {
    for (const part of splitMessage(text)) {
      await ctx.api.sendMessage(message.chat.id, part, { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } });
    }
  };

  const takePending = (chatId: string, userId: string): PendingImport | undefined => {
    const found = pending.get(chatId);
    if (!found) return undefined;
    if (found.expires < app.clock.now().getTime() || found.userId !== userId) {
      if (found.expires < app.clock.now().getTime()) pending.delete(chatId);
      return undefined;
    }
    return found;
  };

  composer.on('message:document', async (ctx) => {
    const message = ctx.message;
    const document = message.document;
    const from = message.from;
    if (from.is_bot) return;
    const isPrivate = message.chat.type === 'private';
    const spreadsheet = spreadsheetName(document.file_name);
    // In groups, documents other than spreadsheets are none of the bot's business.
    if (!isPrivate && !spreadsheet) return;
    const standing = standingOf(message.chat.id, message.chat.type, from);
    if (standing.kind === 'unbound') {
      if (isPrivate) await reply(ctx, message, UNBOUND_HINT);
      return;
    }
    if (standing.kind === 'removed' || !isPrivate || standing.role !== 'owner' || standing.audience !== 'owner') {
      await reply(ctx, message, OWNER_ONLY_IMPORT);
      return;
    }
    if (!spreadsheet) {
      await reply(ctx, message, NOT_A_SPREADSHEET);
      return;
    }
    if (document.file_size !== undefined && document.file_size > MAX_IMPORT_BYTES) {
      await reply(ctx, message, TOO_BIG);
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await download(ctx.api, document.file_id);
    } catch (error) {
      app.logger.warn({ err: error instanceof Error ? error.message : String(error), chatId: message.chat.id }, 'telegram document download failed');
      await reply(ctx, message, DOWNLOAD_FAILED);
      return;
    }
    if (bytes.byteLength > MAX_IMPORT_BYTES) {
      await reply(ctx, message, TOO_BIG);
      return;
    }
    const filename = document.file_name ?? 'import.xlsx';
    const caption = message.caption ?? '';
    const kind: ImportKind = /库存/.test(caption) ? 'stock' : /流水/.test(caption) ? 'entries' : ((await detectImportKind(bytes, filename)) ?? 'stock');
    const summary = await previewImport(target(standing.shop, from), kind, bytes, filename);
    const chatId = String(message.chat.id);
    if (summary.fatal || summary.importedRows === 0) {
      pending.delete(chatId);
      await reply(ctx, message, formatImportSummary(summary, { maxProblems: 20 }));
      return;
    }
    pending.set(chatId, { shopId: standing.shop.id, userId: String(from.id), kind, bytes, filename, expires: app.clock.now().getTime() + PENDING_MINUTES * 60_000 });
    const hint = summary.problems.length > 0 ? `${SKIP_HINT}，或发「取消」` : CONFIRM_HINT;
    await reply(ctx, message, `${formatImportSummary(summary, { maxProblems: 20 })}\n${hint}（${PENDING_MINUTES} 分钟内有效）`);
  });

  composer.on('message:text', async (ctx, next) => {
    const message = ctx.message;
    const text = message.text.trim();
    const chatId = String(message.chat.id);
    const userId = String(message.from.id);

    const confirm = CONFIRM.exec(text);
    if (confirm) {
      const found = takePending(chatId, userId);
      const standing = standingOf(message.chat.id, message.chat.type, message.from);
      if (!found || standing.kind !== 'bound' || standing.shop.id !== found.shopId || standing.role !== 'owner') {
        await reply(ctx, message, standing.kind === 'bound' && standing.role === 'owner' ? NOTHING_PENDING : OWNER_ONLY_IMPORT);
        return;
      }
      pending.delete(chatId);
      const summary: ImportSummary = await importFile(target(standing.shop, message.from), found.kind, found.bytes, found.filename, { skipBad: confirm[1] !== undefined });
      if (summary.written) app.engine.invalidate(standing.shop.id);
      app.logger.info({ shopId: standing.shop.id, file: found.filename, rows: summary.importedRows, written: summary.written }, 'telegram import');
      await reply(ctx, message, formatImportSummary(summary, { maxProblems: 20, skipBadHint: '回复「确认导入 跳过」' }));
      if (summary.blocked) pending.set(chatId, { ...found, expires: app.clock.now().getTime() + PENDING_MINUTES * 60_000 });
      return;
    }

    if (CANCEL.test(text) && takePending(chatId, userId)) {
      pending.delete(chatId);
      await reply(ctx, message, '已取消导入，没有写入任何数据。');
      return;
    }

    const exported = EXPORT.exec(text);
    if (!exported) return next();
    const standing = standingOf(message.chat.id, message.chat.type, message.from);
    if (standing.kind === 'unbound') return next();
    if (standing.kind === 'removed') {
      await reply(ctx, message, '⛔ 你已被移出本店，不能再操作。如有疑问请联系老板。');
      return;
    }
    if (standing.role !== 'owner') {
      await reply(ctx, message, `⛔ 你的身份是「${ROLE_LABELS[standing.role]}」，这个操作需要「${ROLE_LABELS.owner}」权限。`);
      return;
    }
    if (standing.audience !== 'owner') {
      await reply(ctx, message, EXPORT_IN_PRIVATE);
      return;
    }
    const file = await buildExport(ctx, message, standing.shop, (exported[1] ?? '').trim());
    if ('error' in file) {
      await reply(ctx, message, file.error);
      return;
    }
    try {
      await ctx.replyWithDocument(new InputFile(file.content, file.filename), {
        caption: file.caption,
        reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
      });
    } catch (error) {
      if (!Buffer.isBuffer(file.content)) file.content.destroy();
      throw error;
    }
  });

  function target(shop: ShopRecord, user: User) {
    return { store: app.store, service: app.engine.service, shop, actor: { id: `telegram:${user.id}`, name: displayName(user) } };
  }

  async function buildExport(
    ctx: Context,
    message: Message,
    shop: ShopRecord,
    arg: string,
  ): Promise<{ content: Buffer | ReadStream; filename: string; caption: string } | { error: string }> {
    const safeName = shop.name.replace(/[\\/:*?"<>|]/g, '_');
    if (/^库存$/.test(arg)) {
      const file = await exportReport({ reader: app.reader(), queries: new SqliteReports(app.db) }, { what: 'stock', format: 'xlsx', shop, now: app.clock.now() });
      return { content: file.buffer, filename: file.filename, caption: `📦 「${shop.name}」当前库存` };
    }
    const periodText = arg.replace(/^(?:流水|利润|报表)\s*/, '') || '本月';
    const period = parsePeriod(periodText, app.clock.now(), shop.timeZone);
    if (!period) return { error: `❌ 看不懂时段「${periodText}」。${EXPORT_USAGE}` };
    // Streamed into a private temporary file, unlinked at once (the open descriptor keeps it until
    // sent): memory stays flat however long the period, and the export yields so other chats answer.
    const progress = await progressMessage(ctx, message, `⏳ 正在导出「${shop.name}」${period.label}的流水和利润…`);
    const path = join(tmpdir(), `jxc-export-${randomBytes(6).toString('hex')}.xlsx`);
    const fd = openSync(path, 'wx+', 0o600);
    let rows: number;
    try {
      unlinkSync(path);
      const out = createWriteStream('', { fd, autoClose: false });
      rows = await writeEntriesAndProfit({ reader: app.reader(), queries: new SqliteReports(app.db) }, shop, period, out, (n) => progress.update(`⏳ 正在导出：已写 ${n.toLocaleString('en-US')} 条流水…`));
      out.end();
      await once(out, 'finish');
    } catch (error) {
      closeSync(fd);
      await progress.update('⚠️ 导出没有完成，请稍后再试。', true);
      throw error;
    }
    await progress.update(`✅ 已导出 ${rows.toLocaleString('en-US')} 条流水，文件马上发出。`, true);
    const label = period.label.replace(/[\\/:*?"<>|\s]/g, '_');
    return { content: createReadStream('', { fd, start: 0 }), filename: `${safeName}-${label}-流水利润.xlsx`, caption: `📊 「${shop.name}」${period.label}：流水 ${rows} 条，含利润表` };
  }

  /** One message that says how far a long job is, edited at most every PROGRESS_MS; never fails the job. */
  async function progressMessage(ctx: Context, message: Message, text: string): Promise<{ update(text: string, final?: boolean): Promise<void> }> {
    let sent: { message_id: number } | undefined;
    try {
      sent = await ctx.reply(text, { reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } });
    } catch (error) {
      app.logger.warn({ err: error instanceof Error ? { message: error.message } : String(error) }, 'progress message not sent');
    }
    let last = Date.now();
    return {
      async update(next: string, final = false) {
        if (!sent || (!final && Date.now() - last < PROGRESS_MS)) return;
        last = Date.now();
        await ctx.api.editMessageText(message.chat.id, sent.message_id, next).catch(() => undefined);
      },
    };
  }

  return composer;
}
