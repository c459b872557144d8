import type { Command } from '../command.ts';
import { isWordChar } from './text.ts';
import { commandResult, type IntentParser, type ParseResult, type ParserInput } from './types.ts';
import { INTENT_VERBS } from './verbs.ts';

/**
 * Stock questions: `查 T恤`, `库存`, `查 缺货`, `查 积压`, and the question form `T恤 还有多少`
 * (the only command whose verb comes last).
 */

const ASK = '还有多少|还剩多少|剩多少|库存多少|有多少|库存';
// `还有多少瓶`: a unit word after the question.
const UNIT = '(?:件|个|条|双|包|箱|盒|瓶|支|台|套|只|斤|公斤|货)?';
const PATTERN = new RegExp(
  `^(?:(?<verb>查询|查看|查|库存|还有多少|还剩多少)|(?<name>.+?)\\s*(?<ask>${ASK})${UNIT}\\s*[?吗呢]*$)`,
);
const HINT = new RegExp(`(?:${ASK})${UNIT}\\s*[?吗呢]*$`);
const FILLER_START = /^(?:一下|下)\s*/;
const ASK_END = new RegExp(`\\s*的?\\s*(?:(?:${ASK}|多少)${UNIT})?\\s*[?吗呢]*$`);
const ALL = /^(?:全部|所有|全部库存|所有库存|库存|所有商品|全部商品|总库存|)$/;
const SHORTAGE = /^(?:缺货|低库存|库存不足|要补货|补货|快没了|缺什么|缺货的)$/;
const OVERSTOCK = /^(?:积压|压货|库存积压|积压的|太多|超储)$/;
// Sentences rather than product names in the question form: `我们还有多少`, `你的还剩多少`.
const SENTENCE = /[我你他她它们的了吗呢吧啊]/;

function query(input: ParserInput, raw: string, glued: boolean): ParseResult | null {
  // Filters first: `低库存` must not lose its 库存 to the question-word trimming below.
  if (SHORTAGE.test(raw)) return commandResult({ intent: 'query', filter: 'shortage' });
  if (OVERSTOCK.test(raw)) return commandResult({ intent: 'query', filter: 'overstock' });
  const text = raw.replace(ASK_END, '').trim();
  if (ALL.test(text)) return commandResult({ intent: 'query' });
  if (SHORTAGE.test(text)) return commandResult({ intent: 'query', filter: 'shortage' });
  if (OVERSTOCK.test(text)) return commandResult({ intent: 'query', filter: 'overstock' });
  const product = input.ctx.catalogue.resolve(text);
  if (product !== undefined) return commandResult({ intent: 'query', product: product.name, known: true });
  if (glued) return null; // 查一下快递, 库存不够了: chatter
  return commandResult({ intent: 'query', product: text, known: false } satisfies Command);
}

/** See the module comment. */
export const queryParser: IntentParser = {
  intent: 'query',
  verbs: INTENT_VERBS.query,
  hint: HINT,
  pattern: () => PATTERN,
  extract(input, match) {
    const verb = match.groups?.['verb'];
    if (verb !== undefined) {
      const rest = input.body.slice(verb.length);
      const text = rest.trim().replace(FILLER_START, '').replace(/[?吗呢]+$/, '').trim();
      return query(input, text, isWordChar(rest[0]));
    }
    const name = (match.groups?.['name'] ?? '').trim();
    if (name.length === 0) return null;
    const product = input.ctx.catalogue.resolve(name);
    if (product !== undefined) return commandResult({ intent: 'query', product: product.name, known: true });
    // An unknown name counts only when set apart by a space and not a sentence.
    const spaced = input.body[name.length] === ' ';
    if (!spaced || SENTENCE.test(name) || name.length > 30) return null;
    return commandResult({ intent: 'query', product: name, known: false });
  },
};
