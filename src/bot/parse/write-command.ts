import type { Command, Item } from '../command.ts';
import type { Catalogue } from './catalogue.ts';
import { parseError } from './errors.ts';
import { appendNote, extractFields, noteParser, type FieldParser, type WriteFields } from './field.ts';
import { parseItem, type ItemSpec } from './item.ts';
import { LOCATION_SOURCE } from './location.ts';
import { isWordChar } from './text.ts';
import { findDateTokens, resolveOccurredAt } from './occurred-at.ts';
import { commandResult, type IntentParser, type ParseError, type ParseResult, type ParserInput } from './types.ts';
import { batchDateSpans, resolveBatch } from './batch.ts';
import { COLLOQUIAL_VERBS, INTENT_LABELS, INTENT_VERBS, leadingWriteVerb, verbPattern, type WriteIntent } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';
import { WRITE_FIELDS } from './write-fields.ts';
import { INTENTS } from '../intents/index.ts';

/**
 * The grammar every write shares (进货, 出货, 退货, 退供, 盘点, 调拨): a verb, one or more item
 * segments split on ，, ; 、 and new lines, message-wide fields (date, channel, counterparty,
 * locations) anywhere. All items are parsed before anything is returned, so a message is
 * accepted whole or refused whole — the ledger writes it atomically.
 */

/** What distinguishes one write intent from another. */
export interface WriteSpec {
  intent: WriteIntent;
  /** Field parsers in the order they run. */
  fields: readonly FieldParser[];
  /** A corrected example for refusals, from a product name and unit. */
  example: (name: string, unit: string) => string;
}

/** The parser of a registry write intent, built from its declared `parse` spec (src/bot/intents). */
export function registryWriteParser(intent: WriteIntent): IntentParser {
  const declared = INTENTS[intent].parse;
  return writeParser({ intent, fields: declared.fields.map((name) => WRITE_FIELDS[name]), example: declared.example });
}

/** Builds the intent parser for a write intent. */
export function writeParser(spec: WriteSpec): IntentParser {
  const formal: readonly string[] = INTENT_VERBS[spec.intent];
  const verbs = [...formal, ...COLLOQUIAL_VERBS[spec.intent]];
  const re = verbPattern(verbs);
  const full: WriteSpec = { ...spec, fields: [noteParser, ...spec.fields] };
  return wordBoundaryParser({
    intent: spec.intent,
    verbs,
    pattern: re,
    // `卖两个帆布包`, `卖卫衣2件` are commands run together: parseWrite decides with the catalogue.
    glued: 'own',
    extract: (input, { verb, after }) => parseWrite(full, input, verb, after, !formal.includes(verb)),
  });
}

/**
 * Splits on item separators, except a comma inside a number (`1,000件`).
 */
function splitSegments(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === ',') {
      const before = text[i - 1];
      const thousands =
        before !== undefined && before >= '0' && before <= '9' && /^\d{3}(?!\d)/.test(text.slice(i + 1, i + 5));
      if (thousands) continue;
    } else if (ch !== ';' && ch !== '、' && ch !== '\n' && ch !== '。') {
      continue;
    }
    out.push(text.slice(start, i));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}

const COUNTED = /[\d一二两三四五六七八九十]/;
// A count, then a word, then another count: the only shape splitAtNames can cut.
const MAYBE_TWO_ITEMS = /[\d一二两三四五六七八九十][^\s\d]*\s*[^\s\d]+\s*[\d一二两三四五六七八九十x×*]/;
const OWN_COUNT = /^\s*[\d一二两三四五六七八九十x×*]/;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * `盘点 口罩 180盒 核桃 25斤`, `卖了卫衣1件89帆布包1个39`: a known name after a counted item, set
 * apart by a space or glued to a number, starts the next item — the second product is never
 * swallowed as a note, nor its numbers read as the first one's price.
 */
function splitAtNames(segment: string, catalogue: Catalogue): string[] {
  const out: string[] = [];
  let start = 0;
  // Digits inside the first name (`iPhone 15 手机壳`) are not a count.
  let first = catalogue.matchPrefix(segment, start);
  for (let i = 1; i < segment.length; i++) {
    const spaced = segment[i - 1] === ' ';
    if (!spaced && !isDigit(segment[i - 1])) continue;
    if (!catalogue.startsName(segment[i])) continue;
    const cut = spaced ? i - 1 : i;
    if (first !== undefined && first.end > cut) continue;
    if (!COUNTED.test(segment.slice(first?.end ?? start, cut))) continue;
    const name = catalogue.matchPrefix(segment, i);
    if (name === undefined || name.end - i < 2) continue;
    // The name must be followed by a number (its own quantity), not be words of a note.
    if (!OWN_COUNT.test(segment.slice(name.end))) continue;
    out.push(segment.slice(start, cut));
    start = i;
    first = name;
  }
  out.push(segment.slice(start));
  return out;
}

