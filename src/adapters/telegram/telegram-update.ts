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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

function userProblem(user: unknown, where: string): string | undefined {
  if (!isObject(user)) return `${where} is not a user`;
  if (!isInt(user.id)) return `${where}.id is not an integer`;
  if (user.is_bot !== undefined && typeof user.is_bot !== 'boolean') return `${where}.is_bot is not a boolean`;
  if (!optionalString(user.first_name) || !optionalString(user.last_name) || !optionalString(user.username)) return `${where} has a name that is not text`;
  return undefined;
}

function chatProblem(chat: unknown, where: string): string | undefined {
  if (!isObject(chat)) return `${where} is missing`;
  if (!isInt(chat.id)) return `${where}.id is not an integer`;
  if (typeof chat.type !== 'string') return `${where}.type is not text`;
  if (!optionalString(chat.title)) return `${where}.title is not text`;
  return undefined;
}

function messageProblem(message: unknown, where: string): string | undefined {
  if (!isObject(message)) return `${where} is not an object`;
  if (!isInt(message.message_id)) return `${where}.message_id is not an integer`;
  if (!isInt(message.date)) return `${where}.date is not an integer`;
  const chat = chatProblem(message.chat, `${where}.chat`);
  if (chat) return chat;
  // Only posts in channels come without a sender; the bot reads `from` of everything else.
  if (message.from === undefined && (message.chat as { type: string }).type !== 'channel') return `${where}.from is missing`;
  if (message.from !== undefined) {
    const from = userProblem(message.from, `${where}.from`);
    if (from) return from;
  }
  if (!optionalString(message.text)) return `${where}.text is not text`;
  if (!optionalString(message.caption)) return `${where}.caption is not text`;
  for (const key of ['sender_chat', 'via_bot', 'document', 'reply_markup'] as const) {
    if (message[key] !== undefined && !isObject(message[key])) return `${where}.${key} is not an object`;
  }
  if (message.sender_chat !== undefined) {
    const problem = chatProblem(message.sender_chat, `${where}.sender_chat`);
    if (problem) return problem;
  }
  if (isObject(message.document)) {
    const d = message.document;
    if (typeof d.file_id !== 'string' || !optionalString(d.file_name) || (d.file_size !== undefined && !isInt(d.file_size))) return `${where}.document is malformed`;
  }
  if (message.reply_to_message !== undefined) {
    const replied = message.reply_to_message;
    if (!isObject(replied) || !isInt(replied.message_id)) return `${where}.reply_to_message is malformed`;
    if (!optionalString(replied.text) || !optionalString(replied.caption)) return `${where}.reply_to_message has text that is not text`;
    if (replied.from !== undefined && userProblem(replied.from, `${where}.reply_to_message.from`)) return `${where}.reply_to_message.from is malformed`;
    if (replied.reply_markup !== undefined && !isObject(replied.reply_markup)) return `${where}.reply_to_message.reply_markup is malformed`;
  }
  return undefined;
}

/**
 * Says what is wrong with an update whose shape the bot cannot read — `null`, a message without a
 * sender or with text that is not text — or undefined when it is well formed. Such an update passed
 * Telegram's secret check yet cannot have come from Telegram as documented; it is dropped and logged
 * rather than failing deep inside a handler (which a webhook would answer with 500, to be sent again).
 */
export function malformedUpdate(update: unknown): string | undefined {
  if (!isObject(update)) return update === null ? 'the update is null' : 'the update is not an object';
  if (!isInt(update.update_id)) return 'update_id is not an integer';
  for (const key of ['message', 'edited_message', 'channel_post', 'edited_channel_post'] as const) {
    if (update[key] !== undefined) {
      const problem = messageProblem(update[key], key);
      if (problem) return problem;
    }
  }
  if (update.callback_query !== undefined) {
    const query = update.callback_query;
    if (!isObject(query) || typeof query.id !== 'string') return 'callback_query.id is not text';
    const from = userProblem(query.from, 'callback_query.from');
    if (from) return from;
    if (!optionalString(query.data)) return 'callback_query.data is not text';
    if (query.message !== undefined) {
      if (!isObject(query.message) || !isInt(query.message.message_id) || !isInt(query.message.date)) return 'callback_query.message is malformed';
      const chat = chatProblem(query.message.chat, 'callback_query.message.chat');
      if (chat) return chat;
      if (!optionalString(query.message.text)) return 'callback_query.message.text is not text';
    }
  }
  return undefined;
}
