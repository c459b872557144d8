import { fork, type ChildProcess } from 'node:child_process';
import type { Update } from 'grammy/types';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compiledScript } from '../helpers/compiled-script.ts';
import { createPgDatabase, describePg, type PgTestDatabase } from '../helpers/pg.ts';
import type { FromBot, ToBot } from './multi-process-bot.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/**
 * Three bot processes on one PostgreSQL database, as a shop would run them behind one bot token:
 * every Telegram update of four staff groups (two shops) is delivered to all three processes, each
 * copy two or three times, all at once, in a shuffled interleaving across processes and chats but in
 * order within each process and chat. Read back from PostgreSQL: every message is applied exactly
 * once and answered once, each chat's messages are applied in their order (a 撤销 undoes the
 * message before it), balances are the sum of their entries, and the daily digest, ticked by all
 * three at the same minute, is claimed once per shop and delivered once per chat.
 */
const PROCESSES = 3;
/** The bot process, compiled for plain node (see compiledScript). */
const BOT = compiledScript(new URL('./multi-process-bot.ts', import.meta.url));
/** Messages are written at 20:00 in Shanghai; the digest is due at 21:00 (the default). */
const DAY_AT = '2026-11-30T12:00:00Z';
const DIGEST_AT = '2026-11-30T13:00:20Z';

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

/** One bot process and what it reported. */
class BotProcess {
  readonly calls: Call[] = [];
  readonly logs: string[] = [];
  private readonly waiting = new Map<number, (error: string | undefined) => void>();
  private nextKey = 1;
  private readonly exited: Promise<unknown>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    ready: () => void,
  ) {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    // A process that dies fails whatever it was asked, with what it said.
    void this.exited.then((code) => {
      for (const resolve of this.waiting.values()) resolve(`process ${name} exited (${String(code)}): ${stderr}`);
      this.waiting.clear();
    });
    child.on('message', (message: FromBot) => {
      if (message.type === 'ready') ready();
      else if (message.type === 'call') this.calls.push({ method: message.method, payload: message.payload });
      else if (message.type === 'log') this.logs.push(message.line);
      else {
        this.waiting.get(message.key)?.(message.error);
        this.waiting.delete(message.key);
      }
    });
  }

  static async start(name: string, databaseUrl: string): Promise<BotProcess> {
    const child = fork(await BOT, [databaseUrl, DAY_AT], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let bot: BotProcess | undefined;
    await new Promise<void>((resolve, reject) => {
      bot = new BotProcess(name, child, resolve);
      void bot.exited.then(() => reject(new Error(`bot ${name} exited before it was ready`)));
    });
    return bot as BotProcess;
  }

  /** Sends a command and resolves once the process answered it, with its error if it failed. */
  ask(message: DistributiveOmit<ToBot, 'key'>): Promise<string | undefined> {
    const key = this.nextKey++;
    return new Promise((resolve) => {
      this.waiting.set(key, resolve);
      this.child.send({ ...message, key });
    });
  }

  /** Log lines at error level or above. */
  errors(): string[] {
    return this.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

interface User {
  id: number;
  is_bot: false;
  first_name: string;
  username: string;
}
interface Chat {
  id: number;
  type: 'group' | 'private';
  title?: string;
}

const boss: User = { id: 1001, is_bot: false, first_name: '老王', username: 'laowang' };
const bossChat: Chat = { id: boss.id, type: 'private' };

let updateId = 1;
let messageId = 100;
const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
function textUpdate(from: User, chat: Chat, text: string): Update & { message: { message_id: number } } {
  return { update_id: updateId++, message: { message_id: messageId++, date: at(DAY_AT), chat, from, text } } as unknown as Update & { message: { message_id: number } };
}

/** A staff group and its one member, who writes all of its messages (so 撤销 means this chat's last message). */
interface Group {
  chat: Chat;
  member: User;
  shop: string;
}

/**
 * The messages of group k: purchases, sales, transfers and undos on products every group of the
 * shop shares. Each group buys before it sells or moves, and undoes only its own sales and transfers,
 * so whatever the interleaving no write is refused and the final quantities are known.
 * `entries`: what the message writes (a transfer two, an undo as many as the message it undoes).
 */
function script(k: number): { text: string; entries: number }[] {
  return [
    { text: `进货 甲 ${20 + k} 件 单价 ${10 + k}，乙 10 件 单价 12，丙 5 件 单价 15`, entries: 3 },
    { text: '卖了 甲 2 件 单价 30', entries: 1 },
    { text: '调拨 乙 3 件 到 门店', entries: 2 },
    { text: '撤销', entries: 2 },
    { text: '卖了 乙 1 件 单价 25', entries: 1 },
    { text: `进货 丙 2 件 单价 ${16 + k}`, entries: 1 },
    { text: '卖了 丙 3 件 单价 30', entries: 1 },
    { text: '撤销', entries: 1 },
    { text: '调拨 甲 4 件 到 门店', entries: 2 },
    { text: '卖了 甲 1 件 单价 35', entries: 1 },
  ];
}

/** Quantities each group leaves behind, in units: [product, location, quantity]. */
function leftBy(k: number): [string, string, number][] {
  return [
    ['甲', '默认仓', 20 + k - 2 - 4 - 1],
    ['甲', '门店', 4],
    ['乙', '默认仓', 10 - 1],
    ['乙', '门店', 0],
    ['丙', '默认仓', 5 + 2],
  ];
}

let db: PgTestDatabase;
let client: pg.Client;
let bots: BotProcess[] = [];

beforeAll(async () => {
  db = await createPgDatabase(import.meta.url);
  // The first process migrates the empty database; the others then find it migrated.
  bots = [await BotProcess.start('a', db.url)];
  bots.push(...(await Promise.all(['b', 'c'].map((name) => BotProcess.start(name, db.url)))));
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.end();
  await Promise.all(bots.map((b) => b.stop()));
  await db?.drop();
});

/** Messages (sendMessage calls) every process sent to one chat since `from` (each process's count of calls). */
function sentTo(chat: Chat, from: number[]): Call[] {
  return bots.flatMap((b, i) => b.calls.slice(from[i])).filter((c) => c.method === 'sendMessage' && c.payload.chat_id === chat.id);
}

/** Says something through process a alone and returns its replies' texts. */
async function say(from: User, chat: Chat, text: string): Promise<string[]> {
  const update = textUpdate(from, chat, text);
  const a = bots[0] as BotProcess;
  const before = a.calls.length;
  expect(await a.ask({ type: 'update', update })).toBeUndefined();
  return a.calls.slice(before).filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text));
}