// A question or a remark rather than an order: `到货了吗`, `发货了没`, `卖了好多啊`.
const QUESTION_END = /(?:[?吗呢么嘛啊吧呀]|没有?|了)$/;
const DIGIT = /\d/;

interface Talk {
  ctx: ParserInput['ctx'];
  trimmed: string;
  glued: boolean;
  colloquial: boolean;
}

function chatter(t: Talk): boolean {
  return t.colloquial ? t.ctx.catalogue.matchPrefix(t.trimmed) === undefined : isChatter(t.ctx, t.trimmed, t.glued);
}

function isChatter(ctx: ParserInput['ctx'], trimmed: string, glued: boolean): boolean {
  if (ctx.catalogue.matchPrefix(trimmed) !== undefined) return false;
  return glued || (QUESTION_END.test(trimmed) && !DIGIT.test(trimmed));
}

/**
 * Parses the text after a write verb. Returns null (chatter) instead of a refusal when the verb
 * only starts a sentence: run straight into other words (`到货了吗`, `卖了好多`) or a question
 * without any number — unless a known product is named, which makes it a botched command worth
 * answering.
 */
function parseWrite(spec: WriteSpec, input: ParserInput, verb: string, afterVerb: string, colloquial: boolean): ParseResult | null {
  const { ctx } = input;
  let rest = afterVerb;
  // `进货了 T恤 50件`: a 了 right after the verb is grammar, not part of the name.
  if (rest.startsWith('了 ') || rest.startsWith('了\n')) rest = rest.slice(1);
  const lead: WriteFields = input.lead === undefined ? {} : { ...input.lead };
  // `卖给 张总 …`, `退给老王 …`: the person comes right after the verb.
  if (verb.endsWith('给')) {
    const person = PERSON_AFTER.exec(rest);
    if (person === null) return null;
    lead.counterparty ??= person[1];
    rest = ` ${rest.slice(person[0].length)}`;
  }
  // `卖两个帆布包`, `卖卫衣2件`: glued to a number or a known name is still a command.
  const glued = isWordChar(rest[0]) && !NUMERAL_START.test(rest) && (!ctx.catalogue.startsName(rest[0]) || ctx.catalogue.matchPrefix(rest) === undefined);
  const trimmed = rest.trim();
  // Whether a refusal should rather be silence; a plain function, not a closure, on this hot path.
  const talk: Talk = { ctx, trimmed, glued, colloquial };
  if (colloquial && (glued || !NUMBER.test(trimmed))) return null;
  if (ORDER_COUNT.test(trimmed)) return null; // 刚卖了一单: news, not a record
  // `盘点 门店 卫衣 45`: a place right after the verb.
  const place = PLACE_HINT.test(rest) ? PLACE_AFTER.exec(rest) : null;
  if (place !== null && ctx.catalogue.matchPrefix(rest) === undefined) {
    lead.location ??= place[1];
    rest = ' '.repeat(place[0].length) + rest.slice(place[0].length);
  }

  // Date: before the verb, or anywhere after it. The first one counts; all are removed.
  // Dates inside a note (`备注 明天发`) are the note's words, not the entry's date.
  // So are the dates of a batch (`到期 2027-05-01`, `生产 2026-11-01`).
  const notes = [...noteSpans(rest), ...batchDateSpans(rest)];
  const found = findDateTokens(rest);
  const dates = notes.length === 0 ? found : found.filter((d) => !notes.some(([a, b]) => d.start >= a && d.start < b));
  let occurredAt: Date | undefined;
  const dateText = input.leadingDate ?? dates[0]?.text;
  if (dateText !== undefined) {
    const at = resolveOccurredAt(dateText.trim(), ctx.now, ctx.timeZone);
    if (at.kind === 'future') {
      if (chatter(talk)) return null;
      return parseError('FUTURE_DATE', `日期「${dateText.trim()}」还没到，只能记已经发生的事。`, `昨天 ${verb} T恤 5件`);
    }
    if (at.kind === 'at') occurredAt = at.date;
  }
  for (let k = dates.length - 1; k >= 0; k--) {
    const d = dates[k];
    if (d !== undefined) rest = rest.slice(0, d.start) + ' '.repeat(d.end - d.start) + rest.slice(d.end);
  }

  // Fields before the verb, and in segments without an item, apply to every item.
  const shared: WriteFields = lead;
  const items: Item[] = [];
  const own: WriteFields[] = [];
  const itemSpec: ItemSpec = { catalogue: ctx.catalogue, example: spec.example, zeroAllowed: spec.intent === 'stocktake' };
  let previous: string | undefined;
  const segments: string[] = [];
  for (const seg of splitSegments(rest)) {
    if (MAYBE_TWO_ITEMS.test(seg)) segments.push(...splitAtNames(seg, ctx.catalogue));
    else segments.push(seg);
  }
  for (const raw of segments) {
    let segment = raw.trim();
    if (segment.length === 0) continue;
    const other = leadingWriteVerb(segment);
    if (other !== undefined) {
      if (other.intent !== spec.intent) {
        if (chatter(talk)) return null;
        return parseError(
          'SEVERAL_VERBS',
          `一条消息只能做一种操作：「${verb}」和「${other.verb}」请分两条发。`,
          spec.example('T恤', '件'),
        );
      }
      segment = segment.slice(other.verb.length).trim(); // the same verb repeated per line
    }
    const fields: WriteFields = {};
    // `进货 新品 卫衣衣 10件`: the writer confirms a new product.
    const declaredNew = spec.intent === 'purchase' ? NEW_PRODUCT.exec(segment) : null;
    if (declaredNew !== null) segment = segment.slice(declaredNew[0].length);
    const masked = extractFields(segment, spec.fields, fields);
    const outcome = parseItem(masked, itemSpec);
    if (outcome.kind === 'empty') {
      mergeFields(shared, fields);
      continue;
    }
    if (outcome.kind === 'priceOnly' && previous !== undefined) {
      // `T恤 50件，单价 20`: the price belongs to the line before.
      const merged = parseItem(`${previous} ${masked}`, itemSpec);
      if (merged.kind === 'error') return chatter(talk) ? null : merged;
      if (merged.kind === 'item') items[items.length - 1] = merged.item;
      mergeFields(own[own.length - 1] ?? shared, fields);
      previous = `${previous} ${masked}`;
      continue;
    }
    if (outcome.kind === 'priceOnly') {
      if (chatter(talk)) return null;
      return parseError('MISSING_PRODUCT', '缺少商品名和数量。', spec.example('T恤', '件'));
    }
    if (outcome.kind === 'error') return chatter(talk) ? null : outcome;
    if (outcome.item.note !== undefined) {
      appendNote(fields, outcome.item.note);
      delete outcome.item.note;
    }
    if (declaredNew !== null && !outcome.item.known) outcome.item.newProduct = true;
    items.push(outcome.item);
    own.push(fields);
    previous = masked;
  }

  // A colloquial verb (`到了`, `出了`) before an unknown name and no price is a sentence, not a record.
  if (colloquial && items.some((i) => !i.known && i.unitPrice === undefined && i.total === undefined)) return null;
  if (items.length === 0) {
    if (chatter(talk)) return null;
    return parseError('MISSING_PRODUCT', `「${verb}」后面要写商品名和数量。`, spec.example('T恤', '件'));
  }
  const batchProblem = attachBatches(spec, ctx, items, own, shared);
  if (batchProblem !== undefined) return chatter(talk) ? null : batchProblem;
  const common = { items, ...(occurredAt !== undefined ? { occurredAt } : {}), ...resolveFields(items, own, shared) };
  let command: Command;
  if (spec.intent === 'transfer') {
    const to = shared.to ?? own.find((f) => f.to !== undefined)?.to;
    if (to === undefined) {
      return parseError('MISSING_TARGET', `${INTENT_LABELS.transfer}要写调到哪个仓库（到 X仓）。`, spec.example(items[0]?.product ?? 'T恤', items[0]?.unit ?? '件'));
    }
    command = { intent: 'transfer', ...common, to };
  } else {
    command = { intent: spec.intent, ...common };
  }
  return commandResult(command);
}

