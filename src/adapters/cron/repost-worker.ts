/**
 * Finishes the reposts that writes into long histories leave queued (src/core/repost.ts): once a
 * second while the bot runs, so a backdated entry's later costs are right within seconds. Each
 * product is costed again in its own write transaction, so chat writes wait at most for one.
 */
export interface RepostWorkerApp {
  engine: { service: { runQueuedReposts(): Promise<number> } };
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface RepostWorkerHandle {
  stop(): void;
  /** Runs one pass now (as the timer does); returns how many products were costed again. */
  tick(): Promise<number>;
}

export function startRepostWorker(app: RepostWorkerApp, intervalMs = 1000): RepostWorkerHandle {
  // One pass at a time: a pass that outlasts the interval is not started again underneath itself.
  let running: Promise<number> | undefined;
  const pass = async (): Promise<number> => {
    try {
      const started = Date.now();
      const done = await app.engine.service.runQueuedReposts();
      if (done > 0) app.logger.info({ products: done, ms: Date.now() - started }, 'queued reposts finished');
      return done;
    } catch (error) {
      app.logger.error({ err: error }, 'queued repost failed');
      return 0;
    }
  };
  const tick = (): Promise<number> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer), tick };
}
