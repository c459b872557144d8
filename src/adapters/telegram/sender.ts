import type { BotLogger } from '../../bot/engine.ts';
import type { ChatSender, DeliveryResult } from '../../bot/outbox.ts';
import type { AccessStore } from '../../core/access.ts';
import type { Clock } from '../../core/ports.ts';
import { splitMessage } from './split-message.ts';

/** Sends one text message; grammY's `api.sendMessage` and Telegraf's `telegram.sendMessage` both fit. */
export type SendText = (chatId: number | string, text: string) => Promise<unknown>;

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
export function telegramSender(sendText: SendText, app: { access: AccessStore; clock: Clock; logger: BotLogger }): ChatSender {
  async function sendAll(chatId: string, text: string): Promise<DeliveryResult> {
    for (const part of splitMessage(text)) await sendText(chatIdFor(chatId), part);
    return { ok: true };
  }
  return {
    platform: 'telegram',
    async send(chatId, text) {
      try {
        return await sendAll(chatId, text);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal?.migrateTo !== undefined) {
          const to = String(refusal.migrateTo);
          const binding = app.access.bindingOf('telegram', chatId);
          if (binding && !app.access.bindingOf('telegram', to)) {
            app.access.bind({ ...binding, chatId: to }, app.clock.now());
            app.access.unbind('telegram', chatId);
            app.logger.info({ shop: binding.shopId, from: chatId, to }, 'telegram group upgraded to a supergroup; binding moved');
          }
          try {
            return await sendAll(to, text);
          } catch (retryError) {
            return failure(retryError);
          }
        }
        return failure(error);
      }
    },
  };
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
