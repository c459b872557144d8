/**
 * The write intents, in the registry's order. Data only (no imports), so the command schema
 * (src/bot/command.ts), which the registry's types are checked against, can build one zod schema
 * per write intent from it; the registry checks that its `writes: true` entries are exactly these.
 */
export const WRITE_INTENT_NAMES = ['purchase', 'sale', 'customerReturn', 'supplierReturn', 'stocktake', 'transfer'] as const;
