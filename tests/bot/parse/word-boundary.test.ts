import { describe, expect, it } from 'vitest';
import { parseError } from '../../../src/bot/parse/errors.ts';
import { commandResult, type ParseResult } from '../../../src/bot/parse/types.ts';
import { wordBoundaryParser, type GluedVerb } from '../../../src/bot/parse/word-boundary.ts';
import { ctx, parse } from './fixtures.ts';

/** A parser for `撤销` that answers a command for `#n` and a refusal for anything else. */
function probe(glued: GluedVerb, gluedCommand?: (at: { after: string }) => boolean) {
  const parser = wordBoundaryParser({
    intent: 'undo',
    verbs: ['撤销'],
    pattern: /^撤销/,
    glued,
    gluedCommand,
    extract: (_input, { after }) => (/^\s*#\d+$/.test(after) || after === '上一条' ? commandResult({ intent: 'undo' }) : parseError('BAD_ENTRY_NO', '要写单号', '撤销 #1')),
  });
  return (body: string): ParseResult['kind'] | null => {
    const match = parser.pattern().exec(body);
    return match === null ? null : (parser.extract({ body, ctx }, match)?.kind ?? null);
  };
}

describe('wordBoundaryParser: what a verb run into a word means', () => {
  it.each<[GluedVerb, string, ParseResult['kind'] | null]>([
    ['chatter', '撤销 #3', 'command'],
    ['chatter', '撤销 好', 'error'],
    ['chatter', '撤销上一条', null],
    ['chatter', '撤销了吗', null],
    ['quiet', '撤销上一条', 'command'],
    ['quiet', '撤销了吗', null],
    ['quiet', '撤销 好', 'error'],
    ['own', '撤销上一条', 'command'],
    ['own', '撤销了吗', 'error'],
  ])('%s: %s → %s', (policy, body, kind) => {
    expect(probe(policy)(body)).toBe(kind);
  });

  it('a glued exception still reaches the parser under chatter', () => {
    expect(probe('chatter', ({ after }) => after === '上一条')('撤销上一条')).toBe('command');
    expect(probe('chatter', ({ after }) => after === '上一条')('撤销了吗')).toBeNull();
  });

  it('the real parsers keep their rules: talk stays silent, a verb set apart is a command', () => {
    for (const talk of ['改天再说', '撤回了吗', '说明一下', '导出来了吗', '利润太低了', '查一下快递', '别名叫什么']) {
      expect(parse(talk).kind, talk).toBe('none');
    }
    for (const command of ['改 #12 数量 4', '撤销上一条', '帮助进货', '确认导入跳过', '利润本月', '查 T恤']) {
      expect(parse(command).kind, command).toBe('command');
    }
  });
});