const NUMBER = /[\d一二两三四五六七八九十百半]/;
const NEW_PRODUCT = /^(?:新品|新商品|新货)[:\s]\s*/;
const ORDER_COUNT = /^[一二两三四五六七八九十几\d]+\s*[单笔]/;
const NUMERAL_START = /^[\d一二两三四五六七八九十百半]/;
const PERSON_AFTER = /^\s*([^\s\d,;、:=]{1,6}?)(?=\s|\d)/;
const PLACE_AFTER = new RegExp(`^\\s*(${LOCATION_SOURCE})(?=\\s)`);
const PLACE_HINT = /[仓库店档]/;
const NOTE_SPAN = /备注.*$|\([^()]*\)/g;

function noteSpans(text: string): Array<[number, number]> {
  if (!text.includes('备注') && !text.includes('(')) return [];
  const out: Array<[number, number]> = [];
  NOTE_SPAN.lastIndex = 0;
  for (let m = NOTE_SPAN.exec(text); m !== null; m = NOTE_SPAN.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}
const ITEM_FIELDS = ['channel', 'counterparty', 'location'] as const;

const BATCH_FIELDS = ['batch', 'expiresOn', 'producedOn', 'shelfLife', 'batchProblem'] as const;
const INCOMING: ReadonlySet<WriteIntent> = new Set(['purchase', 'customerReturn', 'stocktake']);

/**
 * Gives each item its batch fields (its own, else the message's), resolved to instants in the
 * shop's zone; returns the refusal when one cannot be read.
 */
function attachBatches(spec: WriteSpec, ctx: ParserInput['ctx'], items: Item[], own: WriteFields[], shared: WriteFields): ParseError | undefined {
  const anyShared = BATCH_FIELDS.some((k) => shared[k] !== undefined);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    const mine = own[i] ?? {};
    if (!anyShared && !BATCH_FIELDS.some((k) => mine[k] !== undefined)) continue;
    const fields: WriteFields = {};
    for (const k of BATCH_FIELDS) {
      const v = mine[k] ?? shared[k];
      if (v !== undefined) Object.assign(fields, { [k]: v });
    }
    const resolved = resolveBatch(fields, ctx.now, ctx.timeZone, INCOMING.has(spec.intent), spec.example(item.product, item.unit ?? ''));
    if ('kind' in resolved) return resolved;
    Object.assign(item, resolved);
  }
  return undefined;
}

