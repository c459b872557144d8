import { readEntryNo } from './entry-no.ts';
import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * 撤销 / 撤回: reverses an entry. Bare `撤销` means the sender's last entry, or the entry the
 * message replies to (the chat adapter knows which); `撤销 #123` names one.
 */

const PATTERN = verbPattern(INTENT_VERBS.undo);
const LAST = /^(?:上一条|上一笔|上一单|刚才的?|刚刚的?|最后一条|最后一笔|这条|这笔)?\s*[!.]*$/;

/** See the module comment. */
export const undoParser: IntentParser = wordBoundaryParser({
  intent: 'undo',
  verbs: INTENT_VERBS.undo,
  pattern: PATTERN,
  // 撤回了吗: chatter, not a bad 撤销.
  glued: 'quiet',
  extract(_input, { after, glued }) {
    const rest = after.trim();
    if (LAST.test(rest)) return commandResult({ intent: 'undo' });
    const r = readEntryNo(rest, '撤销 #123');
    if ('kind' in r) return r;
    if (r.rest.length > 0 && glued) return null;
    return commandResult({ intent: 'undo', entryNo: r.entryNo });
  },
});
