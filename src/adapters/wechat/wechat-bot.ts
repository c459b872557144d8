import { types, WechatyBuilder, type Contact, type Message, type Room, type Wechaty } from 'wechaty';
import type { BotLogger } from '../../bot/engine.ts';
import { PRIVATE_HINT } from '../../bot/engine.ts';
import type { ChatGateway, GatewayMessage } from '../../bot/gateway.ts';
import type { ChatSender, DeliveryResult } from '../../bot/outbox.ts';
import { splitQuote, stripBotMention } from './message-text.ts';
import { DEFAULT_PACING, SendPacer, type Pacing, type PacerTimer } from './pacer.ts';
import { splitForWechat, WECHAT_MAX_CHARS } from './split-text.ts';
import { RecentIds, type HandledMessages } from './recent-ids.ts';
import { incomingFile, isFileMessage, wechatFileSender, WechatChatNotFound } from './wechat-files.ts';

/** The platform name WeChat chats are bound under. */
export const WECHAT_PLATFORM = 'wechat';

/** A Wechaty puppet instance (wechaty-puppet-service, -wechat4u, -mock, …). */
export type WechatPuppet = Wechaty['puppet'];

/** What the WeChat bot needs from the application: the front door for messages and a logger. */
export interface WechatApp {
  gateway: ChatGateway;
  logger: BotLogger;
  /** Messages handled without writing, kept across restarts; without it they are remembered in memory only. */
  handled?: HandledMessages | undefined;
}

/** How to build a WeChat bot; only the puppet is required. */
export interface WechatBotOptions {
  /** The puppet to drive; the bot never picks one itself, so tests and embedders pass their own. */
  puppet: WechatPuppet;
  /**
   * Wechaty's name. With a name Wechaty keeps the login session in `<name>.memory-card.json` (a path
   * may be given), so a restart does not ask for the QR code again; without one nothing is written.
   */
  name?: string | undefined;
  /** Defaults to the app's logger. */
  logger?: BotLogger | undefined;
  /** Gaps between outgoing messages; tests shorten them. */
  pacing?: Pacing | undefined;
  /** Clock of the send queue; tests pass a virtual one. */
  timer?: PacerTimer | undefined;
  /** Longest single message before a reply is split. */
  maxChars?: number | undefined;
}

/** A running (or startable) WeChat bot. */
export interface WechatBot {
  readonly wechaty: Wechaty;
  readonly puppet: WechatPuppet;
  /** Sends unprompted messages (the daily digest) through the same paced queue as replies; register it on the outbox. */
  readonly sender: ChatSender;
  start(): Promise<void>;
  /** Finishes the messages in hand, sends what is queued, then stops Wechaty. */
  stop(): Promise<void>;
  /**
   * Resolves once every message the puppet has delivered so far has been handled and every reply
   * sent. Used by stop() and by tests that need to know a message was ignored.
   */
  idle(): Promise<void>;
}

/** How long idle() waits for a message the puppet announced but Wechaty never handed over (it failed to load). */
const LOST_MESSAGE_MS = 3000;

type Conversation = Room | Contact;

/**
 * Builds the WeChat adapter around a Wechaty instance: maps each message to the gateway's
 * platform-neutral form, ignores what is not for it, and sends answers through a paced queue.
 * A factory instead of a module singleton so several bots (and tests) can run side by side.
 */