async function codeFor(chat: Chat): Promise<string> {
  const reply = (await say(boss, chat, '绑定码')).join('\n');
  const code = /绑定码 (\w+)/.exec(reply)?.[1];
  if (!code) throw new Error(`no code in ${reply}`);
  return code;
}

async function rows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await client.query(sql, values)).rows as T[];
}

describePg('three bot processes on one PostgreSQL database', () => {
  const groups: Group[] = [];

  it('sets up two shops with four staff groups through one process', async () => {
    expect((await say(boss, bossChat, '开店 联合店')).join()).toContain('店铺「联合店」已开通');
    for (let k = 0; k < 4; k++) {
      const chat: Chat = { id: -2000 - k, type: 'group', title: `群${k}` };
      const member: User = { id: 3000 + k, is_bot: false, first_name: `店员${k}`, username: `staff${k}` };
      const shop = k < 3 ? '联合店' : '二店';
      if (k < 3) expect((await say(boss, chat, `绑定 ${await codeFor(bossChat)}`)).join()).toContain('已绑定到店铺「联合店」（店员群）');
      else expect((await say(boss, chat, '开店 二店')).join()).toContain('店铺「二店」已开通');
      expect((await say(boss, chat, '设置 群成员 店员')).join()).toContain('群成员默认身份：店员');
      groups.push({ chat, member, shop });
    }
  });

  it(
    'applies every message once and in its chat’s order, whichever process gets it first',
    async () => {
      const seed = Number(process.env.MULTI_PROCESS_SEED ?? Date.now() % 100_000);
      const rand = mulberry32(seed);
      const messages = groups.map((g, k) => script(k).map((m) => ({ ...m, update: textUpdate(g.member, g.chat, m.text), group: g })));
      // Each process's queue per chat: every update two or three times, in order.
      const queues = bots.map(() => messages.map((chat) => chat.flatMap((m) => Array.from({ length: 2 + Math.floor(rand() * 2) }, () => m.update))));
      const deliveries: { p: number; update: Update }[] = [];
      // Shuffled across processes and chats: take the next update of a random non-empty queue.
      for (;;) {
        const open = queues.flatMap((perChat, p) => perChat.map((queue, c) => ({ p, c, queue })).filter((q) => q.queue.length > 0));
        if (open.length === 0) break;
        const pick = open[Math.floor(rand() * open.length)] as (typeof open)[number];
        deliveries.push({ p: pick.p, update: pick.queue.shift() as Update });
      }
      const before = bots.map((b) => b.calls.length);
      const started = Date.now();
      const failures = (await Promise.all(deliveries.map((d) => (bots[d.p] as BotProcess).ask({ type: 'update', update: d.update })))).filter((e) => e !== undefined);
      const elapsed = Date.now() - started;
      const context = `seed ${seed}; errors logged: ${bots.flatMap((b) => b.errors()).join('\n')}`;
      expect(failures, context).toEqual([]);
      expect(bots.flatMap((b) => b.errors()), context).toEqual([]);

      // Answered once: one reply per message across the three processes, to that message (in whichever
      // process applied it; the order is checked in the ledger below).
      for (const chat of messages) {
        const replies = sentTo(chat[0]?.group.chat as Chat, before);
        const replyTo = replies.map((r) => Number((r.payload.reply_parameters as { message_id?: number } | undefined)?.message_id)).sort((x, y) => x - y);
        expect(replyTo, `${context}\n${replies.map((r) => JSON.stringify(r.payload)).join('\n')}`).toEqual(chat.map((m) => m.update.message.message_id));
        for (const r of replies) expect(String(r.payload.text), context).toMatch(/^✅|已撤销/);
      }

      // Applied once: one SourceMessage per message, with the entries it should write.
      const applied = await rows<{ chatId: string; messageId: string; entries: string; lo: number; hi: number; reversed: string | null }>(
        `SELECT m."chatId", m."messageId", COUNT(e."id") AS entries, MIN(e."seq") AS lo, MAX(e."seq") AS hi,
                string_agg(DISTINCT r."messageId"::text, ',') AS reversed
           FROM "SourceMessage" m LEFT JOIN "Entry" e ON e."messageId" = m."id" LEFT JOIN "Entry" r ON r."id" = e."reversesId"
          WHERE m."platform" = 'telegram' AND m."chatId" = ANY($1) GROUP BY m."id" ORDER BY m."id"`,
        [groups.map((g) => String(g.chat.id))],
      );
      expect(applied).toHaveLength(messages.flat().length);
      const sourceIds = await rows<{ id: number; chatId: string; messageId: string }>('SELECT "id", "chatId", "messageId" FROM "SourceMessage"');
      const sourceIdOf = new Map(sourceIds.map((s) => [`${s.chatId}/${s.messageId}`, s.id]));
      for (const chat of messages) {
        const chatId = String(chat[0]?.group.chat.id);
        const mine = chat.map((m) => applied.find((a) => a.chatId === chatId && a.messageId === String(m.update.message.message_id)));
        expect(mine.map((a) => Number(a?.entries))).toEqual(chat.map((m) => m.entries));
        // In order: each message's entries come after the previous message's, in the shop's numbering…
        for (let i = 1; i < mine.length; i++) expect(Number(mine[i]?.lo), `${chatId} message ${i}; ${context}`).toBeGreaterThan(Number(mine[i - 1]?.hi));
        // …and each 撤销 undid this chat's message before it.
        chat.forEach((m, i) => {
          if (m.text !== '撤销') return;
          const previous = chat[i - 1]?.update.message.message_id;
          expect(mine[i]?.reversed).toBe(String(sourceIdOf.get(`${chatId}/${String(previous)}`)));
        });
      }

      // Balances are the sum of their entries, and never empty with value.
      const balances = await rows<{ shop: string; product: string; location: string; qty: string; value: string; sumQty: string | null; sumValue: string | null }>(
        `SELECT s."name" AS shop, p."name" AS product, l."name" AS location, b."qtyMilli" AS qty, b."value",
                (SELECT SUM(e."qtyMilli") FROM "Entry" e WHERE e."productId" = b."productId" AND e."locationId" = b."locationId") AS "sumQty",
                (SELECT SUM(e."valueDelta") FROM "Entry" e WHERE e."productId" = b."productId" AND e."locationId" = b."locationId") AS "sumValue"
           FROM "Balance" b JOIN "Product" p ON p."id" = b."productId" JOIN "Location" l ON l."id" = b."locationId" JOIN "Shop" s ON s."id" = p."shopId"`,
      );
      for (const b of balances) {
        expect({ ...b, qty: BigInt(b.qty), value: BigInt(b.value) }).toEqual({ ...b, qty: BigInt(b.sumQty ?? 0), value: BigInt(b.sumValue ?? 0) });
        if (BigInt(b.qty) === 0n) expect(BigInt(b.value), `${b.shop} ${b.product} ${b.location}`).toBe(0n);
        expect(BigInt(b.value) >= 0n, `${b.shop} ${b.product} ${b.location}`).toBe(true);
      }
      // And hold what the groups left behind, whatever the order they ran in.
      const expected = new Map<string, number>();
      groups.forEach((g, k) => {
        for (const [product, location, qty] of leftBy(k)) expected.set(`${g.shop}/${product}/${location}`, (expected.get(`${g.shop}/${product}/${location}`) ?? 0) + qty * 1000);
      });
      expect(new Map(balances.map((b) => [`${b.shop}/${b.product}/${b.location}`, Number(b.qty)]))).toEqual(expected);
      // The shop's numbering has no gaps or repeats.
      const seqs = await rows<{ shopId: number; n: string; lo: number; hi: number; distinct: string }>(
        'SELECT "shopId", COUNT(*) AS n, MIN("seq") AS lo, MAX("seq") AS hi, COUNT(DISTINCT "seq") AS distinct FROM "Entry" GROUP BY "shopId"',
      );
      for (const s of seqs) expect([s.lo, s.hi, Number(s.distinct)]).toEqual([1, Number(s.n), Number(s.n)]);

      const copies = deliveries.length;
      console.log(`multi-process: ${PROCESSES} processes, ${messages.flat().length} messages delivered ${copies} times in ${elapsed} ms (seed ${seed})`);
    },
    60_000,
  );

  it('claims each shop’s digest once and delivers it once per chat when all three tick at the same minute', async () => {
    expect(await Promise.all(bots.map((b) => b.ask({ type: 'clock', at: DIGEST_AT })))).toEqual([undefined, undefined, undefined]);
    const before = bots.map((b) => b.calls.length);
    // Twice each, all at once: the second round finds everything claimed and delivered.
    expect(await Promise.all([...bots, ...bots].map((b) => b.ask({ type: 'tick' })))).toEqual(Array.from({ length: 2 * PROCESSES }, () => undefined));
    expect(bots.flatMap((b) => b.errors())).toEqual([]);

    const runs = await rows<{ shop: string; localDate: string; late: boolean; finished: boolean }>(
      'SELECT s."name" AS shop, r."localDate", r."late", r."finishedAt" IS NOT NULL AS finished FROM "DigestRun" r JOIN "Shop" s ON s."id" = r."shopId" ORDER BY s."name"',
    );
    expect(runs).toEqual([
      { shop: '二店', localDate: '2026-11-30', late: false, finished: true },
      { shop: '联合店', localDate: '2026-11-30', late: false, finished: true },
    ]);
    const deliveries = await rows<{ chatId: string; status: string; attempts: number }>('SELECT "chatId", "status", "attempts" FROM "DigestDelivery" ORDER BY "chatId"');
    const chats = [bossChat, ...groups.map((g) => g.chat)].map((c) => String(c.id)).sort();
    expect(deliveries).toEqual(chats.map((chatId) => ({ chatId, status: 'sent', attempts: 1 })));

    // Sent once per chat, by whichever process leased it.
    const sent = bots.flatMap((b, i) => b.calls.slice(before[i]).filter((c) => c.method === 'sendMessage'));
    expect(sent.map((c) => String(c.payload.chat_id)).sort()).toEqual(chats);
    for (const c of sent) expect(String(c.payload.text)).toMatch(/^📋 (联合店|二店) 日报 /);
  });
});
