import { aliasParser } from './alias.parser.ts';
import { correctParser } from './correct.parser.ts';
import { customerReturnParser } from './customer-return.parser.ts';
import { fileParser } from './file.parser.ts';
import { helpParser } from './help.parser.ts';
import { rewriteSlashCommand, stripMentions } from './mention.refiner.ts';
import { normalizeMessage } from './normalize.refiner.ts';
import { LEADING_DATE } from './occurred-at.ts';
import { purchaseParser } from './purchase.parser.ts';
import { queryParser } from './query.parser.ts';
import { reportParser } from './report.parser.ts';
import { saleParser } from './sale.parser.ts';
import { settingParser } from './setting.parser.ts';
import { stocktakeParser } from './stocktake.parser.ts';
import { supplierReturnParser } from './supplier-return.parser.ts';
import { transferParser } from './transfer.parser.ts';
import { NONE, type IntentParser, type ParseContext, type ParseResult } from './types.ts';
import { undoParser } from './undo.parser.ts';

/**
 * The message language: chat text → typed `Command`, a refusal with a corrected example, or
 * `none` for chatter. Refiners normalise the text, then small per-intent parsers are tried in
 * order, the way chrono composes its parsers.
 */

export { buildCatalogue, Catalogue, type CatalogueProduct } from './catalogue.ts';
export { parsePeriod } from './period.ts';
export { importKindOfCaption, mentionsFileVerb } from './file.parser.ts';
export { suggestProducts } from './suggest.ts';
export type { ParseContext, ParseError, ParseErrorCode, ParseResult } from './types.ts';

/**
 * In order. Report comes before sale so `销售额` is a report, not a sale of `额`; help first so
 * `?` is never anything else; files before query so `导出 库存` is an export, not a product 导出.
 */
const PARSERS: readonly IntentParser[] = [
  helpParser,
  fileParser,
  reportParser,
  purchaseParser,
  saleParser,
  customerReturnParser,
  supplierReturnParser,
  stocktakeParser,
  transferParser,
  queryParser,
  undoParser,
  correctParser,
  settingParser,
  aliasParser,
];

// Parsers by the first character of their verbs: most chatter starts with a character no verb
// starts with and costs one Map lookup.
const BY_FIRST_CHAR = new Map<string, IntentParser[]>();
for (const parser of PARSERS) {
  for (const verb of parser.verbs) {
    for (const ch of new Set([verb[0] ?? '', (verb[0] ?? '').toUpperCase()])) {
      const list = BY_FIRST_CHAR.get(ch) ?? [];
      if (!list.includes(parser)) list.push(parser);
      BY_FIRST_CHAR.set(ch, list);
    }
  }
}
const HINTED = PARSERS.filter((p) => p.hint !== undefined);

/**
 * Parses one chat message. Never throws; returns a command, a refusal (`kind: 'error'`, Chinese
 * message and example) or `none` when the message is not addressed to the bot as a command.
 */
export function parseMessage(text: string, ctx: ParseContext): ParseResult {
  const normalized = normalizeMessage(text);
  if (typeof normalized !== 'string') return normalized;
  const unmentioned = stripMentions(normalized, ctx.botNames);
  if (unmentioned === undefined) return NONE;
  let body = rewriteSlashCommand(unmentioned, ctx.botNames);
  if (body === undefined || body.length === 0) return NONE;

  let leadingDate: string | undefined;
  const date = LEADING_DATE.exec(body);
  if (date !== null) {
    leadingDate = date[0].trim();
    body = body.slice(date[0].length);
  }

  const first = BY_FIRST_CHAR.get(body[0] ?? '');
  const hinted = HINTED.filter((p) => p.hint?.test(body) === true && first?.includes(p) !== true);
  const candidates = hinted.length === 0 ? first : PARSERS.filter((p) => first?.includes(p) === true || hinted.includes(p));
  if (candidates === undefined) return NONE;
  const input = leadingDate === undefined ? { body, ctx } : { body, leadingDate, ctx };
  for (const parser of candidates) {
    const re = parser.pattern();
    const match = re.exec(body);
    if (match === null) continue;
    const result = parser.extract(input, match);
    if (result !== null) return result;
  }
  return NONE;
}
