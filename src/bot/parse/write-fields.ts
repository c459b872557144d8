import type { WriteFieldName } from '../intents/intent.ts';
import { batchCodeParser, batchDateParser } from './batch.ts';
import { channelParser } from './channel.ts';
import { counterpartyParser } from './counterparty.ts';
import type { FieldParser } from './field.ts';
import { arrivalLocationParser, arrowTransferParser, barePlaceParser, bareTargetParser, sourceLocationParser, transferTargetParser } from './location.ts';

/** `卫衣 还剩45件`, `实际有 45` (盘点): words around a count that add nothing. */
const countWords: FieldParser = {
  hint: /[还剩实]/,
  pattern: () => COUNT_WORDS,
  extract: () => true,
};
const COUNT_WORDS = /(?:还剩下|还剩|剩下|还有|实际有|实有|剩)(?=\s*[\d一二两三四五六七八九十])/g;

/**
 * The field parsers the registry's write intents name in their `parse.fields`: a name the registry
 * uses without a parser here, or a parser without a name, fails to compile.
 */
export const WRITE_FIELDS: { readonly [N in WriteFieldName]: FieldParser } = {
  sourceLocation: sourceLocationParser,
  arrivalLocation: arrivalLocationParser,
  transferTarget: transferTargetParser,
  arrowTransfer: arrowTransferParser,
  bareTarget: bareTargetParser,
  barePlace: barePlaceParser,
  counterparty: counterpartyParser,
  channel: channelParser,
  countWords,
  batch: batchCodeParser,
  batchDates: batchDateParser,
};
