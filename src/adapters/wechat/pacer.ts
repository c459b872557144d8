/**
 * WeChat restricts accounts that send in bursts, and a daily digest to many rooms is exactly a burst.
 * Every outgoing message therefore goes through one queue that keeps a minimum gap between any two
 * sends and a longer one between sends to the same chat, while keeping each chat's messages in order.
 */

/** Gaps between sends, in milliseconds. */
export interface Pacing {
  /** Between two messages to the same room or person. */
  perChatMs: number;
  /** Between any two messages. */
  globalMs: number;
}

/** Gaps that stay well inside what WeChat tolerates from a personal account. */
export const DEFAULT_PACING: Pacing = { perChatMs: 1500, globalMs: 500 };

/** Time as the pacer sees it; tests pass a virtual one. */
export interface PacerTimer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realTimer: PacerTimer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Job {
  chatId: string;
  text: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** A paced send queue in front of one delivery function. */
export class SendPacer {
  private readonly queue: Job[] = [];
  private readonly lastByChat = new Map<string, number>();
  private lastAny = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  private readonly timer: PacerTimer;

  constructor(
    private readonly deliver: (chatId: string, text: string) => Promise<void>,
    private readonly pacing: Pacing = DEFAULT_PACING,
    timer?: PacerTimer,
  ) {
    this.timer = timer ?? realTimer;
  }

  /** Queues one message; resolves once it has been delivered, rejects with the delivery error. */
  send(chatId: string, text: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ chatId, text, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** True while messages are queued or being delivered. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const next = this.pickNext();
        // Cleared in `finally` in the same tick, so a send() arriving now starts a new drain.
        if (!next) break;
        const wait = next.at - this.timer.now();
        if (wait > 0) {
          await this.timer.sleep(wait);
          // A message queued during the wait may now be due earlier (another chat); decide again.
          continue;
        }
        const job = this.queue.splice(next.index, 1)[0];
        if (!job) continue;
        try {
          await this.deliver(job.chatId, job.text);
          job.resolve();
        } catch (error) {
          job.reject(error);
        } finally {
          const sentAt = this.timer.now();
          this.lastAny = sentAt;
          this.lastByChat.set(job.chatId, sentAt);
          this.forgetOld(sentAt);
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /** The first queued message of the chat that may send soonest; a chat's later messages wait for its earlier ones. */
  private pickNext(): { index: number; at: number } | undefined {
    let best: { index: number; at: number } | undefined;
    const seen = new Set<string>();
    this.queue.forEach((job, index) => {
      if (seen.has(job.chatId)) return;
      seen.add(job.chatId);
      const at = Math.max(this.lastAny + this.pacing.globalMs, (this.lastByChat.get(job.chatId) ?? Number.NEGATIVE_INFINITY) + this.pacing.perChatMs);
      if (!best || at < best.at) best = { index, at };
    });
    return best;
  }

  /** Chats not written to for longer than the per-chat gap need no memory. */
  private forgetOld(now: number): void {
    if (this.lastByChat.size < 1000) return;
    for (const [chat, at] of this.lastByChat) if (now - at >= this.pacing.perChatMs) this.lastByChat.delete(chat);
  }
}
