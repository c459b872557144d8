import type { BotLogger } from '../../bot/engine.ts';
import type { ChatSender, DeliveryResult, OutgoingPicture } from '../../bot/outbox.ts';
import type { AccessStore } from '../../core/access.ts';
import type { Clock } from '../../core/ports.ts';
import { splitMessage, TELEGRAM_CAPTION_LIMIT } from './split-message.ts';

/** Sends one text message; grammY's `api.sendMessage` and Telegraf's `telegram.sendMessage` both fit. */
export type SendText = (chatId: number | string, text: string) => Promise<unknown>;

/** Sends one photo with a caption (at most TELEGRAM_CAPTION_LIMIT characters). */
export type SendPhoto = (chatId: number | string, picture: OutgoingPicture, caption: string) => Promise<unknown>;

/** What Telegram said when it refused a call, read from grammY's GrammyError or Telegraf's TelegramError. */
interface Refusal {
  code: number;
  description: string;
  migrateTo: number | undefined;
}

function refusalOf(error: unknown): Refusal | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { error_code?: unknown; code?: unknown; description?: unknown; parameters?: { migrate_to_chat_id?: unknown } };
  const code = typeof e.error_code === 'number' ? e.error_code : typeof e.code === 'number' ? e.code : undefined;
  if (code === undefined) return undefined;
  const migrateTo = e.parameters?.migrate_to_chat_id;
  return { code, description: typeof e.description === 'string' ? e.description : '', migrateTo: typeof migrateTo === 'number' ? migrateTo : undefined };
}

/** Telegram will never deliver to this chat again: the bot was blocked, kicked or the chat is gone. */
function isPermanent(refusal: Refusal): boolean {
  return refusal.code === 403 || (refusal.code === 400 && /chat not found|chat was deactivated|bot was kicked/i.test(refusal.description));
}

/**
 * The outbox's Telegram sender, for the digest and alerts. Long texts are split on line
 * boundaries; a group that became a supergroup is followed (binding moved, message resent);
 * a chat that blocked or removed the bot is reported as permanent so it is not retried.
 * Rate limits and network retries are the bot's API transformers' job.
 */
export function telegramSender(sendText: SendText, app: { access: AccessStore; clock: Clock; logger: BotLogger }, sendPhoto?: SendPhoto): ChatSender {
  async function sendAll(chatId: string, text: string): Promise<DeliveryResult> {
    for (const part of splitMessage(text)) await sendText(chatIdFor(chatId), part);
    return { ok: true };
  }
  /** The photo with the text as caption when it fits; else with its first line, and the text after it. */
  async function sendWithPhoto(photo: SendPhoto, chatId: string, picture: OutgoingPicture, text: string): Promise<DeliveryResult> {
    if (text.length <= TELEGRAM_CAPTION_LIMIT) {
      await photo(chatIdFor(chatId), picture, text);
      return { ok: true };
    }
    await photo(chatIdFor(chatId), picture, (text.split('\n')[0] ?? '').slice(0, TELEGRAM_CAPTION_LIMIT));
    return sendAll(chatId, text);
  }
  const sender: ChatSender = {
    platform: 'telegram',
    send: (chatId, text) => following(chatId, (to) => sendAll(to, text)),
  };
  if (sendPhoto) sender.sendPicture = (chatId, picture, text) => following(chatId, (to) => sendWithPhoto(sendPhoto, to, picture, text));
  return sender;

  /** Runs a delivery, following a group that became a supergroup once. */
  async function following(chatId: string, deliver: (chatId: string) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    try {
      return await deliver(chatId);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal?.migrateTo !== undefined) {
        const to = String(refusal.migrateTo);
        const binding = await app.access.bindingOf('telegram', chatId);
        if (binding && !await app.access.bindingOf('telegram', to)) {
          await app.access.bind({ ...binding, chatId: to }, app.clock.now());
          await app.access.unbind('telegram', chatId);
          app.logger.info({ shop: binding.shopId, from: chatId, to }, 'telegram group upgraded to a supergroup; binding moved');
        }
        try {
          return await deliver(to);
        } catch (retryError) {
          return failure(retryError);
        }
      }
      return failure(error);
    }
  }
}

function failure(error: unknown): DeliveryResult {
  const refusal = refusalOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, permanent: refusal !== undefined && isPermanent(refusal), error: message };
}

/** Telegram chat ids are numbers; bindings store them as text. */
export function chatIdFor(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}
