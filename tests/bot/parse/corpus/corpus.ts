import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalogue, parseMessage, type ParseContext } from '../../../../src/bot/parse/index.ts';
import { summarize } from './summarize.ts';

/**
 * The corpus of group-chat lines (`*.txt` here): one message per line, `message => expected`,
 * `\n` inside a message for a multi-line paste, `# …` comments. A trailing ` => todo` marks a
 * line the parser does not read right yet; the test expects it to fail so a fix is noticed.
 */

const DIR = dirname(fileURLToPath(import.meta.url));

/** Friday 2026-11-27, 12:00 in Asia/Shanghai — the same reference as the parser tables. */
export const CORPUS_NOW = new Date('2026-11-27T04:00:00Z');

/** A small clothing-and-accessories shop, as the corpus lines assume. */
export const corpusContext: ParseContext = {
  now: CORPUS_NOW,
  timeZone: 'Asia/Shanghai',
  botNames: ['jxcbot'],
  catalogue: buildCatalogue([
    { name: '卫衣', aliases: ['连帽卫衣'], unit: '件', units: {} },
    { name: 'T恤 白色 L', aliases: [], unit: '件', units: {} },
    { name: 'T恤 白色 XL', aliases: [], unit: '件', units: {} },
    { name: 'T恤 黑色 M', aliases: [], unit: '件', units: {} },
    { name: 'T恤 黑色 L', aliases: [], unit: '件', units: {} },
    { name: '帆布包', aliases: ['帆布袋'], unit: '个', units: {} },
    { name: 'iPhone 15 Pro 手机壳', aliases: ['15pro壳'], unit: '个', units: {} },
    { name: '数据线', aliases: [], sku: 'DL-001', unit: '根', units: {} },
    { name: '袜子', aliases: [], unit: '双', units: { 包: 5 } },
    { name: '牛仔裤', aliases: [], unit: '条', units: {} },
    { name: '保温杯', aliases: [], unit: '个', units: {} },
    { name: '雪碧', aliases: [], unit: '瓶', units: { 箱: 24 } },
    { name: '核桃', aliases: [], unit: '斤', units: {} },
    { name: '口罩', aliases: [], unit: '盒', units: {} },
    { name: '拖鞋', aliases: [], unit: '双', units: {} },
  ]),
};

/** One corpus line. */
export interface CorpusCase {
  file: string;
  line: number;
  text: string;
  expected: string;
  todo: boolean;
}

/** Every case of every corpus file, in file order. */
export function loadCorpus(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort()) {
    const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
    lines.forEach((raw, i) => {
      if (raw.trim().length === 0 || raw.startsWith('#')) return;
      const parts = raw.split(' => ');
      const text = (parts[0] ?? '').replace(/\\n/g, '\n');
      const expected = (parts[1] ?? '').trim();
      out.push({ file, line: i + 1, text, expected, todo: parts[2]?.trim() === 'todo' });
    });
  }
  return out;
}

/** What the parser makes of a corpus message, in the summary form. */
export function readLine(text: string, ctx: ParseContext = corpusContext): string {
  return summarize(parseMessage(text, ctx), ctx.timeZone);
}
