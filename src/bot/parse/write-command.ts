import type { Command, Item } from '../command.ts';
import { parseError } from './errors.ts';
import { extractFields, type FieldParser, type WriteFields } from './field.ts';
import { parseItem, type ItemSpec } from './item.ts';
import { isWordChar } from './text.ts';
import { findDateTokens, resolveOccurredAt } from './occurred-at.ts';
import { commandResult, type IntentParser, type ParseResult, type ParserInput } from './types.ts';
import { INTENT_LABELS, INTENT_VERBS, leadingWriteVerb, verbPattern, type WriteIntent } from './verbs.ts';

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

/** Builds the intent parser for a write intent. */
export function writeParser(spec: WriteSpec): IntentParser {
  const verbs = INTENT_VERBS[spec.intent];
  const re = verbPattern(verbs);
  return {
    intent: spec.intent,
    verbs,
    pattern: () => re,
    extract: (input, match) => parseWrite(spec, input, match[0], input.body.slice(match[0].length)),
  };
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

// A question or a remark rather than an order: `到货了吗`, `发货了没`, `卖了好多啊`.
const QUESTION_END = /(?:[?吗呢么嘛啊吧呀]|没有?|了)$/;
const DIGIT = /\d/;

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
function parseWrite(spec: WriteSpec, input: ParserInput, verb: string, afterVerb: string): ParseResult | null {
  const { ctx } = input;
  let rest = afterVerb;
  // `进货了 T恤 50件`: a 了 right after the verb is grammar, not part of the name.
  if (rest.startsWith('了 ') || rest.startsWith('了\n')) rest = rest.slice(1);
  const glued = isWordChar(rest[0]);
  const trimmed = rest.trim();
  const chatter = (): boolean => isChatter(ctx, trimmed, glued);

  // Date: before the verb, or anywhere after it. The first one counts; all are removed.
  const dates = findDateTokens(rest);
  let occurredAt: Date | undefined;
  const dateText = input.leadingDate ?? dates[0]?.text;
  if (dateText !== undefined) {
    const at = resolveOccurredAt(dateText.trim(), ctx.now, ctx.timeZone);
    if (at.kind === 'future') {
      if (chatter()) return null;
      return parseError('FUTURE_DATE', `日期「${dateText.trim()}」还没到，只能记已经发生的事。`, `昨天 ${verb} T恤 5件`);
    }
    if (at.kind === 'at') occurredAt = at.date;
  }
  for (let k = dates.length - 1; k >= 0; k--) {
    const d = dates[k];
    if (d !== undefined) rest = rest.slice(0, d.start) + ' '.repeat(d.end - d.start) + rest.slice(d.end);
  }

  const fields: WriteFields = {};
  const items: Item[] = [];
  const itemSpec: ItemSpec = { catalogue: ctx.catalogue, example: spec.example, zeroAllowed: spec.intent === 'stocktake' };
  let previous: string | undefined;
  for (const raw of splitSegments(rest)) {
    let segment = raw.trim();
    if (segment.length === 0) continue;
    const other = leadingWriteVerb(segment);
    if (other !== undefined) {
      if (other.intent !== spec.intent) {
        if (chatter()) return null;
        return parseError(
          'SEVERAL_VERBS',
          `一条消息只能做一种操作：「${verb}」和「${other.verb}」请分两条发。`,
          spec.example('T恤', '件'),
        );
      }
      segment = segment.slice(other.verb.length).trim(); // the same verb repeated per line
    }
    const masked = extractFields(segment, spec.fields, fields);
    const outcome = parseItem(masked, itemSpec);
    if (outcome.kind === 'empty') continue;
    if (outcome.kind === 'priceOnly' && previous !== undefined) {
      // `T恤 50件，单价 20`: the price belongs to the line before.
      const merged = parseItem(`${previous} ${masked}`, itemSpec);
      if (merged.kind === 'error') return chatter() ? null : merged;
      if (merged.kind === 'item') items[items.length - 1] = merged.item;
      previous = `${previous} ${masked}`;
      continue;
    }
    if (outcome.kind === 'priceOnly') {
      if (chatter()) return null;
      return parseError('MISSING_PRODUCT', '缺少商品名和数量。', spec.example('T恤', '件'));
    }
    if (outcome.kind === 'error') return chatter() ? null : outcome;
    items.push(outcome.item);
    previous = masked;
  }

  if (items.length === 0) {
    if (chatter()) return null;
    return parseError('MISSING_PRODUCT', `「${verb}」后面要写商品名和数量。`, spec.example('T恤', '件'));
  }
  const common = {
    items,
    ...(occurredAt !== undefined ? { occurredAt } : {}),
    ...(fields.channel !== undefined ? { channel: fields.channel } : {}),
    ...(fields.counterparty !== undefined ? { counterparty: fields.counterparty } : {}),
    ...(fields.location !== undefined ? { location: fields.location } : {}),
  };
  let command: Command;
  if (spec.intent === 'transfer') {
    if (fields.to === undefined) {
      return parseError('MISSING_TARGET', `${INTENT_LABELS.transfer}要写调到哪个仓库（到 X仓）。`, spec.example(items[0]?.product ?? 'T恤', items[0]?.unit ?? '件'));
    }
    command = { intent: 'transfer', ...common, to: fields.to };
  } else {
    command = { intent: spec.intent, ...common };
  }
  return commandResult(command);
}
