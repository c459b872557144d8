import type { WriteKind } from '../../core/ledger-requests.ts';
import type { Intent } from '../command.ts';
import { alias, setting } from './catalogue.intents.ts';
import { cancelImport, confirmImport, exportFile, importFile } from './files.intents.ts';
import { help } from './help.intent.ts';
import { web } from './web.intent.ts';
import type { IntentDefinition } from './intent.ts';
import { correct, undo } from './ledger-edits.intents.ts';
import { payables } from './payables/payables.intent.ts';
import { query, report } from './reads.intents.ts';
import { customerReturn, purchase, sale, stocktake, supplierReturn, transfer } from './writes.intents.ts';
import type { WRITE_INTENT_NAMES } from './write-intents.ts';

export type { HelpTopic, IntentDefinition } from './intent.ts';

/**
 * The intent registry: one definition per intent of the command schema (a missing or extra one
 * fails to compile). The verb tables, help, the permission rows, the write intents and the
 * 撤销 button are all derived from it.
 */
export const INTENTS = {
  purchase,
  sale,
  customerReturn,
  supplierReturn,
  stocktake,
  transfer,
  query,
  undo,
  correct,
  report,
  setting,
  payables,
  alias,
  help,
  web,
  export: exportFile,
  importFile,
  confirmImport,
  cancelImport,
} as const satisfies { [I in Intent]: IntentDefinition<I> };

type Registry = typeof INTENTS;

/** Intents that write ledger entries (`writes: true` in the registry); they share the item grammar. */
export type WriteIntent = { [I in Intent]: Registry[I]['writes'] extends true ? I : never }[Intent];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/**
 * The ledger (src/core, which cannot import the conversation) names the same writes: a write
 * intent the core does not know, or a core write kind with no intent, fails to compile here.
 */
export type WriteIntentsAreLedgerKinds = Assert<Same<WriteIntent, WriteKind>>;
/** The command schema's write intents (write-intents.ts) are the registry's `writes: true` ones. */
export type WriteIntentsAreSchemaWrites = Assert<Same<WriteIntent, (typeof WRITE_INTENT_NAMES)[number]>>;

/** Every intent in the registry's order, which is the order of the help. */
export const INTENT_ORDER = Object.keys(INTENTS) as Intent[];

/** One intent's definition, as the general shape (for code that reads optional fields). */
export function intentDefinition(intent: Intent): IntentDefinition {
  return INTENTS[intent];
}

/** The write intents in the registry's order. */
export const WRITE_INTENTS: readonly WriteIntent[] = INTENT_ORDER.filter((i): i is WriteIntent => INTENTS[i].writes);

const WRITE_SET: ReadonlySet<string> = new Set(WRITE_INTENTS);

/** True for an intent that records ledger entries (its confirmation gets the 撤销 button). */
export function isWriteIntent(intent: string | undefined): intent is WriteIntent {
  return intent !== undefined && WRITE_SET.has(intent);
}

function mapIntents<T>(f: (definition: IntentDefinition) => T): { [I in Intent]: T } {
  return Object.fromEntries(INTENT_ORDER.map((i) => [i, f(INTENTS[i])])) as { [I in Intent]: T };
}

/** The taught verbs of each intent. */
export const INTENT_VERBS: Readonly<{ [I in Intent]: Registry[I]['verbs'] }> = mapIntents((d) => d.verbs) as { [I in Intent]: Registry[I]['verbs'] };

/** The colloquial verbs of each write intent. */
export const COLLOQUIAL_VERBS: Readonly<Record<WriteIntent, readonly string[]>> = Object.fromEntries(
  WRITE_INTENTS.map((i): [WriteIntent, readonly string[]] => [i, INTENTS[i].colloquial]),
) as Record<string, readonly string[]> as Record<WriteIntent, readonly string[]>;

/** The Chinese name of each intent. */
export const INTENT_LABELS: Readonly<Record<Intent, string>> = mapIntents((d) => d.label);

/** Who may run each intent. */
export const INTENT_PERMISSIONS = mapIntents((d) => d.permission);
