import { describe, expect, it } from 'vitest';
import { adminCommandSchema } from '../../src/bot/admin-command.schema.ts';
import { parseAdmin } from '../../src/bot/admin.parser.ts';

// The parser no longer runs the zod schema at run time (zod stays out of start-up); the schema is
// still the one definition of an administration command, and every parse must match it.
describe('parseAdmin output matches the admin command schema', () => {
  it.each([
    ['开店 小王的店', { intent: 'openShop', name: '小王的店' }],
    ['/start', { intent: 'openShop' }],
    ['绑定码', { intent: 'bindCode' }],
    ['关联码', { intent: 'linkCode' }],
    ['绑定 abc123', { intent: 'bind', code: 'ABC123' }],
    ['解绑', { intent: 'unbind' }],
    ['成员', { intent: 'members' }],
    ['授权 @小李 店员', { intent: 'grant', target: '小李', role: 'staff' }],
    ['移除 @小李', { intent: 'remove', target: '小李' }],
    ['设置 群成员 查看', { intent: 'memberRole', role: 'viewer' }],
    ['设置 缺货提醒 开', { intent: 'shopSetting', key: 'lowStockAlert', value: true }],
    ['设置 滞销天数 30', { intent: 'shopSetting', key: 'noSaleDays', value: 30 }],
    ['设置 日报 图片', { intent: 'shopSetting', key: 'digestPicture', value: true }],
    ['设置日报图片', { intent: 'shopSetting', key: 'digestPicture', value: true }],
    ['@jxc_bot 设置 日报 文字', { intent: 'shopSetting', key: 'digestPicture', value: false }],
    ['记录', { intent: 'audit' }],
    ['记录 #12', { intent: 'audit', entryNo: 12 }],
    ['记录 T恤', { intent: 'audit', product: 'T恤' }],
  ])('%s', (line, expected) => {
    const parsed = parseAdmin(line);
    expect(parsed.kind).toBe('command');
    if (parsed.kind !== 'command') return;
    expect(parsed.command).toMatchObject(expected);
    expect(adminCommandSchema.safeParse(parsed.command).success).toBe(true);
  });

  it('refuses what the schema would refuse, before building a command', () => {
    expect(parseAdmin('设置 滞销天数 0').kind).toBe('error');
    expect(parseAdmin('设置 滞销天数 4000').kind).toBe('error');
    expect(parseAdmin('授权 @小李 经理').kind).toBe('error');
  });

  it('leaves 设置 日报 21:00 (the time) to the product-language settings', () => {
    expect(parseAdmin('设置 日报 21:00').kind).toBe('none');
  });
});
