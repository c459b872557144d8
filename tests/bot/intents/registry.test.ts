import type { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/adapters/telegram/bot.ts';
import { commandSchema, type Command, type Intent } from '../../../src/bot/command.ts';
import { WRITE_INTENT_NAMES } from '../../../src/bot/intents/write-intents.ts';
import { helpText } from '../../../src/bot/help.ts';
import type { Handler, HandlerContext, IntentHandlers } from '../../../src/bot/intents/handler.ts';
import { INTENT_ORDER, INTENTS, WRITE_INTENTS, type IntentDefinition, type WriteIntent } from '../../../src/bot/intents/index.ts';
import { COLLOQUIAL_VERBS, INTENT_LABELS, INTENT_VERBS, intentForWord } from '../../../src/bot/parse/verbs.ts';
import { ChatEngine } from '../../../src/bot/engine.ts';
import { INTENT_HANDLERS } from '../../../src/bot/intents/handlers.ts';
import { helpHandler } from '../../../src/bot/intents/help.handler.ts';
import { undoHandler } from '../../../src/bot/intents/ledger-edits.handlers.ts';
import { writeHandler } from '../../../src/bot/intents/writes.handlers.ts';
import { WRITE_PARSERS } from '../../../src/bot/parse/index.ts';
import { WRITE_FIELDS } from '../../../src/bot/parse/write-fields.ts';
import { PERMISSIONS } from '../../../src/bot/permissions.ts';
import { NOW, parse } from '../parse/fixtures.ts';
import { createTestDb, engineDeps, TestClock } from '../../helpers/db.ts';
import { BOT_INFO, boss, createTestApp, interceptCalls, li, textUpdate, TOKEN, warehouse, type ApiCall, type TestApp } from '../../adapters/telegram/harness.ts';

describe('the lists derived from the intent registry', () => {
  it('the write intents are exactly the ones declared with writes: true, in the registry order', () => {
    expect(WRITE_INTENTS).toEqual(INTENT_ORDER.filter((i) => INTENTS[i].writes));
    expect(WRITE_INTENTS).toEqual(['purchase', 'sale', 'customerReturn', 'supplierReturn', 'stocktake', 'transfer']);
  });

  it('verbs, colloquial verbs, labels and permission rows are the declared ones', () => {
    for (const intent of INTENT_ORDER) {
      const d: IntentDefinition = INTENTS[intent];
      expect(INTENT_VERBS[intent]).toBe(d.verbs);
      expect(INTENT_LABELS[intent]).toBe(d.label);
      expect(PERMISSIONS[intent]).toBe(d.permission);
      for (const verb of d.verbs.filter((v) => v !== '?')) expect(intentForWord(verb), verb).toBe(intent);
    }
    for (const intent of WRITE_INTENTS) expect(COLLOQUIAL_VERBS[intent]).toBe(INTENTS[intent].colloquial);
  });

  it('help lists each non-file intent once, in the registry order, with its first example', () => {
    const text = helpText();
    let at = -1;
    for (const intent of INTENT_ORDER) {
      const d: IntentDefinition = INTENTS[intent];
      const line = `• ${d.label}：${d.help.examples[0] ?? ''}  — ${d.help.summary}`;
      if (d.help.general === false) {
        expect(text).not.toContain(line);
        continue;
      }
      const found = text.indexOf(line);
      expect(found, intent).toBeGreaterThan(at);
      at = found;
    }
    expect(helpText('purchase')).toContain(`📖 ${INTENTS.purchase.label}：${INTENTS.purchase.help.summary}`);
  });
});

describe('the 撤销 button follows the registry through the real Telegram adapter', () => {
  let t: TestApp;
  let bot: Bot;
  let calls: ApiCall[];

  beforeEach(async () => {
    t = await createTestApp();
    bot = createTelegramBot(t.app, { mode: 'polling', token: TOKEN }, { botInfo: BOT_INFO, throttle: false });
    calls = interceptCalls(bot);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function say(text: string, from = li): Promise<ApiCall | undefined> {
    const before = calls.length;
    await bot.handleUpdate(textUpdate(from, text, warehouse));
    return calls.slice(before).find((c) => c.method === 'sendMessage');
  }

  function hasUndoButton(call: ApiCall | undefined): boolean {
    const markup = call?.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined;
    return markup?.inline_keyboard?.[0]?.[0]?.text === '撤销';
  }

  it("every intent with writes: true gets the button on its help example's confirmation; the others do not", async () => {
    expect(String((await say('开店 小店', boss))?.payload.text)).toContain('已开通');
    await say('设置 群成员 店员', boss);
    await say('进货 T恤 100件 单价 20');
    for (const intent of WRITE_INTENTS) {
      const example = INTENTS[intent].help.examples[0] ?? '';
      const sent = await say(example);
      expect(String(sent?.payload.text), example).toMatch(/✅ #\d+/);
      expect(hasUndoButton(sent), example).toBe(true);
    }
    for (const text of ['查 T恤', '日报', '帮助', '别名 T恤 白T']) {
      const sent = await say(text);
      expect(String(sent?.payload.text).length, text).toBeGreaterThan(0);
      expect(hasUndoButton(sent), text).toBe(false);
    }
  });
});

describe('the registry and the dispatch are exhaustive (checked by tsc)', () => {
  it('an intent without a handler, or without a definition, does not compile', () => {
    const reply: Handler<Intent> = (_command, context) => context.reply('');
    const all = Object.fromEntries(INTENT_ORDER.map((i) => [i, reply])) as IntentHandlers;
    const { help: _help, ...withoutHelp } = all;
    // @ts-expect-error help has no handler
    const missingHandler: IntentHandlers = withoutHelp;
    const { alias: _alias, ...withoutAlias } = INTENTS;
    // @ts-expect-error alias has no definition
    const missingDefinition: { [I in Intent]: IntentDefinition<I> } = withoutAlias;
    // @ts-expect-error query does not write: it is not a WriteIntent
    const notWrite: WriteIntent = 'query';
    expect([missingHandler, missingDefinition, notWrite]).toHaveLength(3);
    expect(Object.keys(all).sort()).toEqual([...INTENT_ORDER].sort());
  });
});

describe('the write parsers are built from the registry', () => {
  it('one parser per write intent, in the registry order, with its declared and colloquial verbs', () => {
    expect(WRITE_PARSERS.map((p) => p.intent)).toEqual(WRITE_INTENTS);
    for (const [k, intent] of WRITE_INTENTS.entries()) {
      expect(WRITE_PARSERS[k]?.verbs).toEqual([...INTENTS[intent].verbs, ...INTENTS[intent].colloquial]);
    }
  });

  it("each write intent's declared fields resolve to field parsers and its declared example is the refusal's", () => {
    for (const intent of WRITE_INTENTS) {
      const spec = INTENTS[intent].parse;
      expect(spec.fields.length, intent).toBeGreaterThan(0);
      for (const name of spec.fields) expect(WRITE_FIELDS[name], `${intent}.${name}`).toBeDefined();
      const verb = INTENTS[intent].verbs[0] ?? '';
      const result = parse(verb);
      expect(result, verb).toMatchObject({ kind: 'error', code: 'MISSING_PRODUCT', example: spec.example('T恤', '件') });
    }
  });

  it("a declared field is the one that reads it: 盘点's count words, 调拨's arrow", () => {
    expect(INTENTS.stocktake.parse.fields).toContain('countWords');
    expect(parse('盘点 T恤 还剩45件')).toMatchObject({ kind: 'command', command: { intent: 'stocktake', items: [{ product: 'T恤', quantity: 45 }] } });
    expect(INTENTS.transfer.parse.fields).toContain('arrowTransfer');
    expect(parse('调拨 T恤 5件 门店→仓库')).toMatchObject({ kind: 'command', command: { intent: 'transfer' } });
  });
});

describe('the handlers live next to the registry and the engine dispatches through them', () => {
  it('the dispatch table has one handler per registry intent; every write intent gets the write handler', () => {
    expect(Object.keys(INTENT_HANDLERS).sort()).toEqual([...INTENT_ORDER].sort());
    for (const intent of WRITE_INTENTS) expect(INTENT_HANDLERS[intent], intent).toBe(writeHandler);
    for (const intent of INTENT_ORDER.filter((i) => !INTENTS[i].writes)) expect(INTENT_HANDLERS[intent], intent).not.toBe(writeHandler);
    expect(INTENT_HANDLERS.undo).toBe(undoHandler);
  });

  it("the engine runs the folder's handlers on a real ledger: a write, the folder's help text, an undo", async () => {
    const t = createTestDb();
    try {
      const clock = new TestClock(NOW);
      const engine = new ChatEngine(t.store, clock, engineDeps(t.db));
      const shop = await t.store.createShop('小店', clock.now());
      let n = 0;
      const say = async (text: string) => {
        n += 1;
        return await engine.handle({ platform: 'console', chatId: 'c', chatType: 'private', messageId: String(n), userId: 'u', text }, shop, 'owner');
      };
      const bought = await say('进货 T恤 50件 单价 20');
      expect(bought?.intent).toBe('purchase');
      expect(bought?.entrySeqs).toHaveLength(1);
      expect((await t.store.stock(shop.id)).map((r) => r.qtyMilli)).toEqual([50_000]);
      const help = await say('帮助 进货');
      expect(help?.text).toBe((await helpHandler({ intent: 'help', topic: 'purchase' }, { reply: (text: string) => ({ text, entrySeqs: [], duplicate: false }) } as unknown as HandlerContext)).text);
      const undone = await say('撤销');
      expect(undone?.intent).toBe('undo');
      expect((await t.store.stock(shop.id)).reduce((sum, r) => sum + r.qtyMilli, 0)).toBe(0);
    } finally {
      t.cleanup();
    }
  });
});

describe("the command schema's write intents come from the registry", () => {
  it('one schema per write intent, in the registry order; only 调拨 has a destination, and it is required', () => {
    expect(WRITE_INTENT_NAMES).toEqual(WRITE_INTENTS);
    const item = { product: 'T恤', known: true, quantity: 1 };
    for (const intent of WRITE_INTENTS) {
      const withTo = commandSchema.safeParse({ intent, items: [item], to: '天猫仓' });
      expect(withTo.success, intent).toBe(true);
      expect(withTo.data !== undefined && 'to' in withTo.data, intent).toBe(intent === 'transfer');
      expect(commandSchema.safeParse({ intent, items: [item] }).success, intent).toBe(intent !== 'transfer');
      expect(commandSchema.safeParse({ intent, items: [] }).success, intent).toBe(false);
    }
  });

  it('the Command type stays precise per write intent (checked by tsc)', () => {
    const move: Extract<Command, { intent: 'transfer' }> = { intent: 'transfer', items: [], to: '天猫仓' };
    // @ts-expect-error a sale has no destination
    const sale: Extract<Command, { intent: 'sale' }> = { intent: 'sale', items: [], to: '天猫仓' };
    // @ts-expect-error a transfer without a destination is not a Command
    const missing: Command = { intent: 'transfer', items: [] };
    const to: string = move.to;
    expect([sale, missing, to]).toHaveLength(3);
  });
});