export function createWechatBot(app: WechatApp, options: WechatBotOptions): WechatBot {
  const logger = options.logger ?? app.logger;
  const puppet = options.puppet;
  const maxChars = options.maxChars ?? WECHAT_MAX_CHARS;
  const wechaty = WechatyBuilder.build(options.name === undefined ? { puppet } : { puppet, name: options.name });
  const conversations = new Map<string, Conversation>();
  const pacer = new SendPacer((chatId, text) => deliver(chatId, text), options.pacing ?? DEFAULT_PACING, options.timer);
  // Puppets redeliver recent messages after a reconnect; answering them again would repeat replies and issue new binding codes.
  const recent = new RecentIds(5000, app.handled ? { store: app.handled, platform: WECHAT_PLATFORM } : undefined);
  /** Messages per chat are handled one after another, in the order they arrived. */
  const chains = new Map<string, Promise<void>>();
  /** Message ids the puppet announced that have not reached the handler yet, with when they were announced. */
  const announced: { id: string; at: number }[] = [];

  puppet.on('message', ({ messageId }) => {
    const now = Date.now();
    forgetLost(now);
    announced.push({ id: messageId, at: now });
  });

  /** Drops announcements Wechaty never followed with a message (it failed to load it and emitted an error instead). */
  function forgetLost(now: number): void {
    while (announced.length > 0 && now - (announced[0]?.at ?? now) > LOST_MESSAGE_MS) announced.shift();
  }

  wechaty.on('message', (message) => {
    const at = announced.findIndex((a) => a.id === message.id);
    if (at >= 0) announced.splice(at, 1);
    const room = message.room();
    const chatId = room ? room.id : message.talker().id;
    const previous = chains.get(chatId) ?? Promise.resolve();
    const next = previous.then(() => receive(message)).catch((error: unknown) => {
      logger.error({ err: error, platform: WECHAT_PLATFORM, chat: chatId, messageId: message.id }, 'wechat message failed');
    });
    chains.set(chatId, next);
    void next.finally(() => {
      if (chains.get(chatId) === next) chains.delete(chatId);
    });
  });

  wechaty.on('error', (error) => {
    logger.warn({ err: { message: error.message, name: error.name } }, 'wechat error');
  });

  async function receive(message: Message): Promise<void> {
    const started = performance.now();
    const skip = (reason: string) => logger.debug({ platform: WECHAT_PLATFORM, messageId: message.id, reason }, 'wechat message ignored');
    if (message.self()) return skip('own message');
    const isFile = isFileMessage(message);
    if (message.type() !== types.Message.Text && !isFile) return skip('not text');
    const talker = message.talker();
    if (talker.type() === types.Contact.Official) return skip('official account');
    if (await recent.has(message.id)) return skip('redelivered');

    const room = message.room();
    const chatId = room ? room.id : talker.id;
    conversations.set(chatId, room ?? talker);
    const self = wechaty.currentUser;
    const selfAlias = room ? await room.alias(self) : undefined;
    const mentionedById = room ? await message.mentionSelf() : false;
    const unmentioned = stripBotMention(message.text(), [self.name(), selfAlias]);
    const { body, quote } = splitQuote(unmentioned.text);
    const mentioned = mentionedById || unmentioned.mentioned;
    const displayName = (room ? await room.alias(talker) : undefined) || talker.name();
    const quotesBot = quote !== undefined && (quote.name === self.name() || quote.name === selfAlias);

    const incoming: GatewayMessage = {
      platform: WECHAT_PLATFORM,
      chatId,
      chatType: room ? 'group' : 'private',
      messageId: message.id,
      userId: talker.id,
      userName: displayName,
      userHandle: talker.name() || undefined,
      text: isFile ? '' : body,
      file: isFile ? await incomingFile(message) : undefined,
      // WeChat quotes carry no message id; a quoted bot confirmation names its entry (#123), which is enough to undo it.
      replyTo: quotesBot ? { messageId: '', text: quote.text, fromBot: true } : undefined,
      chatTitle: room ? await room.topic() : undefined,
    };

    const reply = await app.gateway.respond(incoming);
    const log = { platform: WECHAT_PLATFORM, chat: chatId, messageId: message.id, intent: reply?.intent, entries: reply?.entrySeqs };
    if (reply?.duplicate) {
      await recent.remember(message.id, false);
      logger.info({ ...log, duplicate: true }, 'wechat message already applied');
      return;
    }
    // Someone who @mentions the bot expects an answer even when the words were not a command.
    const text = reply?.text ?? (mentioned ? PRIVATE_HINT : undefined);
    // Marked only now that handling finished: a message whose handling threw is tried again when redelivered.
    // A failure (the database was busy) is answered but not marked, so a redelivery can still apply it.
    if (!reply?.failed) await markHandled(message.id, text !== undefined);
    if (text === undefined) return skip('not a command');
    // Awaited, unlike text: the file follows its caption through the queue before the chat's next message.
    if (reply?.file) return void (await files.sendFile(chatId, reply.file));
    // Not awaited: the next message in this chat need not wait for the pacing gap; the queue keeps replies in order.
    sendText(chatId, text).catch((error: unknown) => {
      logger.warn({ ...log, err: error instanceof Error ? { message: error.message, name: error.name } : String(error) }, 'wechat reply not sent');
    });
    logger.debug({ ...log, ms: Math.round(performance.now() - started) }, 'wechat message answered');
  }

  /** Remembers a handled message; only answered ones go to the database (group chatter is not worth a write). */
  async function markHandled(id: string, answered: boolean): Promise<void> {
    try {
      await recent.remember(id, answered);
    } catch (error) {
      logger.warn({ platform: WECHAT_PLATFORM, messageId: id, err: error instanceof Error ? { message: error.message, name: error.name } : String(error) }, 'could not remember a handled wechat message');
    }
  }

  /** Queues every part at once, so parts of one reply are not interleaved with the next reply to the same chat. */
  async function sendText(chatId: string, text: string): Promise<void> {
    const results = await Promise.allSettled(splitForWechat(text, maxChars).map((part) => pacer.send(chatId, part)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async function deliver(chatId: string, text: string): Promise<void> {
    const conversation = conversations.get(chatId) ?? (await findConversation(chatId));
    if (!conversation) throw new ChatNotFoundError(chatId);
    await conversation.say(text);
  }

  async function findConversation(chatId: string): Promise<Conversation | undefined> {
    // Room ids of the WeChat protocols end in @chatroom; trying that kind first avoids a failed lookup (and its logged error).
    const lookups = [() => wechaty.Room.find({ id: chatId }), () => wechaty.Contact.find({ id: chatId })];
    if (!chatId.endsWith('@chatroom')) lookups.reverse();
    for (const lookup of lookups) {
      const found = await lookup();
      if (found) {
        conversations.set(chatId, found);
        return found;
      }
    }
    return undefined;
  }

  const files = wechatFileSender(async (chatId) => conversations.get(chatId) ?? (await findConversation(chatId)), sendText);

  const sender: ChatSender = {
    platform: WECHAT_PLATFORM,
    async send(chatId: string, text: string): Promise<DeliveryResult> {
      if (!wechaty.isLoggedIn) return { ok: false, permanent: false, error: 'WeChat is not logged in' };
      try {
        await sendText(chatId, text);
        return { ok: true };
      } catch (error) {
        // Logged in and the room or person is unknown: the bot was removed from the group or the friend deleted it.
        if (error instanceof ChatNotFoundError) return { ok: false, permanent: true, error: error.message };
        return { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    async sendPicture(chatId, picture, text): Promise<DeliveryResult> {
      if (!wechaty.isLoggedIn) return { ok: false, permanent: false, error: 'WeChat is not logged in' };
      try {
        await files.sendFile(chatId, { name: picture.name, caption: text, bytes: picture.bytes, picture: true });
        return { ok: true };
      } catch (error) {
        if (error instanceof ChatNotFoundError || error instanceof WechatChatNotFound) return { ok: false, permanent: true, error: error.message };
        return { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };

  async function idle(): Promise<void> {
    for (;;) {
      forgetLost(Date.now());
      if (announced.length === 0 && chains.size === 0 && !pacer.busy) return;
      if (chains.size > 0) await Promise.all(chains.values());
      else if (pacer.busy) await pacer.idle();
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    wechaty,
    puppet,
    sender,
    start: () => wechaty.start(),
    async stop() {
      await idle();
      await wechaty.stop();
    },
    idle,
  };
}

/** The chat to send to is not known to WeChat (any more). */
export class ChatNotFoundError extends Error {
  constructor(readonly chatId: string) {
    super(`WeChat chat ${chatId} not found`);
    this.name = 'ChatNotFoundError';
  }
}
