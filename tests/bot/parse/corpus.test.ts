import { describe, expect, it } from 'vitest';
import { loadCorpus, readLine } from './corpus/corpus.ts';

// The group-chat corpus: every line with what it must become (a command, a refusal or
// question, or silence). Lines marked todo are known gaps, expected to still be wrong.
const cases = loadCorpus();

describe('group-chat corpus', () => {
  it('has at least 400 lines', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
  });
  for (const c of cases) {
    const name = `${c.file}:${c.line} ${c.text.replace(/\n/g, '⏎')}`;
    if (c.todo) it.fails(name, () => expect(readLine(c.text)).toBe(c.expected));
    else it(name, () => expect(readLine(c.text)).toBe(c.expected));
  }
});
