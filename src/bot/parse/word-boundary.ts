import { isWordChar } from './text.ts';
import type { IntentParser, ParserInput, ParseResult } from './types.ts';

/** The verb a message starts with and what follows it. */
export interface VerbAt {
  /** The text the pattern matched (the verb, with any words the pattern allows around it). */
  verb: string;
  /** The body after the match, untrimmed. */
  after: string;
  /**
   * The verb runs straight into a word (`改天`, `利润太低了`, `导出来了吗`): the start of a
   * sentence rather than a command, unless what follows makes it one.
   */
  glued: boolean;
}

/**
 * What a verb run into a word means for a parser:
 * - `chatter`: never a command (`改一下` is talk), unless `gluedCommand` says this one is;
 * - `quiet`: a command still counts, a refusal becomes silence (`撤回了吗` is not a bad 撤销);
 * - `own`: the parser decides with `at.glued` (it needs the catalogue or the rest of the line).
 */
export type GluedVerb = 'chatter' | 'quiet' | 'own';

/** An intent parser whose verb must stand as a word; see {@link wordBoundaryParser}. */
export interface WordParserSpec extends Omit<IntentParser, 'pattern' | 'extract'> {
  pattern: RegExp;
  glued: GluedVerb;
  /** For `chatter`: glued text that is the command all the same (`确认导入跳过`). */
  gluedCommand?: (at: VerbAt) => boolean;
  extract(input: ParserInput, at: VerbAt, match: RegExpExecArray): ParseResult | null;
}

/**
 * The chat language's word-boundary rule in one place, as chrono's
 * `AbstractParserWithWordBoundaryChecking` does for dates: the wrapper finds where the verb ends,
 * tells the parser whether it runs into a word, and applies the parser's declared policy, so a
 * verb at the start of ordinary talk stays silent the same way in every parser.
 */
export function wordBoundaryParser(spec: WordParserSpec): IntentParser {
  const { pattern, glued: policy, gluedCommand, extract, ...rest } = spec;
  return {
    ...rest,
    pattern: () => pattern,
    extract(input, match) {
      const after = input.body.slice(match[0].length);
      const at: VerbAt = { verb: match[0], after, glued: isWordChar(after[0]) };
      if (policy === 'chatter' && at.glued && gluedCommand?.(at) !== true) return null;
      const result = extract(input, at, match);
      if (policy === 'quiet' && at.glued && result?.kind === 'error') return null;
      return result;
    },
  };
}
