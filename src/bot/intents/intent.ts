import type { Intent } from '../command.ts';
import type { Role } from '../permissions.ts';

/** What `帮助` says about an intent. Every example is a message that parses as written. */
export interface HelpTopic {
  /** One line of what it does. */
  summary: string;
  examples: readonly string[];
  /** Extra rules worth knowing, shown only in the detailed help. */
  notes?: readonly string[];
  /** False for intents the general help covers in its own closing lines (the spreadsheet ones). */
  general?: false;
}

/**
 * The field parsers a write intent's grammar runs, by name (src/bot/parse/write-fields.ts resolves
 * them, so the registry stays data and never imports the parser).
 */
export type WriteFieldName =
  | 'sourceLocation'
  | 'arrivalLocation'
  | 'transferTarget'
  | 'arrowTransfer'
  | 'bareTarget'
  | 'barePlace'
  | 'counterparty'
  | 'channel'
  | 'countWords'
  | 'batch'
  | 'batchDates';

/** How a write intent's message reads beyond the shared item grammar (src/bot/parse/write-command.ts). */
export interface WriteParserSpec {
  /** Field parsers in the order they run (after the note parser). */
  fields: readonly WriteFieldName[];
  /** A corrected example for refusals, from a product name and unit. */
  example: (name: string, unit: string) => string;
}

/**
 * Everything the bot knows about one intent, declared together so a new intent is one entry:
 * its verbs, its name, its help, who may use it and whether it writes ledger entries.
 */
export interface IntentDefinition<I extends Intent = Intent> {
  intent: I;
  /** The verbs help teaches, longest match first is the parsers' job. */
  verbs: readonly string[];
  /** How staff actually write the verb (`刚卖了`, `到了`); accepted, not taught. Write intents only. */
  colloquial?: readonly string[];
  /** The Chinese name help and refusals use. */
  label: string;
  /** Other words that name this intent as a help topic (`帮助 售价` → 设置). */
  topicWords?: readonly string[];
  help: HelpTopic;
  /** Who may run it. */
  permission: Readonly<Record<Role, boolean>>;
  /** True when it records ledger entries: it shares the item grammar and its reply gets the 撤销 button. */
  writes: boolean;
  /** The write grammar's fields and example; required for write intents (src/bot/parse builds their parsers from it). */
  parse?: WriteParserSpec;
}

/** Declares one intent; the literal `writes` flag is kept so the write intents are a derived type. */
export function defineIntent<const D extends IntentDefinition>(definition: D): D {
  return definition;
}

/** Staff and owners; viewers only read. */
export const RECORDERS = { owner: true, staff: true, viewer: false } as const;
/** Everyone bound to the shop. */
export const EVERYONE = { owner: true, staff: true, viewer: true } as const;
/** Owners only. */
export const OWNERS = { owner: true, staff: false, viewer: false } as const;
