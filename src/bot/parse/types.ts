import type { Command, Intent } from '../command.ts';
import type { Catalogue } from './catalogue.ts';
import type { Lead } from './lead.refiner.ts';

/**
 * Why a message that looked like a command was refused. The reply layer shows `message` (Chinese)
 * and `example`; the code lets handlers and tests tell refusals apart without reading prose.
 */
export type ParseErrorCode =
  | 'MISSING_QUANTITY'
  | 'ZERO_QUANTITY'
  | 'TOO_LARGE'
  | 'FRACTIONAL_QUANTITY'
  | 'BAD_PRICE'
  | 'SEVERAL_PRICES'
  | 'UNKNOWN_UNIT'
  | 'FUTURE_DATE'
  | 'TOO_LONG'
  | 'MISSING_PRODUCT'
  | 'BAD_ENTRY_NO'
  | 'BAD_SETTING'
  | 'BAD_TIMEZONE'
  | 'BAD_PERIOD'
  | 'MISSING_TARGET'
  | 'BAD_CORRECTION'
  | 'SEVERAL_VERBS'
  /** Two counts for one item (`卫衣 5件 … 10件`), or a price on a stocktake. */
  | 'SEVERAL_QUANTITIES'
  /** A known product and a number but no verb: 进货 or 出货? */
  | 'HINT_VERB'
  /** `刚才那条错了`: points to 撤销 / 改. */
  | 'HINT_UNDO'
  /** A name that fits several products; the message lists them. */
  | 'AMBIGUOUS_PRODUCT'
  /** A batch date or shelf life that cannot be read, or a date on goods leaving. */
  | 'BAD_BATCH';

/** Everything a parse needs besides the text; built once per shop and reused for many messages. */
export interface ParseContext {
  /** Reference instant: "today", "昨天" and future-date checks are relative to it. */
  now: Date;
  /** IANA zone of the shop (e.g. `Asia/Shanghai`); day boundaries are local midnights there. */
  timeZone: string;
  /** The shop's products, indexed once by `buildCatalogue`. */
  catalogue: Catalogue;
  /** Names this bot answers to, so `@name` and `/cmd@name` addressed to it are accepted. */
  botNames?: readonly string[];
}

/** A refusal: the message was meant as a command but cannot be recorded as written. */
export interface ParseError {
  kind: 'error';
  code: ParseErrorCode;
  /** Chinese, names the problem. */
  message: string;
  /** A corrected message the user can copy. */
  example?: string;
}

/** The outcome of parsing one chat message. `none` means chatter the bot must ignore silently. */
export type ParseResult =
  | { kind: 'command'; command: Command }
  | ParseError
  | { kind: 'none' }
  /** A paste of several lines that are several commands, each handled on its own. */
  | { kind: 'batch'; results: ReadonlyArray<{ kind: 'command'; command: Command } | ParseError> };

/** The message as every intent parser sees it, after the refiners ran. */
export interface ParserInput {
  /** Normalised text, starting at the verb (mention, slash and leading date removed). */
  readonly body: string;
  /** A date word written before the verb (`昨天 进货 …`), if any. */
  readonly leadingDate?: string;
  /** Channel, person or place written before the verb (`京东 卖了 …`, `门店 盘点 …`). */
  readonly lead?: Omit<Lead, 'date'>;
  readonly ctx: ParseContext;
}

/**
 * One small parser per intent, in the manner of chrono: `pattern()` says whether the message is
 * for it, `extract()` builds the result or returns null to let later parsers (or "chatter") win.
 */
export interface IntentParser {
  readonly intent: Intent;
  /** Verb words; the entry point indexes parsers by their first character to skip most regexes. */
  readonly verbs: readonly string[];
  /**
   * For parsers whose messages need not start with one of `verbs` (`T恤 还有多少`, `本月利润`):
   * a cheap test saying the parser is worth trying anyway.
   */
  readonly hint?: RegExp;
  /** Anchored at the start of `body`; compiled once at module load. */
  pattern(): RegExp;
  extract(input: ParserInput, match: RegExpExecArray): ParseResult | null;
}

/** A successful parse, for brevity in parsers. */
export function commandResult(command: Command): ParseResult {
  return { kind: 'command', command };
}

/** The shared "not a command" value; frozen so nobody can mutate it across messages. */
export const NONE: ParseResult = Object.freeze({ kind: 'none' }) as ParseResult;