function mergeFields(into: WriteFields, from: WriteFields): void {
  for (const k of [...ITEM_FIELDS, 'to'] as const) if (from[k] !== undefined) into[k] ??= from[k];
  for (const k of BATCH_FIELDS) if (from[k] !== undefined && into[k] === undefined) Object.assign(into, { [k]: from[k] });
  if (from.note !== undefined) appendNote(into, from.note);
}

/**
 * Who gets which channel, person and place. An item keeps its own; a value written before the
 * first item, in a segment of its own, or only with the last of several items (`…，短裤 30条 15元
 * 供应商 老王`) is the message's and goes to every item without one. Values every item shares
 * are written once on the command; the others on their items. Notes stay with their item.
 */
function resolveFields(items: Item[], own: WriteFields[], shared: WriteFields): Pick<WriteFields, 'channel' | 'counterparty' | 'location'> {
  const out: Pick<WriteFields, 'channel' | 'counterparty' | 'location'> = {};
  if (own.length === 1) {
    // One item: its own value, else the message's; the common case, without the arrays below.
    const f = own[0] as WriteFields;
    const item = items[0] as Item;
    for (const key of ITEM_FIELDS) {
      const v = f[key] ?? shared[key];
      if (v !== undefined) out[key] = v;
    }
    const note = shared.note === undefined ? f.note : f.note === undefined ? shared.note : `${shared.note} ${f.note}`;
    if (note !== undefined) item.note = note;
    return out;
  }
  for (const key of ITEM_FIELDS) {
    const carriers = own.filter((f) => f[key] !== undefined);
    let fallback = shared[key];
    if (fallback === undefined && carriers.length === 1 && own.length > 1 && own[own.length - 1]?.[key] !== undefined) {
      fallback = own[own.length - 1]?.[key];
    }
    const values = own.map((f) => f[key] ?? fallback);
    if (values.every((v) => v === values[0])) {
      if (values[0] !== undefined) out[key] = values[0];
      continue;
    }
    values.forEach((v, i) => {
      const item = items[i];
      if (item !== undefined && v !== undefined) item[key] = v;
    });
  }
  own.forEach((f, i) => {
    const item = items[i];
    if (item !== undefined && f.note !== undefined) item.note = f.note;
  });
  if (shared.note !== undefined) for (const item of items) item.note = item.note === undefined ? shared.note : `${shared.note} ${item.note}`;
  return out;
}
