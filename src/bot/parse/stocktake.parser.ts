import type { FieldParser } from './field.ts';
import { barePlaceParser, sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 盘点: the counted stock (`盘点 T恤 45` sets stock to 45); the handler books the difference as
 * 盘盈/盘亏. The number is the new on-hand quantity, not a change.
 */
/** `卫衣 还剩45件`, `实际有 45`: words around a count that add nothing. */
const countWords: FieldParser = {
  hint: /[还剩实]/,
  pattern: () => COUNT_WORDS,
  extract: () => true,
};
const COUNT_WORDS = /(?:还剩下|还剩|剩下|还有|实际有|实有|剩)(?=\s*[\d一二两三四五六七八九十])/g;

export const stocktakeParser = writeParser({
  intent: 'stocktake',
  fields: [sourceLocationParser, countWords, barePlaceParser],
  example: (name) => `盘点 ${name} 45`,
});
