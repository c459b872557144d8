/**
 * The digest's clock: node-cron ticks once a minute and the scheduler decides per shop, in the shop's
 * own zone, whether a digest is due. Ticking every minute rather than one cron job per shop keeps
 * setting changes (`设置 日报 21:00`, `设置 时区 …`) effective at once with nothing to reschedule.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { DigestQueries } from '../../core/digest-queries.ts';
import type { PictureRenderer } from '../../bot/pictures/picture-view.ts';
import type { DigestRunStore } from '../../core/digest-runs.ts';
import type { Clock, QueuedRepost, ShopRecord } from '../../core/ports.ts';
import { repostingBefore } from '../../core/repost.ts';
import { DigestScheduler, type DigestOutbox, type SchedulerLogger } from './digest-scheduler.ts';
import { createLowStockAlerts, type LowStockAlerts } from './low-stock.ts';

export { DigestScheduler } from './digest-scheduler.ts';
export { createLowStockAlerts } from './low-stock.ts';

/** What the scheduler takes from the running app (src/main.ts App satisfies it). */
export interface DigestApp {
  config: { digest: boolean };
  /** The digest's queries and its runs' records (src/adapters/prisma/sqlite-digest.ts). */
  digestStore: DigestQueries & DigestRunStore;
  store: { listShops(): Promise<ShopRecord[]>; queuedReposts?(shopId: number): Promise<QueuedRepost[]> };
  outbox: DigestOutbox;
  clock: Clock;
  logger: SchedulerLogger;
  /** Draws the digest picture for shops that chose pictures. */
  pictures?: PictureRenderer | undefined;
}

export interface DigestSchedulerHandle {
  /** Stops the minute tick; a pass already running finishes on its own. */
  stop(): void;
  /** The startup pass (catch-up of a missed digest, pending retries). */
  readonly started: Promise<void>;
  /** Runs a pass now, as the minute tick does. */
  tick(): Promise<void>;
  /** The optional low-stock alert, for the chat adapters to call after each reply. */
  readonly lowStock: LowStockAlerts;
}

/** A scheduler's name in claims: which host and process sent a digest, unique per start. */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Starts the daily digest: one pass at once (sending a digest missed while the process was down,
 * within 12 hours, marked late) and then a pass at the start of every minute. With JXC_DIGEST=off
 * nothing is scheduled, but the returned handle still works for the low-stock alert.
 */
export function startDigestScheduler(
  app: DigestApp,
  options: { schedule?: (task: () => Promise<void>) => { stop(): void } } = {},
): DigestSchedulerHandle {
  const store = app.digestStore;
  const scheduler = new DigestScheduler({
    shops: () => app.store.listShops(),
    queries: store,
    runs: store,
    outbox: app.outbox,
    clock: app.clock,
    logger: app.logger,
    instanceId: instanceId(),
    reposting: async (shopId, to) => repostingBefore((await app.store.queuedReposts?.(shopId)) ?? [], to),
    pictures: app.pictures,
  });
  const lowStock = createLowStockAlerts({ queries: store, runs: store, outbox: app.outbox, clock: app.clock, logger: app.logger });
  const tick = async (): Promise<void> => {
    try {
      await scheduler.tick();
    } catch (error) {
      app.logger.error({ err: error }, 'digest tick failed');
    }
  };
  if (!app.config.digest) return { stop() {}, started: Promise.resolve(), tick, lowStock };
  const schedule =
    options.schedule ??
    ((task: () => Promise<void>) => {
      const job = cron.schedule('* * * * *', task, { name: 'jxc-digest', noOverlap: true });
      return { stop: () => void job.stop() };
    });
  const job = schedule(tick);
  return { stop: () => job.stop(), started: tick(), tick, lowStock };
}
