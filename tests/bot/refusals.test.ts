import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../src/adapters/telegram/bot.ts';
import type { GatewayMessage } from '../../src/bot/gateway.ts';
import { permissionRefusal, refusalText, INTERNAL_ERROR_TEXT, type BotRefusal, type BotRefusalCode } from '../../src/bot/refusals.ts';
import { BOT_INFO, boss, createTestApp, interceptCalls, li, textUpdate, TOKEN, warehouse, type TestApp } from '../adapters/telegram/harness.ts';

/** One sample of every refusal: a code added to BotRefusal without a sample here fails to compile. */
const SAMPLES: { [C in BotRefusalCode]: Extract<BotRefusal, { code: C }> } = {
  PERMISSION: { code: 'PERMISSION', role: 'viewer', needed: 'staff' },
  PROFIT_OWNER_ONLY: { code: 'PROFIT_OWNER_ONLY' },
  COST_OWNER_ONLY: { code: 'COST_OWNER_ONLY', product: 'T恤' },
  PAYABLES_OWNER_ONLY: { code: 'PAYABLES_OWNER_ONLY' },
  UNKNOWN_SUPPLIER: { code: 'UNKNOWN_SUPPLIER', supplier: '老张', known: ['老李'] },
  SECOND_UNDO: { code: 'SECOND_UNDO', lastSeq: 7 },
  REMOVED: { code: 'REMOVED' },
  UNBOUND: { code: 'UNBOUND' },
  INTERNAL_ERROR: { code: 'INTERNAL_ERROR' },
  PARSE_ERROR: { code: 'PARSE_ERROR', message: '缺少数量', example: '进货 T恤 50 件 单价 20' },
  AUDIT_UNKNOWN_PRODUCT: { code: 'AUDIT_UNKNOWN_PRODUCT', product: '帽子' },
  AUDIT_NO_ENTRY: { code: 'AUDIT_NO_ENTRY', entryNo: 7 },
  NOT_ALLOWED_TO_OPEN: { code: 'NOT_ALLOWED_TO_OPEN' },
  SHOP_NAME_TAKEN: { code: 'SHOP_NAME_TAKEN', name: '小店' },
  ALREADY_BOUND: { code: 'ALREADY_BOUND', shopName: '小店' },
  CODE_INVALID: { code: 'CODE_INVALID', purpose: 'link' },
  CODE_SHOP_GONE: { code: 'CODE_SHOP_GONE', purpose: 'chat' },
  CODE_NEEDS_PERSON: { code: 'CODE_NEEDS_PERSON', purpose: 'link' },
  LINK_CODE_PRIVATE_ONLY: { code: 'LINK_CODE_PRIVATE_ONLY' },
  LINK_CODE_IN_GROUP: { code: 'LINK_CODE_IN_GROUP' },
  LINK_CODE_UNBOUND: { code: 'LINK_CODE_UNBOUND' },
  LINK_OTHER_SHOP: { code: 'LINK_OTHER_SHOP', boundShop: '甲店', shop: '乙店' },
  LINK_ASKER_GONE: { code: 'LINK_ASKER_GONE' },
  LINK_ACCOUNT_REPLACE: { code: 'LINK_ACCOUNT_REPLACE', asker: '老王' },
  LINK_ACCOUNT_TAKEN: { code: 'LINK_ACCOUNT_TAKEN', shop: '小店', holder: '小张', holderRole: 'member', asker: '老王' },
  LINK_FAILED: { code: 'LINK_FAILED' },
  PERSON_NOT_FOUND: { code: 'PERSON_NOT_FOUND', target: 'xiaoli' },
  LAST_OWNER: { code: 'LAST_OWNER' },
  SKU_TAKEN: { code: 'SKU_TAKEN', sku: 'A1', owner: 'T恤' },
  WEB_PRIVATE_ONLY: { code: 'WEB_PRIVATE_ONLY' },
  WEB_OFF: { code: 'WEB_OFF' },
};

const HAN = /\p{Script=Han}/u;

describe('every refusal code', () => {
  for (const [code, sample] of Object.entries(SAMPLES)) {
    it(`${code} reads as Chinese`, () => {
      const text = refusalText(sample);
      expect(text.trim().length).toBeGreaterThan(4);
      expect(text).toMatch(HAN);
      expect(text).not.toMatch(/undefined|null|\[object/);
    });
  }

  it('carries its details into the words', () => {
    expect(refusalText(SAMPLES.PERMISSION)).toBe('⛔ 你的身份是「查看」，这个操作需要「店员」权限。');
    expect(refusalText(SAMPLES.PARSE_ERROR)).toBe('❌ 缺少数量\n例：进货 T恤 50 件 单价 20');
    expect(refusalText({ code: 'PARSE_ERROR', message: '缺少数量' })).toBe('❌ 缺少数量');
    expect(refusalText(SAMPLES.LINK_ACCOUNT_TAKEN)).toContain('小张（群成员）');
    expect(refusalText(SAMPLES.SHOP_NAME_TAKEN)).toContain('例：开店 小店2');
  });
});

describe('the same situation reads the same on every path and chat', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.cleanup());

  let n = 0;
  const inGroup = (userId: string, text: string): GatewayMessage => {
    n += 1;
    return { platform: 'telegram', chatId: String(warehouse.id), chatType: 'group', chatTitle: warehouse.title, messageId: String(n), userId, userName: userId, text };
  };

  it('words a missing permission alike for a ledger write, an administration phrase and a file intent', async () => {
    await t.app.gateway.respond(inGroup('boss', '开店 小店'));
    await t.app.gateway.respond(inGroup('li', '你好'));
    // Unnamed group members are viewers by default.
    expect((await t.app.gateway.respond(inGroup('li', '进货 T恤 1 件 单价 20')))?.text).toBe(permissionRefusal('viewer', 'purchase'));
    expect((await t.app.gateway.respond(inGroup('li', '授权 @boss 店员')))?.text).toBe(permissionRefusal('viewer', 'grant'));
    expect((await t.app.gateway.respond(inGroup('li', '导出 库存')))?.text).toBe(permissionRefusal('viewer', 'export'));
  });

  it('gives Telegram users the module’s internal-error line when a store fails below the gateway', async () => {
    const bot = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
    const calls = interceptCalls(bot);
    await bot.handleUpdate(textUpdate(boss, '开店 小店'));
    t.app.access.people = () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    // Nothing was written: the user is told, and the update is left unhandled so a redelivery tries again.
    await expect(bot.handleUpdate(textUpdate(boss, '成员'))).rejects.toThrow(/not handled/);
    const sent = calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text);
    expect(sent.at(-1)).toBe(INTERNAL_ERROR_TEXT);
    expect(t.logs.some((l) => l.msg === 'message failed' && l.level >= 50)).toBe(true);
  });

  it('gives the same line from the Telegram adapter’s own last resort when the gateway itself fails', async () => {
    const failing = {
      ...t.app,
      gateway: {
        handle: (): never => {
          throw new Error('gateway down');
        },
        respond: (): Promise<never> => Promise.reject(new Error('gateway down')),
      },
    };
    const bot = createTelegramBot(failing, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
    const calls = interceptCalls(bot);
    await expect(bot.handleUpdate(textUpdate(li, '查 T恤'))).rejects.toThrow(/not handled/);
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([INTERNAL_ERROR_TEXT]);
  });
});
