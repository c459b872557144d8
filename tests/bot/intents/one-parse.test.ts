import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteAccessStore } from '../../../src/adapters/prisma/sqlite-access.ts';
import { ChatEngine } from '../../../src/bot/engine.ts';
import { ChatGateway } from '../../../src/bot/gateway.ts';
import { readMessage } from '../../../src/bot/parse/index.ts';
import { AccessService } from '../../../src/core/access.service.ts';
import { ctx } from '../parse/fixtures.ts';
import { createTestDb, engineDeps, TestClock, type TestDb } from '../../helpers/db.ts';

let t: TestDb;
let engine: ChatEngine;
let gateway: ChatGateway;
let n = 0;

async function say(chatId: string, userId: string, text: string) {
  n += 1;
  return await gateway.handle({ platform: 'telegram', chatId, chatType: chatId.startsWith('p') ? 'private' : 'group', messageId: String(n), userId, userName: userId, userHandle: userId, text });
}

beforeEach(() => {
  t = createTestDb();
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  engine = new ChatEngine(t.store, clock, engineDeps(t.db));
  const codes = ['CODE01', 'CODE02'];
  gateway = new ChatGateway(engine, new AccessService(new SqliteAccessStore(t.db), t.store, clock, { owners: [], codeGenerator: () => codes.shift() ?? 'LAST99' }), clock);
});
afterEach(() => t.cleanup());

describe('one entry point reads a message: administration phrases first, then the inventory language', () => {
  it('readMessage puts the admin phrases before the parsers (设置 群成员 is not a product setting)', () => {
    expect(readMessage('设置 群成员 店员', ctx)).toEqual({ kind: 'admin', admin: { kind: 'command', command: { intent: 'memberRole', role: 'staff' } } });
    expect(readMessage('授权 小李', ctx)).toMatchObject({ kind: 'admin', admin: { kind: 'error' } });
    expect(readMessage('设置 T恤 预警 10', ctx)).toMatchObject({ kind: 'command', command: { intent: 'setting', key: 'reorderLevel' } });
    expect(readMessage('今天好热', ctx)).toEqual({ kind: 'none' });
  });

  it('a bound chat parses each message once, an admin phrase or a ledger line alike', async () => {
    expect((await say('p-boss', 'boss', '开店 小店'))?.text).toContain('已开通');
    const read = vi.spyOn(engine, 'read');
    const parse = vi.spyOn(engine, 'parse');

    expect((await say('p-boss', 'boss', '进货 T恤 5件 单价 20'))?.text).toContain('进货 T恤 5件');
    expect([read.mock.calls.length, parse.mock.calls.length]).toEqual([1, 0]);

    expect((await say('p-boss', 'boss', '绑定码'))?.text).toContain('绑定码 CODE01');
    expect([read.mock.calls.length, parse.mock.calls.length]).toEqual([2, 0]);

    expect((await say('p-boss', 'boss', '授权 小李'))?.text).toContain('授权 @某人 店员|查看|老板');
    expect([read.mock.calls.length, parse.mock.calls.length]).toEqual([3, 0]);
  });
});
