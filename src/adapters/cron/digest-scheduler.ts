import { collectDigest, type Digest } from '../../core/digest.ts';
import type { Audience } from '../../core/access.ts';
import { digestPictureView, digestSales } from '../../bot/pictures/digest-picture.ts';
import type { PictureRenderer } from '../../bot/pictures/picture-view.ts';
import type { DigestQueries } from '../../core/digest-queries.ts';
import type { Clock, ShopRecord } from '../../core/ports.ts';
import { digestWindow, renderDigest } from '../../bot/digest.ts';
import type { DeliveryResult, OutgoingPicture } from '../../bot/outbox.ts';
import type { ChatTarget, DigestRunStore, NewDelivery, PendingDelivery } from '../../core/digest-runs.ts';
import { CATCH_UP_MS, dueDigest, MAX_ATTEMPTS, retryDelayMs } from './due.ts';

/** A delivery left in `sending` this long is taken to be lost with its process. */
export const SENDING_TIMEOUT_MS = 10 * 60_000;

/** The subset of pino the scheduler logs through. */
export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Sends through whichever chat adapters are running (src/bot/outbox.ts). */
export interface DigestOutbox {
  has(platform: string): boolean;
  /** Sends the text, with the picture where the platform shows one (the text as its caption or next message). */
  send(platform: string, chatId: string, text: string, picture?: OutgoingPicture): Promise<DeliveryResult>;
}

export interface DigestSchedulerDeps {
  shops: () => Promise<ShopRecord[]>;
  queries: DigestQueries;
  runs: DigestRunStore;
  outbox: DigestOutbox;
  clock: Clock;
  logger: SchedulerLogger;
  /** Names this scheduler in claims and attempts: host, pid and a random id. */
  instanceId: string;
  /** True while a queued repost is recomputing the shop's costs from before `to` (see repost.ts). */
  reposting?: (shopId: number, to: Date) => Promise<boolean>;
  /** Draws the digest picture for shops that chose `设置 日报 图片`; without it they get the text. */
  pictures?: PictureRenderer | undefined;
}

/** What one tick did, for tests and logs. */
export interface TickReport {
  claimed: { shopId: number; localDate: string; late: boolean; chats: number }[];
  sent: number;
  retried: number;
  failed: number;
  blocked: number;
}

/**
 * Sends each shop's digest once a day at its local time. Every tick (once a minute, and once at
 * start-up for a digest missed while the process was down) it claims the due runs in the database —
 * the unique (shop, local date) key lets only one process or restart win — then works through the
 * deliveries that are due: each is leased before the call and recorded after it, failures are retried
 * with backoff, and a chat that blocked the bot is marked and skipped.
 */
export class DigestScheduler {
  private running: Promise<TickReport> | undefined;

  constructor(private readonly deps: DigestSchedulerDeps) {}

  /** One pass: claim due digests, then deliver what is due. Overlapping calls share one pass. */
  tick(): Promise<TickReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<TickReport> {
    const report: TickReport = { claimed: [], sent: 0, retried: 0, failed: 0, blocked: 0 };
    const now = this.deps.clock.now();
    for (const shop of await this.deps.shops()) {
      try {
        const claimed = await this.claim(shop, now);
        if (claimed) report.claimed.push(claimed);
      } catch (error) {
        // One shop's trouble (a bad time zone, a locked database) must not stop the others' digests.
        this.deps.logger.error({ err: error, shop: shop.id }, 'digest claim failed');
      }
    }
    await this.deliver(report);
    return report;
  }

