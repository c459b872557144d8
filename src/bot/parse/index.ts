import { parseAdmin, type AdminParse } from '../admin.parser.ts';
import { aliasParser } from './alias.parser.ts';
import { correctParser } from './correct.parser.ts';
import { fileParser } from './file.parser.ts';
import { helpParser } from './help.parser.ts';
import { rewriteSlashCommand, stripMentions } from './mention.refiner.ts';
import { normalizeMessage } from './normalize.refiner.ts';
import { parseError } from './errors.ts';
import { peelLead, type Lead } from './lead.refiner.ts';
import { queryParser } from './query.parser.ts';
import { reportParser, reportQuestionParser } from './report.parser.ts';
import { settingParser } from './setting.parser.ts';
import { payablesParser } from '../intents/payables/payables.parser.ts';
import { NONE, type IntentParser, type ParseContext, type ParseResult, type ParserInput } from './types.ts';
import { COLLOQUIAL_VERBS, INTENT_VERBS, verbPattern, WRITE_INTENTS } from './verbs.ts';
import { undoParser } from './undo.parser.ts';
import { webParser } from './web.parser.ts';
import { registryWriteParser } from './write-command.ts';

/**
 * The message language: chat text → typed `Command`, a refusal with a corrected example, or
 * `none` for chatter. Refiners normalise the text, then small per-intent parsers are tried in
 * order, the way chrono composes its parsers.
 */

export { buildCatalogue, Catalogue, type CatalogueProduct } from './catalogue.ts';
export { parsePeriod } from './period.ts';
export { importKindOfCaption, mentionsFileVerb, orderPlatformOfCaption } from './file.parser.ts';
export { nearDuplicates, suggestProducts } from './suggest.ts';
export type { ParseContext, ParseError, ParseErrorCode, ParseResult } from './types.ts';

/** One parser per write intent of the registry, in its order (进货, 出货, 退货, 退供, 盘点, 调拨). */
export const WRITE_PARSERS: readonly IntentParser[] = WRITE_INTENTS.map(registryWriteParser);

/**
 * In order. Report comes before sale so `销售额` is a report, not a sale of `额`; help first so
 * `?` is never anything else; files before query so `导出 库存` is an export, not a product 导出.
 */
