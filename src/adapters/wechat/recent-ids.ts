/**
 * The ids of the last messages handled, so a message a puppet delivers again after a reconnect is
 * not answered twice. Bounded: the ledger itself refuses a repeated write across restarts, this
 * only keeps the chat free of repeated replies.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True if `id` was seen before; otherwise remembers it and returns false. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    // A Set iterates in insertion order, so the first entry is the oldest.
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return false;
  }
}
