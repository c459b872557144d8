/**
 * Every limit the product enforces, in one place: what a chat line, a product name, an entry and a
 * spreadsheet may hold. Past each limit a typo (extra zeros, a pasted essay) or an attack (a zip
 * bomb) is far likelier than real trade, so the input is refused with the limit in the message.
 */

/** The largest quantity one entry may carry: 10^9 units. */
export const MAX_QUANTITY = 1_000_000_000;

/** The largest amount in one field, in 分: 10^11 分 (10 亿元). */
export const MAX_CENTS = 100_000_000_000;

/** The longest chat message read, in characters. */
export const MAX_MESSAGE_LENGTH = 2000;

/** The longest product name, in characters. */
export const MAX_NAME_CHARS = 100;

/** The longest period a report or export covers, in days (ten years). */
export const MAX_PERIOD_DAYS = 3660;

/** The largest spreadsheet a chat may send (the Telegram Bot API's download limit). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** How big a spreadsheet the bot and the command line agree to read, checked before parsing. */
export interface TableLimits {
  /** Data rows in one sheet or CSV. */
  maxRows: number;
  /** Sum of the declared uncompressed sizes of an xlsx's zip entries. */
  maxUnpackedBytes: number;
  /** Bytes of a CSV file. */
  maxCsvBytes: number;
}

/** Room for a 200,000-row ledger (about 64 MB unpacked as xlsx). */
export const TABLE_LIMITS: TableLimits = { maxRows: 300_000, maxUnpackedBytes: 128 * 1024 * 1024, maxCsvBytes: 64 * 1024 * 1024 };

/** The earliest year a dated entry may have. */
export const MIN_YEAR = 2000;