  private async claim(shop: ShopRecord, now: Date): Promise<TickReport['claimed'][number] | undefined> {
    const due = dueDigest(shop, now);
    if (!due || await this.deps.runs.hasRun(shop.id, due.localDate)) return undefined;
    const chats = await this.deps.runs.activeChats(shop.id);
    const digest = await collectDigest(this.deps.queries, { id: shop.id, name: shop.name, timeZone: shop.timeZone }, digestWindow(now, shop.timeZone, due.localDate));
    const reposting = (await this.deps.reposting?.(shop.id, digest.dayTo)) ?? false;
    const copies = { owner: renderDigest(digest, { seeCost: true, late: due.late, reposting }), staff: renderDigest(digest, { seeCost: false, late: due.late }) };
    const images = await this.pictures(digest, chats);
    const deliveries: NewDelivery[] = chats.map((c) => ({ ...c, text: copies[c.audience], image: images.get(c.audience) }));
    const runId = await this.deps.runs.claim({ shopId: shop.id, localDate: due.localDate, scheduledAt: due.scheduledAt, late: due.late, claimedBy: this.deps.instanceId, now, deliveries });
    if (runId === undefined) return undefined;
    this.deps.logger.info({ shop: shop.id, date: due.localDate, late: due.late, chats: chats.length, run: runId }, 'digest claimed');
    return { shopId: shop.id, localDate: due.localDate, late: due.late, chats: chats.length };
  }

  /**
   * The digest picture of each audience the chats have, when the shop chose pictures: drawn once at the
   * claim and kept with the deliveries, so a retry sends the same figures as its text. A picture that
   * cannot be drawn is logged and the chats get the text alone.
   */
  private async pictures(digest: Digest, chats: readonly ChatTarget[]): Promise<Map<Audience, Uint8Array>> {
    const images = new Map<Audience, Uint8Array>();
    const renderer = this.deps.pictures;
    if (!renderer || !digest.settings.digestPicture || chats.length === 0) return images;
    try {
      const content = { digest, sales: await digestSales(this.deps.queries, digest) };
      for (const audience of new Set(chats.map((c) => c.audience))) images.set(audience, await renderer.render(digestPictureView(content, audience)));
    } catch (error) {
      this.deps.logger.error({ err: error, shop: digest.shop.id, date: digest.date }, 'digest picture failed; sending the text');
      images.clear();
    }
    return images;
  }

  private async deliver(report: TickReport): Promise<void> {
    const { runs, clock, instanceId } = this.deps;
    const start = clock.now();
    await runs.interruptStale(new Date(start.getTime() - SENDING_TIMEOUT_MS));
    await runs.expire(new Date(start.getTime() - CATCH_UP_MS), start);
    for (const d of await runs.duePending(start, new Date(start.getTime() - CATCH_UP_MS))) {
      // Left for a process that runs this platform's adapter (or for this one once it starts).
      if (!this.deps.outbox.has(d.platform)) continue;
      if (!await runs.lease(d.id, instanceId, clock.now())) continue;
      const result = await this.send(d);
      await this.record(d, result, report);
    }
    await runs.finishRuns(clock.now());
  }

  private async send(d: PendingDelivery): Promise<DeliveryResult> {
    try {
      const picture = d.image ? { name: `日报-${d.localDate}.png`, bytes: d.image } : undefined;
      return await this.deps.outbox.send(d.platform, d.chatId, d.text, picture);
    } catch (error) {
      return { ok: false, permanent: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async record(d: PendingDelivery, result: DeliveryResult, report: TickReport): Promise<void> {
    const { runs, clock, instanceId, logger } = this.deps;
    const now = clock.now();
    const attempts = d.attempts + 1;
    const log = { shop: d.shopId, run: d.runId, platform: d.platform, chat: d.chatId, attempts };
    if (result.ok) {
      await runs.markSent(d.id, instanceId, now);
      report.sent += 1;
      logger.info(log, 'digest delivered');
    } else if (result.permanent) {
      await runs.markBlocked(d.id, instanceId, result.error, now);
      report.blocked += 1;
      logger.warn({ ...log, error: result.error }, 'digest chat blocked the bot; skipped from now on');
    } else if (attempts >= MAX_ATTEMPTS) {
      await runs.markFailed(d.id, instanceId, result.error);
      report.failed += 1;
      logger.error({ ...log, error: result.error }, 'digest delivery given up');
    } else {
      await runs.markRetry(d.id, instanceId, result.error, new Date(now.getTime() + retryDelayMs(attempts)));
      report.retried += 1;
      logger.warn({ ...log, error: result.error }, 'digest delivery failed; will retry');
    }
  }
}
