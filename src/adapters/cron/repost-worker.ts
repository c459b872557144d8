/**
 * Finishes the reposts that writes into long histories leave queued (src/core/repost.ts): once a
 * second while the bot runs, so a backdated entry's later costs are right within seconds. Each
 * product is costed again in its own write transaction, so chat writes wait at most for one.
 */
export interface RepostWorkerApp {
  engine: { service: { runQueuedReposts(): number } };
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface RepostWorkerHandle {
  stop(): void;
  /** Runs one pass now (as the timer does); returns how many products were costed again. */
  tick(): number;
}

export function startRepostWorker(app: RepostWorkerApp, intervalMs = 1000): RepostWorkerHandle {
  const tick = (): number => {
    try {
      const started = Date.now();
      const done = app.engine.service.runQueuedReposts();
      if (done > 0) app.logger.info({ products: done, ms: Date.now() - started }, 'queued reposts finished');
      return done;
    } catch (error) {
      app.logger.error({ err: error }, 'queued repost failed');
      return 0;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer), tick };
}
