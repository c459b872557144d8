import ExcelJS from 'exceljs';
import { InputFile, type Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { createConfig } from '../../../src/config.ts';
import { createApp } from '../../../src/main.ts';
import { CONFIRM_HINT, DOWNLOAD_FAILED, EXPORT_IN_PRIVATE, MAX_IMPORT_BYTES, NOT_A_SPREADSHEET, NOTHING_PENDING, OWNER_ONLY_IMPORT, TOO_BIG } from '../../../src/bot/files/file-replies.ts';
import { boss, BOT_INFO, createTestApp, entryCount, interceptCalls, li, stockOf, textUpdate, TOKEN, update, warehouse, type ApiCall, type TestApp, type TestUser } from './harness.ts';

const dm = { id: boss.id, type: 'private' };
const STOCK_CSV = ['商品,编码,单位,数量,成本', 'T恤,TS-01,件,50,20', '袜子,,双,100,2.5', ''].join('\n');

let t: TestApp;
let bot: Bot;
let calls: ApiCall[];
/** What the bot downloads, by file id. */
let files: Map<string, Uint8Array>;
let downloads: string[];

beforeEach(async () => {
  t = await createTestApp();
  files = new Map();
  downloads = [];
  bot = createTelegramBot(
    t.app,
    { mode: 'polling', token: TOKEN },
    {
      botInfo: BOT_INFO,
      throttle: false,
      download: (_api, fileId) => {
        downloads.push(fileId);
        const bytes = files.get(fileId);
        return bytes ? Promise.resolve(bytes) : Promise.reject(new Error('no such file'));
      },
    },
  );
  calls = interceptCalls(bot);
});
afterEach(async () => {
  await t.cleanup();
});

let messageId = 9_000;

async function say(from: TestUser, text: string, chat: { id: number; type: string; title?: string } = dm) {
  const before = calls.length;
  await bot.handleUpdate(textUpdate(from, text, chat));
  return calls.slice(before);
}

async function sendDocument(from: TestUser, fileName: string, bytes: Uint8Array, chat: { id: number; type: string; title?: string } = dm, extra: Record<string, unknown> = {}, caption?: string) {
  const fileId = `file-${messageId}`;
  files.set(fileId, bytes);
  const before = calls.length;
  await bot.handleUpdate(
    update({
      message: {
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        chat,
        from,
        document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: fileName, file_size: bytes.byteLength, ...extra },
        ...(caption === undefined ? {} : { caption }),
      },
    }),
  );
  return calls.slice(before);
}

const textOf = (sent: ApiCall[]): string => sent.map((c) => String(c.payload.text ?? '')).join('\n');

/** 老王 opens 小店 in his private chat (owner audience) and binds the warehouse group with member role staff. */
async function openShop() {
  expect(textOf(await say(boss, '开店 小店'))).toContain('已开通');
  const code = /绑定码 ([A-Z0-9]+)/.exec(textOf(await say(boss, '绑定码')))?.[1];
  expect(textOf(await say(boss, `绑定 ${code ?? ''}`, warehouse))).toContain('已绑定');
  await say(boss, '设置 群成员 店员', warehouse);
}

