import type { Command } from '../command.ts';
import type { CatalogueProduct } from './catalogue.ts';
import { parseError } from './errors.ts';
import { commandResult, type IntentParser, type ParseResult, type ParserInput } from './types.ts';
import { INTENT_VERBS } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * Stock questions: `查 T恤`, `库存`, `查 缺货`, `查 积压`, `查 卫衣，帆布包`, and the question
 * forms people type (`T恤 还有多少`, `帆布包还有几个`, `有没有卫衣`, `卫衣有货吗`, `看一下库存`),
 * plus `卫衣 进价多少` (cost, for owners).
 */

const ASK = '还有多少|还剩多少|剩多少|库存多少|有多少|还有几|还剩几|剩几|库存还有多少|库存';
// `还有多少瓶`: a unit word after the question.
const UNIT = '(?:件|个|条|双|包|箱|盒|瓶|支|台|套|只|斤|公斤|根|货)?';
const TAIL = '\\s*[?吗呢啊呀]*$';
// The registry's verbs, longest first so 查询 wins over 查.
const VERBS = [...INTENT_VERBS.query].sort((a, b) => b.length - a.length).join('|');
const PATTERN = new RegExp(
  `^(?:(?<verb>${VERBS})|(?:还)?有没有(?<has>.+?)(?:的货|货)?${TAIL}|(?<look>看一下|看下|看看|瞧瞧|现在)\\s*|(?<name>.+?)\\s*(?<ask>${ASK})${UNIT}${TAIL}|(?<stocked>.+?)\\s*(?:还)?(?:有货|有没有货|有没有库存|有库存|还有没|有没有)${TAIL}|还有(?<still>[^\\s]+?)(?:的货)?\\s*[吗没]${TAIL}|(?<cost>.+?)\\s*的?(?:进价|成本价|成本|进货价)(?:是)?(?:多少|几块)?(?:钱)?${TAIL}|(?<paid>.+?)多少钱进的${TAIL}|(?<shortage>缺什么货|缺哪些货?|哪些缺货|什么缺货|缺货的有哪些)${TAIL})`,
);
const HINT = new RegExp(`(?:${ASK})${UNIT}${TAIL}|^(?:还)?有没有|^还有|(?:有货|有没有货|有库存|还有没|有没有)${TAIL}|(?:进价|成本价|成本|进货价)|多少钱进的|^(?:看一下|看下|看看|现在)|缺`);
const FILLER_START = /^(?:一下|下)\s*/;
const ASK_END = new RegExp(`\\s*的?\\s*(?:(?:${ASK}|多少)${UNIT})?\\s*[?吗呢]*$`);
const ALL = /^(?:全部|所有|全部库存|所有库存|库存|所有商品|全部商品|总库存|现在库存|现在的库存|库存情况|库存怎么样|现在库存怎么样|)$/;
const SHORTAGE = /^(?:缺货|低库存|库存不足|要补货|补货|快没了|缺什么|缺货的)$/;
const OVERSTOCK = /^(?:积压|压货|库存积压|积压的|太多|超储)$/;
// Sentences rather than product names in the question form: `我们还有多少`, `你的还剩多少`.
const SENTENCE = /[我你他她它们的了吗呢吧啊]/;
const LIST_SEPARATOR = /\s*[,，、;]\s*|\s+/;

/** One product name: the product, the candidates when it fits several, or unknown. */
function product(input: ParserInput, text: string): { product: string; known: boolean } | ParseResult {
  const found = input.ctx.catalogue.resolve(text);
  if (found !== undefined) return { product: found.name, known: true };
  const candidates = input.ctx.catalogue.candidates(text, 8);
  if (candidates.length === 1) return { product: (candidates[0] as CatalogueProduct).name, known: true };
  if (candidates.length > 1) {
    return parseError(
      'AMBIGUOUS_PRODUCT',
      `「${text}」有 ${candidates.length} 种：${candidates.map((p) => p.name).join('、')}。要查哪一种？`,
      `查 ${(candidates[0] as CatalogueProduct).name}`,
    );
  }
  return { product: text, known: false };
}

