/**
 * Messages the bot sends on its own (the daily digest, low-stock alerts) rather than as a reply.
 * Each running chat adapter registers a sender for its platform.
 */

/** `permanent` marks a chat that blocked or removed the bot: it is skipped from then on, not retried. */
export type DeliveryResult = { ok: true } | { ok: false; permanent: boolean; error: string };

/** A picture sent on the bot's own: a PNG and its file name. */
export interface OutgoingPicture {
  name: string;
  bytes: Uint8Array;
}

export interface ChatSender {
  /** The platform name used in chat bindings: `telegram`, `wechat`, `console`. */
  readonly platform: string;
  send(chatId: string, text: string): Promise<DeliveryResult>;
  /**
   * Sends a picture with its text (as the caption, or as the next message when too long for one).
   * Without it a platform gets the text alone.
   */
  sendPicture?(chatId: string, picture: OutgoingPicture, text: string): Promise<DeliveryResult>;
}

/** The senders of the adapters that are running, by platform. */
export class Outbox {
  private readonly senders = new Map<string, ChatSender>();

  register(sender: ChatSender): void {
    this.senders.set(sender.platform, sender);
  }

  has(platform: string): boolean {
    return this.senders.has(platform);
  }

  /** Sends `text`, with `picture` where the platform can show one. */
  async send(platform: string, chatId: string, text: string, picture?: OutgoingPicture): Promise<DeliveryResult> {
    const sender = this.senders.get(platform);
    if (!sender) return { ok: false, permanent: false, error: `no running adapter for ${platform}` };
    try {
      if (picture && sender.sendPicture) return await sender.sendPicture(chatId, picture, text);
      return await sender.send(chatId, text);
    } catch (error) {
      return { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
