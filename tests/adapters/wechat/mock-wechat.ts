import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { Pacing } from '../../../src/adapters/wechat/pacer.ts';
import { createWechatBot, type WechatBot } from '../../../src/adapters/wechat/wechat-bot.ts';
import { createConfig } from '../../../src/config.ts';
import { createApp, type App } from '../../../src/main.ts';
import { migratedDatabaseFile } from '../../helpers/db.ts';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;
export type { ContactMock, RoomMock };

/** One message the bot sent, as the mock puppet saw it. */
export interface Sent {
  chatId: string;
  text: string;
  /** Date.now() when the puppet was asked to send it. */
  at: number;
}

/** A real Wechaty on the mock puppet, logged in as the bot, over a throwaway SQLite file or the database given. */
export interface MockWechat {
  app: App;
  bot: WechatBot;
  mocker: mock.Mocker;
  puppet: PuppetMock;
  /** The bot's own WeChat account. */
  me: ContactMock;
  /** Everything the bot has sent, in order. */
  sent: Sent[];
  /** Log records (parsed pino lines). */
  logs: Record<string, unknown>[];
  contact(name: string, payload?: Record<string, unknown>): ContactMock;
  room(topic: string, members: ContactMock[]): RoomMock;
  /** `from` writes `text` to a room or to the bot; resolves with the message id and the bot's answers there once it is handled. */
  say(from: ContactMock, text: string, to: RoomMock | ContactMock, mentions?: ContactMock[]): Promise<{ id: string; replies: string[] }>;
  /** The puppet delivers an already delivered message again, as puppets do after a reconnect. */
  redeliver(messageId: string, to: RoomMock | ContactMock): Promise<string[]>;
  close(): Promise<void>;
}

/** How a test wants its mock WeChat. */
export interface MockWechatOptions {
  /** The bot account's WeChat name. */
  botName?: string;
  /** Reuse an app (a restart against the same database); otherwise a fresh one is made. */
  app?: App;
  /** The database of the app made when none is given; a throwaway SQLite file by default. */
  databaseUrl?: string;
  maxChars?: number;
  /** Gaps between sends; none by default so tests run fast. */
  pacing?: Pacing;
}

/** Starts a bot on the mock puppet: `new mock.Mocker()`, login, then rooms and contacts as each test needs. */
export async function startMockWechat(options: MockWechatOptions = {}): Promise<MockWechat> {
  const logs: Record<string, unknown>[] = [];
  let dir: string | undefined;
  let app = options.app;
  // The app made here is closed here; one passed in belongs to the caller.
  const owned = !app;
  if (!app) {
    let url = options.databaseUrl;
    if (url === undefined) {
      dir = mkdtempSync(join(tmpdir(), 'jxc-wechat-'));
      url = `file:${migratedDatabaseFile(dir)}`;
    }
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    app = await createApp(createConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), { logger });
  }
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const bot = createWechatBot(app, { puppet, pacing: options.pacing ?? { perChatMs: 0, globalMs: 0 }, maxChars: options.maxChars });
  await bot.start();
  const me = mocker.createContact({ name: options.botName ?? 'jxc-bot' });
  mocker.login(me);
  await new Promise<void>((resolve) => bot.wechaty.once('login', () => resolve()));

  const sent: Sent[] = [];
  puppet.on('message', ({ messageId }) => {
    const payload = mocker.messagePayload(messageId);
    if (payload.talkerId !== me.id) return;
    const chatId = payload.roomId || payload.listenerId;
    sent.push({ chatId: chatId ?? '', text: payload.text ?? '', at: Date.now() });
  });

  // A bot that never settles is answering itself; fail the test instead of hanging it.
  const settle = async () => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the bot is still busy after 5 s: is it answering its own messages?')), 5000);
    });
    try {
      await Promise.race([bot.idle(), limit]);
    } finally {
      clearTimeout(timer);
    }
  };
  const lastMessageId = () => [...mocker.cacheMessagePayload.keys()].at(-1) ?? '';
  const repliesSince = (before: number, to: { id: string }) => sent.slice(before).filter((s) => s.chatId === to.id).map((s) => s.text);
  const self = app;

  return {
    app,
    bot,
    mocker,
    puppet,
    me,
    sent,
    logs,
    contact: (name, payload = {}) => mocker.createContact({ name, ...payload }),
    room: (topic, members) => mocker.createRoom({ topic, memberIdList: [me.id, ...members.map((m) => m.id)] }),
    async say(from, text, to, mentions = []) {
      const before = sent.length;
      from.say(text, mentions).to(to);
      const id = lastMessageId();
      await settle();
      // Private replies go to the sender; room replies to the room.
      return { id, replies: repliesSince(before, to.id === me.id ? from : to) };
    },
    async redeliver(messageId, to) {
      const before = sent.length;
      puppet.emit('message', { messageId });
      await settle();
      return repliesSince(before, to);
    },
    async close() {
      await settle().catch(() => undefined);
      await bot.wechaty.stop();
      if (owned) await self.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
