import { describe, expect, it } from 'vitest';
import { expectCommand, parse } from './fixtures.ts';

describe('网页', () => {
  it.each(['网页', '网页版', '网页登录', '登录网页', '网页！', ' 网页 '])('%j asks for a sign-in link', (text) => {
    expectCommand(text, { intent: 'web' });
  });

  it.each(['网页版很好用', '网页打不开', '网页上看看库存', '网页链接发我一下吧'])('%j is talk, not a command', (text) => {
    const result = parse(text);
    expect(result.kind === 'command' && result.command.intent === 'web').toBe(false);
  });
});
