import type { Intent } from '../command.ts';

import { COLLOQUIAL_VERBS, INTENT_LABELS, INTENT_ORDER, INTENT_VERBS, intentDefinition, WRITE_INTENTS, type WriteIntent } from '../intents/index.ts';

/*
 * The verb words of the chat language come from the intent registry (src/bot/intents): the
 * taught verbs per intent (INTENT_VERBS), how staff actually write them (COLLOQUIAL_VERBS, not
 * shown in help), the write intents and the intents' Chinese names. One-character colloquial verbs
 * (进 卖 出 退 调) only count when a product, a number or a space follows — `出了点问题` stays chatter.
 */
export { COLLOQUIAL_VERBS, INTENT_LABELS, INTENT_VERBS, WRITE_INTENTS, type WriteIntent };

// A help topic word: the intent's own name, its verbs, then the other words that name it.
const BY_WORD = new Map<string, Intent>();
for (const intent of INTENT_ORDER) {
  BY_WORD.set(intent.toLowerCase(), intent);
  for (const v of INTENT_VERBS[intent] as readonly string[]) if (!BY_WORD.has(v)) BY_WORD.set(v, intent);
}
for (const intent of INTENT_ORDER) {
  const words = intentDefinition(intent).topicWords ?? [];
  for (const word of words) if (!BY_WORD.has(word)) BY_WORD.set(word, intent);
}

/** The intent a help topic word names (`进货`, `查`, `purchase`), if any. */
export function intentForWord(word: string): Intent | undefined {
  return BY_WORD.get(word.trim().toLowerCase());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `^(?:longest|…|short)` over `verbs`, so 查询 wins over 查. */
export function verbPattern(verbs: readonly string[], flags = ''): RegExp {
  const sorted = [...verbs].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`^(?:${sorted.join('|')})`, flags);
}

// Per segment only verbs of two or more characters: `退款 59` must not read as 退.
const ALL_WRITE_VERBS = WRITE_INTENTS.flatMap((i) => [...INTENT_VERBS[i], ...COLLOQUIAL_VERBS[i].filter((v) => v.length > 1 && v !== '退回给' && v !== '退给' && v !== '卖给' && v !== '退回来')]);
const WRITE_VERB_AT_START = verbPattern(ALL_WRITE_VERBS);

/** The write verb a segment starts with, for refusing `进货 …，出货 …` in one message. */
export function leadingWriteVerb(text: string): { verb: string; intent: WriteIntent } | undefined {
  const m = WRITE_VERB_AT_START.exec(text);
  if (m === null) return undefined;
  const intent = WRITE_INTENTS.find((i) => (INTENT_VERBS[i] as readonly string[]).includes(m[0]) || COLLOQUIAL_VERBS[i].includes(m[0]));
  return intent === undefined ? undefined : { verb: m[0], intent };
}
