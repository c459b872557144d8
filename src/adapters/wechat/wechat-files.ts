import { FileBox } from 'file-box';
import { types, type Contact, type Message, type Room } from 'wechaty';
import type { FileSender, IncomingFile, OutgoingFile } from '../../bot/files/files.port.ts';

/**
 * Files over WeChat, translated both ways: a file message becomes an `IncomingFile` (fetched only
 * if the conversation wants it) and a file the conversation answers with becomes a FileBox. Who may
 * import or export is decided in src/bot/files.
 */

/** Whether a message carries a file (a document; pictures, voice and video are not spreadsheets). */
export function isFileMessage(message: Message): boolean {
  return message.type() === types.Message.Attachment;
}

/** The file of a file message, read lazily through the puppet. */
export async function incomingFile(message: Message): Promise<IncomingFile> {
  const box = await message.toFileBox();
  return {
    name: box.name,
    // FileBox says -1 when the puppet did not tell.
    size: box.size > 0 ? box.size : undefined,
    read: async () => new Uint8Array(await box.toBuffer()),
  };
}

async function bytesOf(file: OutgoingFile): Promise<Buffer> {
  if ('bytes' in file) return Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  const chunks: Uint8Array[] = [];
  for await (const chunk of file.stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The file as a FileBox. Base64, because every puppet can serialise it (a buffer FileBox cannot be
 * sent through wechaty-puppet-service, nor through the mock puppet).
 */
export async function fileBoxOf(file: OutgoingFile): Promise<FileBox> {
  return FileBox.fromBase64((await bytesOf(file)).toString('base64'), file.name);
}

/**
 * The WeChat file port: the caption goes first as text (WeChat files have none), through `sayText`
 * so it keeps its place among the chat's replies, then the file. A picture goes the other way round:
 * the image (a .png FileBox, shown as an image), then its text as the next message.
 */
export function wechatFileSender(find: (chatId: string) => Promise<Room | Contact | undefined>, sayText: (chatId: string, text: string) => Promise<void>): FileSender {
  return {
    async sendFile(chatId, file) {
      const conversation = await find(chatId);
      if (!conversation) throw new WechatChatNotFound(chatId);
      const box = await fileBoxOf(file);
      if (file.picture) {
        await conversation.say(box);
        await sayText(chatId, file.caption);
        return;
      }
      await sayText(chatId, file.caption);
      await conversation.say(box);
    },
  };
}

/** The chat a file was for is not known to WeChat (any more). */
export class WechatChatNotFound extends Error {
  constructor(readonly chatId: string) {
    super(`WeChat chat ${chatId} not found`);
    this.name = 'WechatChatNotFound';
  }
}
