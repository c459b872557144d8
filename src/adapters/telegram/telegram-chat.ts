import type { BotLogger, BotReply } from '../../bot/engine.ts';
import type { ChatGateway, GatewayMessage } from '../../bot/gateway.ts';
import { FILES_UNAVAILABLE } from '../../bot/files/file-replies.ts';
import type { OutgoingFile, StartProgress } from '../../bot/files/files.port.ts';
import { isWriteIntent } from '../../bot/intents/index.ts';
import { UNDO_HINT } from '../../bot/replies.ts';
import { INTERNAL_ERROR_TEXT } from '../../bot/refusals.ts';
import type { AccessStore } from '../../core/access.ts';
import type { Clock, InventoryStore } from '../../core/ports.ts';
import { apiFailure } from './api-failure.ts';
import { documentMessage, type DownloadFile } from './documents.ts';
import { RecentMap } from './recent.ts';
import { splitMessage, TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT } from './split-message.ts';
import {
  chatTypeOf,
  displayName,
  toGatewayMessage,
  type BotIdentity,
  type TgCallbackQuery,
  type TgMessage,
  UNDO_CALLBACK_PREFIX,
} from './telegram-update.ts';

/** What the Telegram adapter needs from the application; `App` from src/main.ts fits. */
export interface TelegramApp {
  gateway: Pick<ChatGateway, 'handle' | 'respond'>;
  access: AccessStore;
  store: InventoryStore;
  clock: Clock;
  logger: BotLogger;
}

/** The inline keyboard with the one 「撤销」 button a write's confirmation carries. */
export interface UndoKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

export interface SendOptions {
  reply_parameters?: { message_id: number; allow_sending_without_reply?: boolean } | undefined;
  reply_markup?: UndoKeyboard | undefined;
}

/**
 * The three Bot API calls a conversation makes. grammY's `Api` and Telegraf's `Telegram` have
 * different signatures for them, so each library gets a small adapter onto this port.
 */
export interface TelegramCalls {
  sendMessage(chatId: number, text: string, options: SendOptions): Promise<{ message_id: number }>;
  editMessageText(chatId: number, messageId: number, text: string, options: { reply_markup?: UndoKeyboard | undefined }): Promise<unknown>;
  answerCallbackQuery(id: string, options: { text?: string | undefined; show_alert?: boolean | undefined }): Promise<unknown>;
  /** Sends a file with its caption; without it files are answered with their caption and a note. */
  sendDocument?(chatId: number, file: OutgoingFile, options: SendOptions): Promise<unknown>;
  /** Sends a picture as a photo, with a caption of at most TELEGRAM_CAPTION_LIMIT characters; without it pictures go as documents. */
  sendPhoto?(chatId: number, file: OutgoingFile, options: SendOptions & { caption?: string | undefined }): Promise<unknown>;
  /** Downloads a document a user sent; without it documents are not for the bot. */
  download?: DownloadFile | undefined;
}

/** Editing one's own message corrects its entries only this long after it was sent. */
export const EDIT_WINDOW_SECONDS = 600;

/** A long export edits its progress message at most this often. */
const PROGRESS_MS = 2_000;

/** The adapter's last resort when the gateway itself failed: the same words as every chat's internal error. */
const FAILED = INTERNAL_ERROR_TEXT;
const EDIT_NOT_A_COMMAND = '（修改后的消息不是记账命令，原记录已撤销）';

