import { InputFile, type Api } from 'grammy';
import type { OutgoingFile } from '../../bot/files/files.port.ts';
import type { GatewayMessage } from '../../bot/gateway.ts';
import { toGatewayMessage, type BotIdentity, type TgMessage } from './telegram-update.ts';

/**
 * Files over Telegram, translated both ways: a document someone sends becomes a gateway message
 * with a file (downloaded only if the conversation wants it), and a file the conversation answers
 * with becomes a sendDocument. Who may import or export, and what they are told, is decided in
 * src/bot/files.
 */

/** The part of a Telegram document message the bot reads. */
export interface TgDocument {
  file_id: string;
  file_name?: string | undefined;
  file_size?: number | undefined;
}

/** Fetches a file a user sent, by its Telegram file id. */
export type DownloadFile = (fileId: string) => Promise<Uint8Array>;

/** How the bot reaches files on the Bot API. */
export interface TelegramFilesOptions {
  token: string;
  /** A self-hosted Bot API server, without trailing slash; Telegram's own otherwise. */
  apiRoot?: string | undefined;
  /** Replaces the download from the Bot API file endpoint (tests hand over bytes directly). */
  download?: ((api: Api, fileId: string) => Promise<Uint8Array>) | undefined;
}

/** Default download: getFile, then the Bot API's file endpoint (`<root>/file/bot<token>/<path>`). */
export function botApiDownload(api: Api, options: TelegramFilesOptions): DownloadFile {
  if (options.download) {
    const download = options.download;
    return (fileId) => download(api, fileId);
  }
  const root = options.apiRoot ?? 'https://api.telegram.org';
  return async (fileId) => {
    const file = await api.getFile(fileId);
    if (file.file_path === undefined) throw new Error('telegram gave no file path');
    const response = await fetch(`${root}/file/bot${options.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * A document message as the gateway reads it: the caption is the text, the document the file. The
 * same rules as for text apply (no bots, forwards, channel posts). Undefined for other messages.
 */
export function documentMessage(message: TgMessage, me: BotIdentity, download: DownloadFile): GatewayMessage | undefined {
  const document = (message as TgMessage & { document?: TgDocument | undefined }).document;
  if (document === undefined) return undefined;
  const caption = (message as TgMessage & { caption?: string | undefined }).caption;
  const mapped = toGatewayMessage({ ...message, text: caption?.trim() ? caption : (document.file_name ?? 'file') }, me);
  if (!mapped.ok) return undefined;
  const text = caption?.trim() ? mapped.message.text : '';
  return {
    ...mapped.message,
    text,
    file: { name: document.file_name ?? 'file', size: document.file_size, caption: text, read: () => download(document.file_id) },
  };
}

/** The Bot API's document for a file the conversation sends. */
export function inputFile(file: OutgoingFile): InputFile {
  return new InputFile('bytes' in file ? file.bytes : file.stream, file.name);
}