describe('importing a document', () => {
  it('previews an owner’s CSV in the private chat, writes it on 「确认导入」', async () => {
    await openShop();
    const preview = await sendDocument(boss, '期初库存.csv', Buffer.from(STOCK_CSV, 'utf8'));
    expect(preview.map((c) => c.method)).toEqual(['sendMessage']);
    const text = textOf(preview);
    expect(text).toContain('试导入期初库存');
    expect(text).toContain('将导入 2 行');
    expect(text).toContain(CONFIRM_HINT);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(0);
    expect(await entryCount(t.app, '小店')).toBe(0);

    const confirmed = await say(boss, '确认导入');
    expect(textOf(confirmed)).toContain('✅ 已导入 2 行');
    // One progress message, edited when the import is done, then the report.
    expect(confirmed.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text))[0]).toBe('⏳ 正在导入「期初库存.csv」…');
    expect(confirmed.filter((c) => c.method === 'editMessageText').map((c) => String(c.payload.text)).at(-1)).toBe('✅ 导入完成：2 行。');
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(50);
    expect(await stockOf(t.app, '小店', '袜子')).toBe(100);
    // The chat knows the new products at once.
    expect(textOf(await say(boss, '查 袜子'))).toContain('袜子');

    // Confirming again finds nothing waiting.
    expect(textOf(await say(boss, '确认导入'))).toContain(NOTHING_PENDING);
  });

  it('refuses a file over the row limit with the limits, before parsing it', async () => {
    await openShop();
    const rows = ['商品,数量,成本', ...Array.from({ length: 300_011 }, (_, i) => `商品${i % 9},1,2`)].join('\n');
    const reply = textOf(await sendDocument(boss, '期初库存.csv', Buffer.from(rows, 'utf8')));
    expect(reply).toContain('❌ 表格有 300,000 行以上，太多了。上限：最多 300,000 行，xlsx 解压后最多 128 MB，CSV 最多 64 MB。');
    expect(textOf(await say(boss, '确认导入'))).not.toContain('✅');
    expect(await entryCount(t.app, '小店')).toBe(0);
  });

  it('keeps the previewed file across a restart: a new app on the same database imports it', async () => {
    await openShop();
    expect(textOf(await sendDocument(boss, '期初库存.csv', Buffer.from(STOCK_CSV, 'utf8')))).toContain(CONFIRM_HINT);
    await t.app.close();

    const restarted = await createApp(createConfig({ DATABASE_URL: t.app.config.databaseUrl, LOG_LEVEL: 'silent' }));
    try {
      const bot2 = createTelegramBot(restarted, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
      const calls2 = interceptCalls(bot2);
      await bot2.handleUpdate(textUpdate(boss, '确认导入', dm));
      expect(textOf(calls2)).toContain('✅ 已导入 2 行');
      expect(await stockOf(restarted, '小店', 'T恤')).toBe(50);
      expect(await stockOf(restarted, '小店', '袜子')).toBe(100);
    } finally {
      await restarted.close();
    }
  });

  it('forgets a previewed file after 10 minutes, and reads 库存/流水 in the caption', async () => {
    await openShop();
    // The columns say opening stock; the caption says entries, and wins.
    expect(textOf(await sendDocument(boss, 'a.csv', Buffer.from(STOCK_CSV, 'utf8'), dm, {}, '流水'))).toContain('试导入流水');
    expect(textOf(await sendDocument(boss, 'b.csv', Buffer.from(STOCK_CSV, 'utf8'), dm, {}, '期初库存'))).toContain('试导入期初库存');
    const later = new Date(Date.now() + 11 * 60_000);
    vi.useFakeTimers({ now: later, toFake: ['Date'] });
    try {
      expect(textOf(await say(boss, '确认导入'))).toContain(NOTHING_PENDING);
    } finally {
      vi.useRealTimers();
    }
    expect(await entryCount(t.app, '小店')).toBe(0);
  });

  it('says so when the file cannot be downloaded', async () => {
    await openShop();
    files.clear();
    const fileId = `file-${messageId}`;
    await bot.handleUpdate(update({ message: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: dm, from: boss, document: { file_id: fileId, file_unique_id: 'x', file_name: 'a.csv', file_size: 10 } } }));
    expect(textOf(calls.slice(-1))).toBe(DOWNLOAD_FAILED);
    expect(downloads).toEqual([fileId]);
  });

  it('取消 drops the pending import', async () => {
    await openShop();
    await sendDocument(boss, 'stock.csv', Buffer.from(STOCK_CSV, 'utf8'));
    expect(textOf(await say(boss, '取消'))).toContain('已取消导入');
    expect(textOf(await say(boss, '确认导入'))).toContain(NOTHING_PENDING);
    expect(await stockOf(t.app, '小店', 'T恤')).toBe(0);
  });

  it('refuses staff in the group and files that are not spreadsheets or too big', async () => {
    await openShop();
    const staff = await sendDocument(li, '库存.csv', Buffer.from(STOCK_CSV, 'utf8'), warehouse);
    expect(textOf(staff)).toBe(OWNER_ONLY_IMPORT);
    // Even the owner imports only in the private chat.
    expect(textOf(await sendDocument(boss, '库存.csv', Buffer.from(STOCK_CSV, 'utf8'), warehouse))).toBe(OWNER_ONLY_IMPORT);
    // Other documents in a group are ignored.
    expect(await sendDocument(li, '照片.pdf', Buffer.from('%PDF'), warehouse)).toEqual([]);
    expect(textOf(await sendDocument(boss, 'notes.txt', Buffer.from('hi')))).toBe(NOT_A_SPREADSHEET);
    expect(textOf(await sendDocument(boss, 'big.csv', Buffer.from('x'), dm, { file_size: MAX_IMPORT_BYTES + 1 }))).toBe(TOO_BIG);
    expect(downloads).toEqual([]);
    expect(textOf(await say(li, '确认导入', warehouse))).toBe(OWNER_ONLY_IMPORT);
    expect(await entryCount(t.app, '小店')).toBe(0);
  });
});