function single(input: ParserInput, text: string, extra: Partial<Extract<Command, { intent: 'query' }>> = {}): ParseResult {
  const p = product(input, text);
  if ('kind' in p) return p;
  return commandResult({ intent: 'query', product: p.product, known: p.known, ...extra });
}

function query(input: ParserInput, raw: string, glued: boolean): ParseResult | null {
  // Filters first: `低库存` must not lose its 库存 to the question-word trimming below.
  if (SHORTAGE.test(raw)) return commandResult({ intent: 'query', filter: 'shortage' });
  if (OVERSTOCK.test(raw)) return commandResult({ intent: 'query', filter: 'overstock' });
  const text = raw.replace(ASK_END, '').trim();
  if (ALL.test(text)) return commandResult({ intent: 'query' });
  if (SHORTAGE.test(text)) return commandResult({ intent: 'query', filter: 'shortage' });
  if (OVERSTOCK.test(text)) return commandResult({ intent: 'query', filter: 'overstock' });
  const known = input.ctx.catalogue.resolve(text);
  if (known !== undefined) return commandResult({ intent: 'query', product: known.name, known: true });
  // `查 卫衣，帆布包`, `查 卫衣 帆布包`: several known names.
  const parts = text.split(LIST_SEPARATOR).filter((p) => p.length > 0);
  if (parts.length > 1) {
    const list = parts.map((p) => input.ctx.catalogue.resolve(p));
    if (list.every((p) => p !== undefined)) {
      const products = list.map((p) => ({ product: (p as CatalogueProduct).name, known: true }));
      return commandResult({ intent: 'query', product: products[0]?.product, known: true, products });
    }
  }
  if (glued && input.ctx.catalogue.candidates(text, 1).length === 0) return null; // 查一下快递, 库存不够了: chatter
  return single(input, text);
}

/** A name in a question form, or null when it reads as a sentence. */
function asked(input: ParserInput, raw: string, extra: Partial<Extract<Command, { intent: 'query' }>> = {}): ParseResult | null {
  const name = raw.trim();
  if (name.length === 0) return null;
  const known = input.ctx.catalogue.resolve(name);
  if (known !== undefined) return commandResult({ intent: 'query', product: known.name, known: true, ...extra });
  if (SENTENCE.test(name) || name.length > 30) return null;
  const p = product(input, name);
  if ('kind' in p) return p;
  // An unknown name counts only when set apart by a space.
  if (!p.known && input.body[name.length] !== ' ') return null;
  return commandResult({ intent: 'query', product: p.product, known: p.known, ...extra });
}

/** See the module comment. */
export const queryParser: IntentParser = wordBoundaryParser({
  intent: 'query',
  verbs: INTENT_VERBS.query,
  hint: HINT,
  pattern: PATTERN,
  // `查一下快递` is talk, `查卫衣` a question: the catalogue decides (see query()).
  glued: 'own',
  extract(input, { after, glued }, match) {
    const g = match.groups ?? {};
    if (g['verb'] !== undefined) {
      const text = after.trim().replace(FILLER_START, '').replace(/[?吗呢]+$/, '').trim();
      return query(input, text, glued);
    }
    if (g['look'] !== undefined) {
      const text = input.body.slice(match[0].length).trim().replace(/[?吗呢]+$/, '');
      if (!/库存/.test(text)) return null;
      return query(input, text.replace(/^(?:现在的?)?/, ''), false);
    }
    if (g['shortage'] !== undefined) return commandResult({ intent: 'query', filter: 'shortage' });
    if (g['has'] !== undefined) return asked(input, g['has']);
    if (g['name'] !== undefined) {
      if (ALL.test(g['name'].trim())) return commandResult({ intent: 'query' });
      return asked(input, g['name']);
    }
    if (g['stocked'] !== undefined) return asked(input, g['stocked']);
    if (g['still'] !== undefined) {
      const found = input.ctx.catalogue.resolve(g['still']);
      return found === undefined ? null : commandResult({ intent: 'query', product: found.name, known: true });
    }
    const costName = g['cost'] ?? g['paid'];
    if (costName !== undefined) {
      const r = asked(input, costName, { field: 'cost' });
      return r;
    }
    return null;
  },
});
