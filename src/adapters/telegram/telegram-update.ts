import type { GatewayMessage } from '../../bot/gateway.ts';

/** Callback data of the 「撤销」 button: the prefix, then the id of the message whose entries it undoes. */
export const UNDO_CALLBACK_PREFIX = 'undo:';

/**
 * The parts of Telegram's objects the bot reads. They are declared here, structurally, so that
 * grammY's and Telegraf's update types both fit and one conversation serves both libraries.
 */
export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string | undefined;
  username?: string | undefined;
}

/** A chat as Telegram describes it; `type` is private, group, supergroup or channel. */
export interface TgChat {
  id: number;
  type: string;
  title?: string | undefined;
}

/** The message a message replies to (Telegram does not nest replies further). */
export interface TgRepliedMessage {
  message_id: number;
  from?: TgUser | undefined;
  text?: string | undefined;
  caption?: string | undefined;
  /** Telegram includes the replied message's inline keyboard: our 撤销 button names its source message. */
  reply_markup?: { inline_keyboard?: readonly (readonly { text: string; callback_data?: string | undefined }[])[] | undefined } | undefined;
}

/** A message, edited message or channel post. */
export interface TgMessage {
  message_id: number;
  /** Unix seconds. */
  date: number;
  chat: TgChat;
  from?: TgUser | undefined;
  sender_chat?: TgChat | undefined;
  text?: string | undefined;
  /** Unix seconds of the latest edit. */
  edit_date?: number | undefined;
  reply_to_message?: TgRepliedMessage | undefined;
  forward_origin?: unknown;
  forward_date?: number | undefined;
  via_bot?: TgUser | undefined;
  is_topic_message?: boolean | undefined;
  message_thread_id?: number | undefined;
  /** Service message in a group that became a supergroup: the supergroup's id. */
  migrate_to_chat_id?: number | undefined;
}

/** A press on an inline button. `message` has date 0 when Telegram no longer shows its content. */
export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  data?: string | undefined;
  message?: { message_id: number; date: number; chat: TgChat; text?: string | undefined } | undefined;
}

/** Who the bot is, from getMe: replies to it and `/cmd@name` are recognised by these. */
export interface BotIdentity {
  id: number;
  username: string;
}

/** Why a message is left alone; logged at debug level only. */
export type IgnoreReason = 'channel' | 'from-bot' | 'on-behalf-of-chat' | 'forwarded' | 'via-bot' | 'not-text' | 'other-bot';

export type Mapped = { ok: true; message: GatewayMessage } | { ok: false; reason: IgnoreReason };

const ADDRESSED_COMMAND = /^\/([^\s@/]+)@([A-Za-z0-9_]+)(?=\s|$)/;

/**
 * Undoes Telegram's addressing: `/stock@our_bot x` becomes `/stock x` and a leading `@our_bot`
 * is dropped. A command for another bot in the same group (`/stock@other_bot`) gives undefined.
 */
export function addressedText(text: string, username: string): string | undefined {
  const own = username.toLowerCase();
  const command = ADDRESSED_COMMAND.exec(text);
  if (command) {
    if ((command[2] ?? '').toLowerCase() !== own) return undefined;
    return `/${command[1] ?? ''}${text.slice(command[0].length)}`;
  }
  const mention = `@${own}`;
  if (text.toLowerCase().startsWith(mention) && !/^[A-Za-z0-9_]/.test(text.slice(mention.length))) {
    const rest = text.slice(mention.length).replace(/^[\s,，:：]+/, '');
    return rest === '' ? text : rest;
  }
  return text;
}

/** The sender's display name: first and last name, as Telegram shows it. */
export function displayName(user: TgUser): string {
  return [user.first_name, user.last_name].filter((part) => part !== undefined && part !== '').join(' ');
}

/** Whether a chat is a group for the gateway (groups and supergroups) or a private chat. */
export function chatTypeOf(chat: TgChat): 'private' | 'group' {
  return chat.type === 'private' ? 'private' : 'group';
}

/**
 * Turns a Telegram message into what the gateway reads, or says why it is ignored: channel posts,
 * bots (including anonymous admins, who post as a bot), messages sent on behalf of a chat,
 * forwards, inline-bot results, non-text messages and commands meant for another bot.
 */
export function toGatewayMessage(message: TgMessage, me: BotIdentity): Mapped {
  if (message.chat.type === 'channel') return { ok: false, reason: 'channel' };
  const from = message.from;
  if (!from || from.is_bot) return { ok: false, reason: 'from-bot' };
  if (message.sender_chat) return { ok: false, reason: 'on-behalf-of-chat' };
  // A forwarded line was typed elsewhere, maybe already recorded there.
  if (message.forward_origin !== undefined || message.forward_date !== undefined) return { ok: false, reason: 'forwarded' };
  if (message.via_bot) return { ok: false, reason: 'via-bot' };
  if (typeof message.text !== 'string' || message.text.trim() === '') return { ok: false, reason: 'not-text' };
  const text = addressedText(message.text, me.username);
  if (text === undefined) return { ok: false, reason: 'other-bot' };

  const replied = message.reply_to_message;
  // In forum topics every message "replies" to the topic's first message; that is not a reply.
  const topicRoot = message.is_topic_message === true && replied?.message_id === message.message_thread_id;
  const fromBot = replied?.from?.id === me.id;
  // Replying to a confirmation that still has its 撤销 button means that button's message: all its entries.
  const button = fromBot ? replied?.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data : undefined;
  const source = button?.startsWith(UNDO_CALLBACK_PREFIX) ? button.slice(UNDO_CALLBACK_PREFIX.length) : undefined;
  return {
    ok: true,
    message: {
      platform: 'telegram',
      chatId: String(message.chat.id),
      chatType: chatTypeOf(message.chat),
      messageId: String(message.message_id),
      userId: String(from.id),
      userName: displayName(from),
      userHandle: from.username,
      chatTitle: message.chat.title,
      text,
      replyTo:
        replied && !topicRoot
          ? source !== undefined && source !== ''
            ? { messageId: source, text: replied.text, fromBot: false }
            : { messageId: String(replied.message_id), text: replied.text ?? replied.caption, fromBot }
          : undefined,
    },
  };
}
