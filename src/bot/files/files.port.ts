import type { Period } from '../command.ts';
import type { ShopRecord } from '../../core/ports.ts';

/**
 * The ports of spreadsheets in chat. Files are a feature of the conversation, not of one platform:
 * each chat adapter turns the files people send into an `IncomingFile` and sends an `OutgoingFile`
 * its own way (Telegram sendDocument, a WeChat FileBox, a file on the console's disk); reading and
 * writing spreadsheets is a `SpreadsheetService` the wiring provides; previewed imports wait in
 * `PendingImports` (the database, so a restart loses nothing).
 */

/** A file someone sent to the bot, as an adapter hands it over; the bytes are fetched only when needed. */
export interface IncomingFile {
  /** The file's name as sent (`期初库存.xlsx`); its extension says whether it is a spreadsheet. */
  name: string;
  /** Size in bytes when the platform tells before downloading (a file too big is refused without fetching it). */
  size?: number | undefined;
  /** Words sent with the file (a Telegram caption): 库存 or 流水 say what it holds. */
  caption?: string | undefined;
  /** Fetches the content; rejects when the platform cannot deliver it. */
  read(): Promise<Uint8Array>;
}

/** A file's content: in memory, or a stream of chunks for exports too big to hold at once. */
export type FileContent = { bytes: Uint8Array } | { stream: AsyncIterable<Uint8Array> };

/**
 * A file the bot sends: its name, content and the line that goes with it. A `picture` (a PNG) is shown
 * as a photo where the chat can (Telegram sendPhoto, a WeChat image), with the caption as its text or
 * as the next message when it is too long for a caption.
 */
export type OutgoingFile = { name: string; caption: string; picture?: boolean | undefined } & FileContent;

/** One message that says how far a long job is; each adapter shows it its own way (Telegram edits it). */
export interface Progress {
  /** Replaces the message's text; intermediate updates may be dropped, a `final` one never is. Never throws. */
  update(text: string, final?: boolean): Promise<void>;
}

/** Starts a progress message in the chat the message came from. */
export type StartProgress = (text: string) => Promise<Progress>;

/** How an adapter delivers a file to a chat. */
export interface FileSender {
  /** Resolves once the file is delivered; for the console, with where it was saved. */
  sendFile(chatId: string, file: OutgoingFile): Promise<{ savedAs?: string | undefined } | void>;
}

/** What a spreadsheet holds: opening stock (库存), ledger entries (流水) or a shop back-end's order export (订单). */
export type SpreadsheetKind = 'stock' | 'entries' | 'orders';

/** An import to try or to run, and as whom its entries are recorded. */
export interface ImportJob {
  shop: ShopRecord;
  actor: { id: string; name?: string | undefined };
  kind: SpreadsheetKind;
  bytes: Uint8Array;
  filename: string;
  /** For an order export: the platform named with the file (淘宝, 快手 …); the header decides when absent. */
  orderPlatform?: string | undefined;
}

/** What an import did (or would do), with the report the user reads. */
export interface ImportOutcome {
  /** The Chinese report: rows read, every bad row, what was (or would be) written. */
  report: string;
  /** Rows that would be (or were) imported. */
  importedRows: number;
  /** Rows with problems. */
  problems: number;
  /** The file could not be read at all. */
  fatal: boolean;
  /** The ledger changed. */
  written: boolean;
  /** Bad rows stopped the import; nothing was written. */
  blocked: boolean;
}

/** Reading and writing spreadsheets; the wiring implements it on src/adapters/files. */
export interface SpreadsheetService {
  /** The shop's stock now, as xlsx. */
  exportStock(shop: ShopRecord): Promise<{ name: string } & FileContent>;
  /** Entries and profit over a period, as one xlsx; `rows` is the number of entries. */
  exportEntries(shop: ShopRecord, period: Period, onProgress?: (rows: number) => void): Promise<{ name: string; rows: number } & FileContent>;
  /** What a file holds, judged by its columns; undefined when they do not say. */
  detectKind(bytes: Uint8Array, filename: string): Promise<SpreadsheetKind | undefined>;
  /** Checks everything and reports, writing nothing. */
  preview(job: ImportJob, options: { skipBadHint: string }): Promise<ImportOutcome>;
  /** Writes the rows (all or none, unless `skipBad`). */
  importFile(job: ImportJob, options: { skipBad: boolean; skipBadHint: string; onProgress?: ((done: number, total: number) => void) | undefined }): Promise<ImportOutcome>;
}

/** A previewed import waiting for 「确认导入」 in one chat, from one person. */
export interface PendingImport {
  shopId: number;
  platform: string;
  chatId: string;
  userId: string;
  kind: SpreadsheetKind;
  /** See ImportJob.orderPlatform. */
  orderPlatform?: string | undefined;
  filename: string;
  bytes: Uint8Array;
  expiresAt: Date;
}

/**
 * Previewed imports, kept outside the process (one per chat; a new file replaces the old one).
 * Asynchronous so a server database fits the same port.
 */
export interface PendingImports {
  /** Keeps `pending` for its chat, replacing what was there, and forgets every expired one. */
  put(pending: PendingImport, now: Date): Promise<void>;
  /** Removes and returns the chat's import if it is this person's and not expired at `now`; at most one caller gets it. */
  take(platform: string, chatId: string, userId: string, now: Date): Promise<PendingImport | undefined>;
}
