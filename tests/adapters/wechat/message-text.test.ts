import { describe, expect, it } from 'vitest';
import { splitQuote, stripBotMention } from '../../../src/adapters/wechat/message-text.ts';
import { RecentIds } from '../../../src/adapters/wechat/recent-ids.ts';

describe('stripBotMention', () => {
  const cases: [string, string, string[], string, boolean][] = [
    ['leading mention with U+2005', '@jxc-bot\u2005进货 T恤 50 件', ['jxc-bot'], '进货 T恤 50 件', true],
    ['name with a space', '@进销存 助手\u2005出货 T恤 3 件', ['进销存 助手'], '出货 T恤 3 件', true],
    ['mention at the end', '查 T恤 @jxc-bot', ['jxc-bot'], '查 T恤', true],
    ['mention in the middle, ordinary space', '查 @jxc-bot T恤', ['jxc-bot'], '查 T恤', true],
    ['room alias instead of the WeChat name', '@仓库小助手\u2005库存', ['jxc-bot', '仓库小助手'], '库存', true],
    ['longer name wins over its prefix', '@小助手2\u2005库存', ['小助手', '小助手2'], '库存', true],
    ['keeps other people', '授权 @小李\u2005店员', ['jxc-bot'], '授权 @小李\u2005店员', false],
    ['keeps other people next to the bot', '@jxc-bot\u2005授权 @小李\u2005店员', ['jxc-bot'], '授权 @小李 店员', true],
    ['a longer name is someone else', '@jxc-bot2\u2005库存', ['jxc-bot'], '@jxc-bot2\u2005库存', false],
    ['regex characters in the name', '@a.b(c)\u2005库存', ['a.b(c)'], '库存', true],
    ['keeps line breaks between items', '@jxc-bot\u2005进货 T恤 5件 20元\n短裤 3条 15元', ['jxc-bot'], '进货 T恤 5件 20元\n短裤 3条 15元', true],
    ['only the mention', '@jxc-bot', ['jxc-bot'], '', true],
    ['no names known', '@jxc-bot\u2005库存', [], '@jxc-bot\u2005库存', false],
  ];
  it.each(cases)('%s', (_, text, names, expected, mentioned) => {
    expect(stripBotMention(text, names)).toEqual({ text: expected, mentioned });
  });

  it('ignores empty and missing names', () => {
    expect(stripBotMention('@ 库存', ['', undefined, ' '])).toEqual({ text: '@ 库存', mentioned: false });
  });
});

describe('splitQuote', () => {
  it('separates a quoted message from the reply', () => {
    expect(splitQuote('「jxc-bot：✅ #12 出货 T恤 3件」\n- - - - - - - - - - - - - - -\n撤销')).toEqual({
      body: '撤销',
      quote: { name: 'jxc-bot', text: '✅ #12 出货 T恤 3件' },
    });
  });

  it('keeps a multi-line quote whole', () => {
    expect(splitQuote('「小王：进货 T恤 5件\n短裤 3条」\n- - - - -\n撤销')).toEqual({ body: '撤销', quote: { name: '小王', text: '进货 T恤 5件\n短裤 3条' } });
  });

  it('leaves ordinary text alone', () => {
    expect(splitQuote('进货 T恤 50 件「特价」')).toEqual({ body: '进货 T恤 50 件「特价」' });
    expect(splitQuote('「小王：进货」撤销')).toEqual({ body: '「小王：进货」撤销' });
  });
});

describe('RecentIds', () => {
  it('says whether an id was handled and forgets the oldest beyond its capacity', async () => {
    const ids = new RecentIds(2);
    expect(await ids.has('a')).toBe(false);
    await ids.remember('a');
    expect(await ids.has('a')).toBe(true);
    await ids.remember('b');
    await ids.remember('c');
    expect(await ids.has('a')).toBe(false);
    expect(await ids.has('c')).toBe(true);
  });
});
