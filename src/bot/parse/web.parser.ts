import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/** 网页: the whole message is the verb (`网页版很好用` is talk). */

const PATTERN = verbPattern(INTENT_VERBS.web);

/** See the module comment. */
export const webParser: IntentParser = wordBoundaryParser({
  intent: 'web',
  verbs: INTENT_VERBS.web,
  pattern: PATTERN,
  glued: 'chatter',
  extract(_input, { after }) {
    return /^[\s!！。.?？]*$/.test(after) ? commandResult({ intent: 'web' }) : null;
  },
});
