/**
 * What the digest scheduler needs from the database to send each shop's digest exactly once: a claim
 * that only one process can win, and a row per chat that records every attempt.
 */
import type { Audience } from './access.ts';

/**
 * pending: waiting for its (next) attempt · sending: an instance is calling the platform ·
 * sent · blocked: the chat blocked or removed the bot · failed: gave up after retries ·
 * interrupted: the sender vanished mid-call; not retried, since the chat may already have it.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'blocked' | 'failed' | 'interrupted';

/** A chat a digest goes to, and what it may see. */
export interface ChatTarget {
  platform: string;
  chatId: string;
  audience: Audience;
}

/** One rendered copy to deliver. */
export interface NewDelivery extends ChatTarget {
  text: string;
  /** The digest as a PNG, for shops that chose pictures (`设置 日报 图片`). */
  image?: Uint8Array | undefined;
}

/** The claim of a shop's digest for a local date, with its copies, written in one transaction. */
export interface RunClaim {
  shopId: number;
  localDate: string;
  scheduledAt: Date;
  late: boolean;
  claimedBy: string;
  now: Date;
  deliveries: readonly NewDelivery[];
}

/** A delivery ready for an attempt. */
export interface PendingDelivery extends ChatTarget {
  id: number;
  runId: number;
  shopId: number;
  text: string;
  /** The picture to send with the text, if the shop chose pictures. */
  image: Uint8Array | null;
  /** The digest's local date (YYYY-MM-DD). */
  localDate: string;
  /** Attempts made before this one. */
  attempts: number;
  scheduledAt: Date;
}

/** A delivery as recorded, for inspection. */
export interface DeliveryRecord extends ChatTarget {
  id: number;
  runId: number;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  text: string;
}

export interface RunRecord {
  id: number;
  shopId: number;
  localDate: string;
  scheduledAt: Date;
  claimedAt: Date;
  claimedBy: string;
  late: boolean;
  finishedAt: Date | null;
}

/** The scheduler's persistence port; src/adapters/prisma/sqlite-digest.ts implements it. */
export interface DigestRunStore {
  hasRun(shopId: number, localDate: string): Promise<boolean>;
  /** Bound chats that have not blocked the bot since they were (last) bound. */
  activeChats(shopId: number): Promise<ChatTarget[]>;
  /** Inserts the run and its deliveries; undefined when another claim for the date already exists. */
  claim(claim: RunClaim): Promise<number | undefined>;
  /** Deliveries left in `sending` since before `before` become `interrupted`; returns how many. */
  interruptStale(before: Date): Promise<number>;
  /** Pending deliveries of runs scheduled before `scheduledBefore` become `failed`; returns how many. */
  expire(scheduledBefore: Date, now: Date): Promise<number>;
  /** Pending deliveries whose next attempt is due, oldest run first. */
  duePending(now: Date, scheduledAfter: Date): Promise<PendingDelivery[]>;
  /** Takes a pending delivery for an attempt (pending → sending); false when another instance has it. */
  lease(id: number, by: string, now: Date): Promise<boolean>;
  markSent(id: number, by: string, now: Date): Promise<void>;
  markRetry(id: number, by: string, error: string, nextAttemptAt: Date): Promise<void>;
  markFailed(id: number, by: string, error: string): Promise<void>;
  /** Marks the delivery blocked and the chat's binding blocked, so later digests skip it. */
  markBlocked(id: number, by: string, error: string, now: Date): Promise<void>;
  /** Sets finishedAt on runs with no delivery left pending or sending; returns how many. */
  finishRuns(now: Date): Promise<number>;
  run(shopId: number, localDate: string): Promise<(RunRecord & { deliveries: DeliveryRecord[] }) | undefined>;
  /** The signed quantities of the sale entries among these entry numbers, for low-stock alerts. */
  saleEntries(shopId: number, seqs: readonly number[]): Promise<{ productId: number; qtyMilli: number }[]>;
  /** Marks a chat blocked outside a digest run (an alert found it gone). */
  blockChat(platform: string, chatId: string, now: Date): Promise<void>;
}
