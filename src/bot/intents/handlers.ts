import { aliasHandler, settingHandler } from './catalogue.handlers.ts';
import { filesUnavailable } from './files.handlers.ts';
import type { Handler, IntentHandlers } from './handler.ts';
import { helpHandler } from './help.handler.ts';
import { WRITE_INTENTS, type WriteIntent } from './index.ts';
import { correctHandler, undoHandler } from './ledger-edits.handlers.ts';
import { payablesHandler } from './payables/payables.handler.ts';
import { queryHandler, reportHandler } from './reads.handlers.ts';
import { webHandler } from './web.handler.ts';
import { writeHandler } from './writes.handlers.ts';

/**
 * The dispatch table: one handler per intent, each declared next to its intent's registry entry
 * (src/bot/intents/<group>.handlers.ts); every write intent of the registry gets the write handler.
 * Kept apart from the registry data (index.ts) so the parser can read the registry without loading
 * the handlers.
 */
export const INTENT_HANDLERS: IntentHandlers = {
  ...(Object.fromEntries(WRITE_INTENTS.map((i) => [i, writeHandler])) as { [I in WriteIntent]: Handler<I> }),
  undo: undoHandler,
  correct: correctHandler,
  query: queryHandler,
  report: reportHandler,
  setting: settingHandler,
  payables: payablesHandler,
  alias: aliasHandler,
  help: helpHandler,
  web: webHandler,
  export: filesUnavailable,
  importFile: filesUnavailable,
  confirmImport: filesUnavailable,
  cancelImport: filesUnavailable,
};