/** An undo or correction command (`撤销`, `撤回 #3`, `改 #3 数量 4`, `/undo`), after an optional @mention. */
const UNDO_OR_CORRECT = /^(?:@\S+\s*)?\/?(?:撤销|撤回|改|undo)(?=\s|#|$)/i;

/** Telegram limits callback data to 64 bytes. */
const CALLBACK_DATA_LIMIT = 64;

/** Confirmations are remembered for editing when their message is edited; a day of a busy shop. */
const REMEMBERED_REPLIES = 5_000;

/**
 * One Telegram conversation, library-agnostic: maps messages, edits and button presses onto the
 * chat gateway and answers through `TelegramCalls`. The grammY bot and the Telegraf middleware
 * both drive it, so they behave the same.
 *
 * Which confirmation answered which message is kept in memory (bounded): after a restart an
 * edited message's new confirmation is sent as a new reply instead of editing the old one. The
 * books do not depend on that memory — the versions of an edited message are found in the store.
 */
export class TelegramChat {
  private readonly confirmations = new RecentMap<string, number>(REMEMBERED_REPLIES);
  private readonly hints = new RecentMap<string, true>(REMEMBERED_REPLIES);

  constructor(private readonly app: TelegramApp) {}

  /**
   * Handles a new message. Returns false when the message is not for the bot (chatter, another
   * bot's command, non-text), so a host bot can pass it on.
   */
  async onMessage(message: TgMessage, me: BotIdentity, calls: TelegramCalls): Promise<boolean> {
    if (message.migrate_to_chat_id !== undefined) {
      await this.migrate(message.chat.id, message.migrate_to_chat_id);
      return true;
    }
    const mapped = toGatewayMessage(message, me);
    const incoming = mapped.ok ? mapped.message : calls.download ? documentMessage(message, me, calls.download) : undefined;
    if (incoming === undefined) {
      this.app.logger.debug({ chat: message.chat.id, reason: mapped.ok ? undefined : mapped.reason }, 'telegram message ignored');
      return false;
    }
    const reply = await this.respond({ ...incoming, progress: this.progress(message.chat.id, message.message_id, calls) });
    if (!reply) return false;
    // A redelivered message was applied before; its confirmation was sent then.
    if (reply.duplicate) return true;
    if (reply.file) await this.sendFile(message.chat.id, message.message_id, reply, reply.file, calls);
    else await this.deliver(message.chat.id, message.message_id, reply, incoming.messageId, calls);
    if (reply.failed) throw new UpdateNotHandledError('message');
    return true;
  }

  /** A progress message replying to `replyTo`, edited at most every PROGRESS_MS (Telegram limits edits); never fails the job. */
  private progress(chatId: number, replyTo: number, calls: TelegramCalls): StartProgress {
    return async (text) => {
      let sent: { message_id: number } | undefined;
      try {
        sent = await calls.sendMessage(chatId, text, { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } });
      } catch (error) {
        this.app.logger.warn({ err: apiFailure(error), chat: chatId }, 'progress message not sent');
      }
      let last = Date.now();
      return {
        async update(next, final = false) {
          if (!sent || (!final && Date.now() - last < PROGRESS_MS)) return;
          last = Date.now();
          await calls.editMessageText(chatId, sent.message_id, next, {}).catch(() => undefined);
        },
      };
    };
  }

  /** Sends a file as a document replying to the message that asked for it; the caption alone where files cannot be sent. */
  private async sendFile(chatId: number, replyTo: number, reply: BotReply, file: OutgoingFile, calls: TelegramCalls): Promise<void> {
    if (file.picture && calls.sendPhoto) {
      await this.sendPhoto(chatId, replyTo, reply, file, calls);
      return;
    }
    if (!calls.sendDocument) {
      await this.deliver(chatId, replyTo, { ...reply, text: `${file.caption}\n${FILES_UNAVAILABLE}` }, undefined, calls, false);
      return;
    }
    try {
      await calls.sendDocument(chatId, file, { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } });
    } catch (error) {
      this.app.logger.error({ err: apiFailure(error), chat: chatId, file: file.name }, 'telegram document failed');
    }
  }

  /**
   * Sends a picture as a photo replying to the message that asked for it. Its text is the caption when
   * it fits one; otherwise the photo goes with the text's first line and the whole text follows as
   * messages. A photo Telegram refuses leaves the text to say it all.
   */
  private async sendPhoto(chatId: number, replyTo: number, reply: BotReply, file: OutgoingFile, calls: TelegramCalls): Promise<void> {
    const fits = file.caption.length <= TELEGRAM_CAPTION_LIMIT;
    const caption = fits ? file.caption : (file.caption.split('\n')[0] ?? '').slice(0, TELEGRAM_CAPTION_LIMIT);
    try {
      await calls.sendPhoto?.(chatId, file, { caption, reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } });
    } catch (error) {
      this.app.logger.error({ err: apiFailure(error), chat: chatId, file: file.name }, 'telegram photo failed');
      await this.deliver(chatId, replyTo, reply, undefined, calls, false);
      return;
    }
    if (!fits) await this.deliver(chatId, replyTo, reply, undefined, calls, false);
  }

  /**
   * Handles an edited message. Within EDIT_WINDOW_SECONDS the entries of the message's latest
   * version are reversed and the new text is handled as a new version of the message; the bot's
   * confirmation is edited to match. Later edits change nothing and get a hint once.
   */
  async onEditedMessage(message: TgMessage, me: BotIdentity, calls: TelegramCalls): Promise<boolean> {
    const mapped = toGatewayMessage(message, me);
    if (!mapped.ok) return false;
    const base = mapped.message;
    const editedAt = message.edit_date ?? message.date;
    const failed = async (error?: unknown): Promise<never> => {
      if (error !== undefined) this.app.logger.error({ err: error, platform: 'telegram', chat: base.chatId }, 'edited message failed');
      await this.deliver(message.chat.id, message.message_id, { text: FAILED, entrySeqs: [], duplicate: false }, undefined, calls, false);
      throw new UpdateNotHandledError('edited_message', error);
    };
    let found: { shopId: number; live: { version: string; seqs: number[] }[]; reverses: boolean } | undefined;
    try {
      const binding = await this.app.access.bindingOf('telegram', base.chatId);
      if (binding) found = { shopId: binding.shopId, ...await this.versions(binding.shopId, base.chatId, message.message_id, message.date, editedAt) };
    } catch (error) {
      return failed(error);
    }
    if (!found) return false;
    const { live, reverses } = found;
    const hint = async (text: string): Promise<boolean> => {
      const key = `${base.chatId}:${base.messageId}:${editedAt}`;
      if (this.hints.has(key)) return true;
      this.hints.set(key, true);
      await this.deliver(message.chat.id, message.message_id, { text, entrySeqs: [], duplicate: false }, undefined, calls, false);
      return true;
    };

    if (editedAt - message.date > EDIT_WINDOW_SECONDS) {
      if (live.length === 0) return false;
      const seq = live[0]?.seqs[0];
      return hint(`✏️ 消息发出已超过 ${EDIT_WINDOW_SECONDS / 60} 分钟，修改不会更正账目。要更正请回复这条消息「撤销」后重发，或发「改 #${seq} 数量 …」。`);
    }
    // Re-running an undo or a correction would reverse something else; those are sent anew.
    if (reverses || UNDO_OR_CORRECT.test(base.text.trim())) {
      return hint('✏️ 撤销和更正不能靠修改消息来改，账目没有变。需要的话请另发一条。');
    }

    const undone: string[] = [];
    for (const [i, version] of live.entries()) {
      const undo = await this.run({
        ...base,
        messageId: `${base.messageId}:u${editedAt}${i === 0 ? '' : `.${i}`}`,
        text: '撤销',
        replyTo: { messageId: version.version, fromBot: false },
      });
      if (!undo) continue;
      if (undo.failed) return failed();
      // This edit was handled before (a redelivered update).
      if (undo.duplicate) return true;
      if (undo.entrySeqs.length === 0) {
        const text = `✏️ 修改没有更正账目：${undo.text.replace(/^[❌⛔]\s*/u, '')}`;
        await this.deliver(message.chat.id, message.message_id, { text, entrySeqs: [], duplicate: false }, undefined, calls, false);
        return true;
      }
      undone.push(undo.text);
    }

    const version = `${base.messageId}:e${editedAt}`;
    const next = await this.run({ ...base, messageId: version });
    // What was undone stays undone; a redelivery finds no live version and records the new text.
    if (next?.failed) return failed();
    if (next?.duplicate) return true;
    if (!next && undone.length === 0) return false;
    const text = [...(undone.length > 0 ? ['✏️ 已按修改后的消息更正：', ...undone] : []), next?.text ?? EDIT_NOT_A_COMMAND].join('\n');
    const reply: BotReply = { text, intent: next?.intent, entrySeqs: next?.entrySeqs ?? [], duplicate: false };
    await this.revise(message.chat.id, message.message_id, reply, version, calls);
    return true;
  }

  /**
   * Handles a press on a 「撤销」 button: undoes the entries of the message the confirmation
   * answered, as the person who pressed it (staff may undo only their own), and edits the
   * confirmation to say so. Returns false for buttons that are not ours.
   */
  async onCallbackQuery(query: TgCallbackQuery, calls: TelegramCalls): Promise<boolean> {
    if (query.data === undefined || !query.data.startsWith(UNDO_CALLBACK_PREFIX)) return false;
    const source = query.data.slice(UNDO_CALLBACK_PREFIX.length);
    const shown = query.message;
    if (!shown || shown.date === 0) {
      await this.answer(calls, query.id, { text: '这条消息太旧了。请回复原消息「撤销」，或发「撤销 #编号」。', show_alert: true });
      return true;
    }
    const reply = await this.run({
      platform: 'telegram',
      chatId: String(shown.chat.id),
      chatType: chatTypeOf(shown.chat),
      // One press is one message: a redelivered press undoes nothing more.
      messageId: `cb:${query.id}`,
      userId: String(query.from.id),
      userName: displayName(query.from),
      userHandle: query.from.username,
      chatTitle: shown.chat.title,
      text: '撤销',
      replyTo: { messageId: source, fromBot: false },
    });
    if (reply?.failed) {
      await this.answer(calls, query.id, { text: FAILED, show_alert: true });
      throw new UpdateNotHandledError('callback_query');
    }
    if (!reply || reply.duplicate) {
      await this.answer(calls, query.id, {});
      return true;
    }
    if (reply.entrySeqs.length === 0) {
      await this.answer(calls, query.id, { text: truncate(reply.text, 200), show_alert: true });
      return true;
    }
    await this.answer(calls, query.id, { text: '已撤销' });
    const before = (shown.text ?? '').replace(UNDO_HINT, '').trimEnd();
    const text = before === '' ? reply.text : `${before}\n${reply.text}`;
    try {
      if (text.length > TELEGRAM_TEXT_LIMIT) throw new Error('edited confirmation too long');
      // Without reply_markup Telegram removes the button: the entries are undone now.
      await calls.editMessageText(shown.chat.id, shown.message_id, text, {});
    } catch (error) {
      if (!notModified(error)) {
        this.app.logger.warn({ err: apiFailure(error), chat: shown.chat.id }, 'could not edit the confirmation; replying instead');
        await this.deliver(shown.chat.id, shown.message_id, reply, undefined, calls, false);
      }
    }
    return true;
  }

  private async respond(message: GatewayMessage): Promise<BotReply | null> {
    try {
      return await this.app.gateway.respond(message);
    } catch (error) {
      this.app.logger.error({ err: error, platform: 'telegram', chat: message.chatId }, 'message failed');
      return { text: FAILED, entrySeqs: [], duplicate: false, failed: true };
    }
  }

  private async run(message: GatewayMessage): Promise<BotReply | null> {
    try {
      return await this.app.gateway.handle(message);
    } catch (error) {
      this.app.logger.error({ err: error, platform: 'telegram', chat: message.chatId }, 'message failed');
      return { text: FAILED, entrySeqs: [], duplicate: false, failed: true };
    }
  }

  /** Sends a reply (split if long) to a user's message; a write's confirmation carries the undo button. */
  private async deliver(chatId: number, replyTo: number, reply: BotReply, source: string | undefined, calls: TelegramCalls, remember = true): Promise<void> {
    const parts = splitMessage(reply.text);
    const keyboard = source === undefined ? undefined : undoKeyboard(reply, source);
    try {
      let first: number | undefined;
      for (const [i, part] of parts.entries()) {
        const sent = await calls.sendMessage(chatId, part, {
          reply_parameters: i === 0 ? { message_id: replyTo, allow_sending_without_reply: true } : undefined,
          reply_markup: i === parts.length - 1 ? keyboard : undefined,
        });
        first ??= sent.message_id;
      }
      if (remember && first !== undefined) this.confirmations.set(`${chatId}:${replyTo}`, first);
    } catch (error) {
      // The books are already written; a reply Telegram refused is logged, not retried forever.
      this.app.logger.error({ err: apiFailure(error), chat: chatId }, 'telegram reply failed');
    }
  }

  /** Edits the confirmation of an edited message, or replies anew when it is unknown or too long. */
  private async revise(chatId: number, replyTo: number, reply: BotReply, source: string, calls: TelegramCalls): Promise<void> {
    const confirmation = this.confirmations.get(`${chatId}:${replyTo}`);
    if (confirmation !== undefined && reply.text.length <= TELEGRAM_TEXT_LIMIT) {
      try {
        await calls.editMessageText(chatId, confirmation, reply.text, { reply_markup: undoKeyboard(reply, source) });
        return;
      } catch (error) {
        if (notModified(error)) return;
        this.app.logger.warn({ err: apiFailure(error), chat: chatId }, 'could not edit the confirmation; replying instead');
      }
    }
    await this.deliver(chatId, replyTo, reply, source, calls);
  }

  private async answer(calls: TelegramCalls, id: string, options: { text?: string; show_alert?: boolean }): Promise<void> {
    try {
      await calls.answerCallbackQuery(id, options);
    } catch (error) {
      this.app.logger.warn({ err: apiFailure(error) }, 'answerCallbackQuery failed');
    }
  }

  /**
   * The versions of a message that still have entries not undone — the original and each edit
   * handled so far (`<id>:e<edit_date>`, edits inside the window only) — and whether any version
   * itself reversed entries (it was an undo or a correction). Read from the store, so an edit after
   * a restart still corrects the latest version rather than recording twice.
   */
  private async versions(shopId: number, chatId: string, messageId: number, sentAt: number, editedAt: number): Promise<{ live: { version: string; seqs: number[] }[]; reverses: boolean }> {
    const candidates = [String(messageId)];
    const last = Math.min(editedAt - 1, sentAt + EDIT_WINDOW_SECONDS);
    for (let t = sentAt; t <= last; t++) candidates.push(`${messageId}:e${t}`);
    return await this.app.store.read(async (uow) => {
      const live: { version: string; seqs: number[] }[] = [];
      let reverses = false;
      for (const version of candidates) {
        const found = await uow.findMessage({ platform: 'telegram', chatId, messageId: version, text: '', actorId: '' });
        if (!found || found.shopId !== shopId) continue;
        const entries = await uow.entriesOfMessage(found.id);
        if (entries.some((e) => e.kind === 'reversal')) reverses = true;
        const open: typeof entries = [];
        for (const e of entries) if (e.kind !== 'reversal' && !(await uow.reversalOf(e.id))) open.push(e);
        if (open.length > 0) live.push({ version, seqs: open.map((e) => e.seq) });
      }
      return { live, reverses };
    });
  }

  /** A group that became a supergroup gets a new chat id; its binding follows it. */
  private async migrate(from: number, to: number): Promise<void> {
    const old = await this.app.access.bindingOf('telegram', String(from));
    if (!old || await this.app.access.bindingOf('telegram', String(to))) return;
    await this.app.access.bind({ ...old, chatId: String(to) }, this.app.clock.now());
    await this.app.access.unbind('telegram', String(from));
    this.app.logger.info({ shop: old.shopId, from, to }, 'telegram group upgraded to a supergroup; binding moved');
  }
}

/**
 * An update whose handling failed (the database was busy, …) after the user was told so: nothing of
 * it was committed, so it must not be remembered as handled and a redelivery tries it again.
 */
export class UpdateNotHandledError extends Error {
  constructor(
    readonly update: 'message' | 'edited_message' | 'callback_query',
    cause?: unknown,
  ) {
    super(`telegram ${update} not handled; left for a redelivery`, { cause });
    this.name = 'UpdateNotHandledError';
  }
}

/** The 「撤销」 button for a write's confirmation; none for queries, refusals and repeats. */
export function undoKeyboard(reply: BotReply, source: string): UndoKeyboard | undefined {
  if (reply.duplicate || reply.entrySeqs.length === 0 || !isWriteIntent(reply.intent)) return undefined;
  const data = `${UNDO_CALLBACK_PREFIX}${source}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) return undefined;
  return { inline_keyboard: [[{ text: '撤销', callback_data: data }]] };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Telegram refuses an edit that changes nothing; that is not a failure. */
function notModified(error: unknown): boolean {
  return error instanceof Error && error.message.includes('message is not modified');
}
