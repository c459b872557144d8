/**
 * Message ids handled without writing (a query, 绑定码), kept where a restart does not lose them.
 * Writes need no entry here: the ledger recognises a repeated source message by itself.
 */
export interface HandledMessages {
  /** True if the message was handled before, by this process or another, before or since a restart. */
  wasHandled(platform: string, messageId: string): Promise<boolean>;
  /** Remembers that the message was handled. */
  markHandled(platform: string, messageId: string, at: Date): Promise<void>;
}

/**
 * The ids of the last messages handled, so a message a puppet delivers again after a reconnect is
 * not answered twice. The memory is bounded; with `durable`, ids are also kept in the database so
 * a restart does not forget them either.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(
    private readonly capacity: number,
    private readonly durable?: { store: HandledMessages; platform: string } | undefined,
  ) {}

  /** True if `id` was handled before. Does not remember it: call remember() once handling finished. */
  async has(id: string): Promise<boolean> {
    if (this.ids.has(id)) return true;
    return await this.durable?.store.wasHandled(this.durable.platform, id) ?? false;
  }

  /** Remembers `id` in memory, and in the database when `durable` (pass false for messages nobody was answered for). */
  async remember(id: string, durable = true, at = new Date()): Promise<void> {
    this.ids.add(id);
    // A Set iterates in insertion order, so the first entry is the oldest.
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    if (durable && this.durable) await this.durable.store.markHandled(this.durable.platform, id, at);
  }
}
