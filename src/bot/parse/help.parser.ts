import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS, intentForWord, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * 帮助 / ? / /help: the command list, or details of one intent (`帮助 进货` → topic `purchase`).
 * An unknown topic gets the general list rather than a refusal.
 */

const PATTERN = verbPattern(INTENT_VERBS.help, 'i');

/** See the module comment. */
export const helpParser: IntentParser = wordBoundaryParser({
  intent: 'help',
  verbs: INTENT_VERBS.help,
  pattern: PATTERN,
  // `帮助进货` names a topic; `说明一下` is talk: the topic decides.
  glued: 'own',
  extract(_input, { after, glued }) {
    const text = after.replace(/^[?\s]+|[?\s]+$/g, '');
    if (text.length === 0) return commandResult({ intent: 'help' });
    const intent = intentForWord(text);
    if (intent !== undefined) return commandResult({ intent: 'help', topic: intent });
    if (glued) return null; // 说明一下, 怎么用这个: chatter
    return commandResult({ intent: 'help' });
  },
});
