import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAccessStore } from '../../src/adapters/prisma/sqlite-access.ts';
import { ChatEngine, type BotLogger } from '../../src/bot/engine.ts';
import { ChatGateway } from '../../src/bot/gateway.ts';
import { AccessService } from '../../src/core/access.service.ts';
import { createTestDb, TestClock, type TestDb, engineDeps } from '../helpers/db.ts';

let t: TestDb;
let lines: string[];
let gateway: ChatGateway;
let n = 0;

beforeEach(() => {
  t = createTestDb();
  lines = [];
  const capture = (level: string) => (obj: object, msg?: string) => lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  const logger: BotLogger = { info: capture('info'), warn: capture('warn'), error: capture('error'), debug: capture('debug') };
  const clock = new TestClock(new Date('2026-11-27T04:00:00Z'));
  gateway = new ChatGateway(new ChatEngine(t.store, clock, { ...engineDeps(t.db), logger }), new AccessService(new SqliteAccessStore(t.db), t.store, clock, { owners: [] }), clock);
});
afterEach(() => t.cleanup());

const say = async (text: string) => {
  n += 1;
  return await gateway.handle({ platform: 'telegram', chatId: 'p1', chatType: 'private', messageId: String(n), userId: 'boss', userName: 'boss', text });
};

describe('logs', () => {
  it('carry one line per handled message with shop, chat, intent, entries and milliseconds, and never a price or cost', async () => {
    await say('开店 小店');
    await say('进货 T恤 50 件 单价 23.47');
    await say('出货 T恤 3 件 单价 67.89');
    await say('利润 本月');
    await say('查 T恤');
    const handled = lines.filter((l) => l.includes('message handled'));
    expect(handled).toHaveLength(4);
    const first = JSON.parse(handled[0]?.slice(handled[0].indexOf('{')) ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject({ shop: 1, platform: 'telegram', chat: 'p1', intent: 'purchase', entries: [1] });
    expect(typeof first.ms).toBe('number');
    for (const line of lines) expect(line).not.toMatch(/2347|23\.47|6789|67\.89|70\.41|7041|1173\.5/);
  });
});
