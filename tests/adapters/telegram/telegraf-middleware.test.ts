import { createServer, type IncomingMessage, type Server } from 'node:http';
import ExcelJS from 'exceljs';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jxcTelegraf } from '../../../src/adapters/telegram/telegraf.ts';
import { CONFIRM_HINT } from '../../../src/bot/files/file-replies.ts';
import { boss, BOT_INFO, createTestApp, stockOf, textUpdate, TOKEN, update, type TestApp } from './harness.ts';

/**
 * The Telegraf middleware, fed with `bot.handleUpdate`; Telegraf's real client talks to a small
 * Bot API on the loopback interface that records each call (documents arrive as multipart, as
 * Telegram gets them) and serves the files people "sent". No network.
 */

interface Call {
  method: string;
  fields: Record<string, string>;
  files: Record<string, { name: string; bytes: Buffer }>;
}

const dm = { id: boss.id, type: 'private' };
const STOCK_CSV = ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20', '袜子,,双,100,2.5', ''].join('\n');

let t: TestApp;
let server: Server;
let calls: Call[];
let files: Map<string, Buffer>;
let bot: Telegraf;
let passedOn: number;

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function record(method: string, req: IncomingMessage): Promise<Call> {
  const body = await bodyOf(req);
  const type = req.headers['content-type'] ?? '';
  const call: Call = { method, fields: {}, files: {} };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') call.fields[key] = value;
      else call.files[key] = { name: value.name, bytes: Buffer.from(await value.arrayBuffer()) };
    }
  } else if (body.length > 0) {
    for (const [key, value] of Object.entries(JSON.parse(body.toString('utf8')) as Record<string, unknown>)) {
      call.fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return call;
}

beforeEach(async () => {
  t = await createTestApp();
  calls = [];
  files = new Map();
  passedOn = 0;
  let nextId = 7_000;
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const file = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
      if (file) {
        const bytes = files.get(decodeURIComponent(file[1] ?? ''));
        res.writeHead(bytes ? 200 : 404).end(bytes);
        return;
      }
      const method = /^\/bot[^/]+\/(\w+)$/.exec(url.pathname)?.[1] ?? '?';
      const call = await record(method, req);
      calls.push(call);
      let result: unknown = true;
      if (method === 'getFile') result = { file_id: call.fields.file_id, file_unique_id: 'u', file_path: `documents/${call.fields.file_id}.csv` };
      if (method === 'sendMessage' || method === 'sendDocument') {
        result = { message_id: nextId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(call.fields.chat_id), type: 'private' }, text: call.fields.text };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  bot = new Telegraf(TOKEN, { telegram: { apiRoot: `http://127.0.0.1:${port}` } });
  bot.botInfo = BOT_INFO;
  bot.use(jxcTelegraf(t.app, { telegram: bot.telegram }));
  bot.use(async () => {
    passedOn += 1;
  });
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.cleanup();
});

async function feed(u: unknown): Promise<Call[]> {
  const before = calls.length;
  await bot.handleUpdate(u as Update);
  return calls.slice(before);
}

const say = (text: string) => feed(textUpdate(boss, text, dm));
const textOf = (sent: Call[]): string => sent.map((c) => c.fields.text ?? '').join('\n');

describe('malformed updates in the Telegraf middleware', () => {
  it('logs them and passes them on instead of throwing a TypeError', async () => {
    const malformed = [
      update({ message: { message_id: 1, date: 1, chat: dm, text: '查 T恤' } }),
      update({ message: { message_id: 2, date: 1, chat: dm, from: boss, text: 42 } }),
      update({ message: { message_id: 3, date: 1, chat: dm, from: null, text: '查 T恤' } }),
      update({ edited_message: { message_id: 4, date: 1, edit_date: 2, chat: dm, text: '进货 T恤 1 件' } }),
      update({ callback_query: { id: 'q', data: 'undo:1' } }),
      update({ message: null }),
    ];
    for (const u of malformed) await expect(feed(u)).resolves.toEqual([]);
    expect(passedOn).toBe(malformed.length);
    const warned = t.logs.filter((l) => l.msg === 'malformed telegram update passed on');
    expect(warned).toHaveLength(malformed.length);
    expect(warned.map((l) => l.problem)).toEqual(malformed.map(() => expect.any(String)));
    // The conversation still answers well-formed updates.
    expect(textOf(await say('开店 小店'))).toContain('已开通');
  });
});

describe('documents through Telegraf', () => {
  it('sends an export as a document and imports a document someone sent', async () => {
    expect(textOf(await say('开店 小店'))).toContain('已开通');
    await say('进货 T恤 50 件 单价 20');
    await say('出货 T恤 5 件 单价 59');
    const sent = await feed(textUpdate(boss, '导出 本月', dm));
    const doc = sent.find((c) => c.method === 'sendDocument');
    expect(doc?.fields.caption).toContain('流水 2 条');
    expect(textOf(sent)).not.toContain('发不了文件');
    const file = doc?.files.document;
    expect(file?.name).toMatch(/^小店-.*流水利润\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file?.bytes as unknown as ExcelJS.Buffer);
    expect((wb.getWorksheet('流水') as ExcelJS.Worksheet).getCell('D3').value).toBe('T恤');

    files.set('documents/opening.csv', Buffer.from(STOCK_CSV, 'utf8'));
    const preview = await feed(
      update({
        message: {
          message_id: 9_001,
          date: Math.floor(Date.now() / 1000),
          chat: dm,
          from: boss,
          document: { file_id: 'opening', file_unique_id: 'u-opening', file_name: '期初库存.csv', file_size: STOCK_CSV.length },
        },
      }),
    );
    expect(preview.map((c) => c.method)).toEqual(['getFile', 'sendMessage']);
    expect(textOf(preview)).toContain('将导入 2 行');
    expect(textOf(preview)).toContain(CONFIRM_HINT);
    expect(textOf(await say('确认导入'))).toContain('✅ 已导入 2 行');
    expect(await stockOf(t.app, '小店', '袜子')).toBe(100);
  });
});