describe('导出', () => {
  function documentOf(sent: ApiCall[]): { file: InputFile; caption: string } {
    const call = sent.find((c) => c.method === 'sendDocument');
    expect(call).toBeDefined();
    const file = call?.payload.document;
    expect(file).toBeInstanceOf(InputFile);
    return { file: file as InputFile, caption: String(call?.payload.caption ?? '') };
  }

  async function bytesOf(file: InputFile): Promise<Buffer> {
    const raw = await file.toRaw();
    if (raw instanceof Uint8Array) return Buffer.from(raw);
    const chunks: Uint8Array[] = [];
    for await (const chunk of raw) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  it('sends the owner the month’s entries and profit as xlsx, and the stock', async () => {
    await openShop();
    await say(boss, '进货 T恤 50 件 单价 20');
    await say(boss, '出货 T恤 5 件 单价 59');
    const sent = await say(boss, '导出 本月');
    const { file, caption } = documentOf(sent);
    expect(file.filename).toMatch(/^小店-.*流水利润\.xlsx$/);
    expect(caption).toContain('流水 2 条');
    const bytes = await bytesOf(file);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    // Streamed: one progress message, edited when done; the workbook holds the entries then the profit.
    expect(sent.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text))).toEqual([expect.stringContaining('⏳ 正在导出「小店」')]);
    // (A slow start of the export's worker thread may show one intermediate count first.)
    const edits = sent.filter((c) => c.method === 'editMessageText').map((c) => String(c.payload.text));
    expect(edits.at(-1)).toBe('✅ 已导出 2 条流水，文件马上发出。');
    expect(edits.slice(0, -1).every((text) => text.startsWith('⏳ 正在导出：已写'))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['流水', '利润-按商品', '利润-按渠道']);
    expect((wb.getWorksheet('流水') as ExcelJS.Worksheet).getCell('D3').value).toBe('T恤');

    const stock = documentOf(await say(boss, '导出 库存'));
    expect(stock.file.filename).toMatch(/^小店-库存-.*\.xlsx$/);
    expect((await bytesOf(stock.file)).subarray(0, 2).toString('latin1')).toBe('PK');

    // Plain 导出 means this month; an unknown period is explained.
    expect(documentOf(await say(boss, '导出')).caption).toContain('流水 2 条');
    expect(textOf(await say(boss, '导出 明天后天大后天'))).toContain('看不懂时段');
  });

  it('refuses staff, and sends the owner to the private chat from a group', async () => {
    await openShop();
    const staff = await say(li, '导出 本月', warehouse);
    expect(staff.map((c) => c.method)).toEqual(['sendMessage']);
    expect(textOf(staff)).toContain('⛔');
    expect(textOf(staff)).toContain('「老板」');
    expect(textOf(await say(boss, '导出 本月', warehouse))).toBe(EXPORT_IN_PRIVATE);
  });
});