const PARSERS: readonly IntentParser[] = [
  helpParser,
  webParser,
  fileParser,
  reportParser,
  reportQuestionParser,
  // The write intents in the registry's order, each built from its declared spec (src/bot/intents).
  ...WRITE_PARSERS,
  queryParser,
  undoParser,
  correctParser,
  settingParser,
  payablesParser,
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

/** A chat message parsed once: a shop-administration phrase (开店, 绑定码, 授权 …) or the inventory language. */
export type MessageParse = { kind: 'admin'; admin: Exclude<AdminParse, { kind: 'none' }> } | ParseResult;

/**
 * The one entry point for a chat message. The administration phrases come first in the order
 * (`设置 群成员 店员` is not a product setting), then the inventory parsers of `parseMessage`.
 */
export function readMessage(text: string, ctx: ParseContext): MessageParse {
  const admin = parseAdmin(text);
  return admin.kind === 'none' ? parseMessage(text, ctx) : { kind: 'admin', admin };
}

/**
 * Parses one chat message in the inventory language. Never throws; returns a command, a refusal (`kind: 'error'`, Chinese
 * message and example), `none` when the message is not addressed to the bot as a command, or a
 * batch when a paste holds several commands (`卖了 …` on one line, `进货 …` on the next).
 */
export function parseMessage(text: string, ctx: ParseContext): ParseResult {
  const normalized = normalizeMessage(text);
  if (typeof normalized !== 'string') return normalized;
  const unmentioned = stripMentions(normalized, ctx.botNames);
  if (unmentioned === undefined) return NONE;
  const body = rewriteSlashCommand(unmentioned, ctx.botNames);
  if (body === undefined || body.length === 0) return NONE;
  if (body.includes('\n')) {
    const groups = groupLines(body, ctx);
    if (groups.length === 1) return parseOne(groups[0] as string, ctx);
    if (groups.length > 1) {
      const results = groups.map((g) => parseOne(g, ctx)).filter((r) => r.kind === 'command' || r.kind === 'error');
      if (results.length === 0) return NONE;
      if (results.length === 1) return results[0] as ParseResult;
      return { kind: 'batch', results };
    }
  }
  return parseOne(body, ctx);
}

/** `刚才那条错了`, `记错了`: someone wants to fix an entry but has not said how. */
// `写错了地址` is about a parcel: the first form must end the sentence.
const FIX_WISH = /^(?:(?:刚才|刚刚|上一|上面|前面)?(?:那|这|上)?[条笔单个]?\s*(?:记|录|写|打|输|弄|搞)错了?(?:$|[\s,.!~，。！])|(?:刚才|刚刚)?(?:那|这|上一)[条笔单]\S{0,4}错)/;

/** `刚才那条撤销`, `上一条不要了`: undo the sender's last entry. */
const UNDO_LAST = /^(?:刚才|刚刚)?(?:那|这|上一)[条笔单]\s*(?:撤销|撤回|删掉|删了|删除|不要了|作废)$/;

function parseOne(text: string, ctx: ParseContext): ParseResult {
  if (UNDO_LAST.test(text)) return { kind: 'command', command: { intent: 'undo' } };
  if (FIX_WISH.test(text)) {
    return parseError('HINT_UNDO', '要改哪一条？回复那条记录发「撤销」，或写单号改数量、单价。', '撤销 #12　或　改 #12 数量 3 单价 59');
  }
  // Most commands start with their verb: try the text as written before peeling anything off.
  const direct = BY_FIRST_CHAR.has(text[0] ?? '');
  if (direct) {
    const result = tryParsers(text, {}, ctx);
    if (result.kind !== 'none') return result;
  }
  const { body, lead } = peelLead(text, ctx.catalogue);
  let result = body === text && direct ? NONE : tryParsers(body, lead, ctx);
  if (result.kind === 'none' && body !== text && !direct) result = tryParsers(text, {}, ctx);
  if (result.kind !== 'none') return result;
  // `卫衣到货50件 35一件`: the verb after a known product.
  const reordered = verbAfterProduct(body, ctx) ?? transferInside(body, ctx);
  if (reordered !== undefined) {
    result = tryParsers(reordered, lead, ctx);
    if (result.kind !== 'none') return result;
  }
  return recordHint(body, ctx);
}

function tryParsers(body: string, lead: Lead, ctx: ParseContext): ParseResult {
  if (body.length === 0) return NONE;
  const first = BY_FIRST_CHAR.get(body[0] ?? '');
  const hinted = HINTED.filter((p) => p.hint?.test(body) === true && first?.includes(p) !== true);
  const candidates = hinted.length === 0 ? first : PARSERS.filter((p) => first?.includes(p) === true || hinted.includes(p));
  if (candidates === undefined) return NONE;
  const { date, ...fields } = lead;
  const input: ParserInput = {
    body,
    ctx,
    ...(date !== undefined ? { leadingDate: date } : {}),
    ...(fields.channel !== undefined || fields.counterparty !== undefined || fields.location !== undefined ? { lead: fields } : {}),
  };
  for (const parser of candidates) {
    const re = parser.pattern();
    const match = re.exec(body);
    if (match === null) continue;
    const result = parser.extract(input, match);
    if (result !== null) return result;
  }
  return NONE;
}

const WRITE_VERB_AFTER = verbPattern(WRITE_INTENTS.flatMap((i) => [...INTENT_VERBS[i], ...COLLOQUIAL_VERBS[i]]));
const NUMERAL = /^\s*[\d一二两三四五六七八九十]/;

// `帆布包入库 100个 12` for a name not in the catalogue yet: only the formal verbs, so
// `老王说到货了` and `快递到了3个` stay chatter.
const FORMAL_AFTER_NAME = new RegExp(`^([^\\s\\d,;、:]{1,12}?)\\s*(?=${WRITE_INTENTS.flatMap((i) => [...INTENT_VERBS[i]]).join('|')})`);

function verbAfterProduct(body: string, ctx: ParseContext): string | undefined {
  const m = ctx.catalogue.matchPrefix(body) ?? unknownName(body);
  if (m === undefined) return undefined;
  const after = body.slice(m.end).trimStart();
  const verb = WRITE_VERB_AFTER.exec(after);
  if (verb === null) return undefined;
  // `口罩 调50盒到门店`: a one-character verb only before a number.
  if (verb[0].length === 1 && !NUMERAL.test(after.slice(1))) return undefined;
  return `${verb[0]} ${body.slice(0, m.end)} ${after.slice(verb[0].length)}`;
}

const HAS_NUMBER = /\d/;
// `帆布包 5个 从门店调回仓库`: the transfer verb between the places.
const TRANSFER_INSIDE = /\s*(?:调回|调到|调往|挪到|挪回|移到|搬到|搬回)\s*/;

function transferInside(body: string, ctx: ParseContext): string | undefined {
  const m = ctx.catalogue.matchPrefix(body);
  if (m === undefined) return undefined;
  const verb = TRANSFER_INSIDE.exec(body.slice(m.end));
  if (verb === null || !HAS_NUMBER.test(body.slice(m.end, m.end + verb.index))) return undefined;
  const at = m.end + verb.index;
  return `调拨 ${body.slice(0, at)} 到 ${body.slice(at + verb[0].length)}`;
}
// `2件 89`, `1个 39 淘宝`: only numbers, units and one short word after the name.
const COUNT_AND_PRICE = /^[\d\s.件个条双包箱盒瓶支台套斤元块@x×*¥]+(?:\s+\S{1,4})?$/;

const SENTENCE_WORDS = /[说要的了吗呢吧我你他她们天周号月还会能才就都也]/;

function unknownName(body: string): { end: number } | undefined {
  const m = FORMAL_AFTER_NAME.exec(body);
  if (m === null || !HAS_NUMBER.test(body.slice(m[0].length))) return undefined;
  // `老王说明天到货100件`: a sentence about a delivery, not a product name.
  if (SENTENCE_WORDS.test(m[1] ?? '')) return undefined;
  return { end: (m[1] ?? '').length };
}

/**
 * In a group, a line that names a known product and a number but has no verb is a record someone
 * meant to make; answer with how to write it instead of staying silent.
 */
function recordHint(body: string, ctx: ParseContext): ParseResult {
  const m = ctx.catalogue.matchPrefix(body);
  if (m === undefined || !HAS_NUMBER.test(body.slice(m.end))) return NONE;
  const rest = body.slice(m.end).trim();
  if (!COUNT_AND_PRICE.test(rest)) return NONE;
  const line = `${m.product.name} ${rest}`;
  return parseError('HINT_VERB', `「${line}」是进货还是卖出？请在前面写上动作。`, `卖了 ${line}　或　进货 ${line}`);
}

// Lines of a paste: a line that starts another command starts a group; other lines (items,
// a lone date) belong to the group before. A line repeating the group's verb stays in it.
function groupLines(body: string, ctx: ParseContext): string[] {
  const groups: { text: string; intent: string | undefined }[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    const intent = lineIntent(line, ctx);
    const current = groups[groups.length - 1];
    if (current === undefined || (intent !== undefined && current.intent !== undefined && (intent !== current.intent || !WRITE_SET.has(intent)))) {
      groups.push({ text: line, intent });
    } else {
      if (intent !== undefined && current.intent === undefined) current.intent = intent;
      // Chatter after a record in a paste (`好的`) is not an item.
      if (current.intent !== undefined && intent === undefined && CHATTER_LINE.test(line)) continue;
      current.text += `\n${line}`;
    }
  }
  return groups.map((g) => g.text);
}

const WRITE_SET: ReadonlySet<string> = new Set(WRITE_INTENTS);
const CHATTER_LINE = /^(?:好的?|好嘞|收到|ok|嗯+|谢谢|辛苦了?|明白|知道了|了解|就这些|没了)[!.~啦了呀啊]*$/i;

function lineIntent(line: string, ctx: ParseContext): string | undefined {
  const { body } = peelLead(line, ctx.catalogue);
  if (body.length === 0) return undefined;
  const first = BY_FIRST_CHAR.get(body[0] ?? '');
  for (const parser of first ?? []) {
    if (parser.pattern().exec(body) !== null) return parser.intent;
  }
  for (const parser of HINTED) if (parser.hint?.test(body) === true) return parser.intent;
  return undefined;
}
