/**
 * A login lease: one chat account (a WeChat login) may be driven by one process at a time. Two
 * processes logged into the same account fight over it — each answers every message, and the
 * platform logs one of them out — so the login is owned through a row in the shared database that
 * its holder renews, and that anyone may take once it is released or has expired (its holder crashed).
 */

/** Who holds a lease, and until when unless renewed. */
export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

/** The leases kept in the database (SQLite and PostgreSQL implement it); every call is one atomic statement. */
export interface LoginLeases {
  /**
   * Takes the lease `name` for `holder` until `now + ttlMs` when it is free, expired or already
   * `holder`'s (then it is renewed). Resolves false, changing nothing, while someone else holds it.
   */
  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` still holds it; another holder's lease is left alone. */
  release(name: string, holder: string): Promise<void>;
  /** The current holder at `now`; undefined when the lease is free or expired. */
  holderOf(name: string, now: Date): Promise<LeaseHolder | undefined>;
}

/** Time for the lease driver: the wall clock in production, a virtual one in tests. */
export interface LeaseClock {
  now(): Date;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout-based time. */
export const systemLeaseClock: LeaseClock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Why a held lease ended without release(): someone else took it, or it could not be renewed in time. */
export type LeaseLoss =
  | { reason: 'taken'; by: LeaseHolder | undefined }
  | { reason: 'expired'; error: unknown };

/** How holdLease waits and renews. */
export interface HoldLeaseOptions {
  /** How long one acquisition or renewal lasts: how long a crashed holder blocks the next one. */
  ttlMs: number;
  /** How often the holder renews; well below ttlMs, so one slow or failed renewal does not lose the lease. */
  renewEveryMs: number;
  /** How often a waiting process tries again. */
  waitStepMs: number;
  clock?: LeaseClock | undefined;
  /** Aborts the wait for the lease (holdLease rejects with its reason); once held, release() ends it. */
  signal?: AbortSignal | undefined;
  /** Called once, when the first try finds the lease held by someone else. */
  onWaiting?: ((current: LeaseHolder) => void) | undefined;
  /** Called when the lease is lost while held; renewing stops. */
  onLost?: ((loss: LeaseLoss) => void) | undefined;
  /** A renewal failed (the database did not answer); it is tried again until the lease would expire. */
  onRenewError?: ((error: unknown) => void) | undefined;
}

/** A lease this process holds and keeps renewing. */
export interface HeldLease {
  readonly name: string;
  readonly holder: string;
  /** Whether it is still held: false after release() or a loss. */
  readonly held: boolean;
  /** Stops renewing and gives the lease up, so a waiting process takes over at once. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Waits until `holder` has the lease `name` (trying every waitStepMs; onWaiting says once who holds
 * it), then renews it every renewEveryMs until release(). A renewal that finds someone else holding it,
 * or that keeps failing until the lease has expired, ends it and calls onLost: from then on another
 * process may be driving the account, so the caller must stop.
 */
export async function holdLease(leases: LoginLeases, name: string, holder: string, options: HoldLeaseOptions): Promise<HeldLease> {
  const { ttlMs, renewEveryMs, waitStepMs, signal } = options;
  if (!(renewEveryMs > 0 && renewEveryMs < ttlMs)) throw new RangeError(`renewEveryMs (${renewEveryMs}) must be above 0 and below ttlMs (${ttlMs})`);
  if (!(waitStepMs > 0)) throw new RangeError(`waitStepMs (${waitStepMs}) must be above 0`);
  const clock = options.clock ?? systemLeaseClock;

  let reported = false;
  for (;;) {
    signal?.throwIfAborted();
    const now = clock.now();
    if (await leases.acquire(name, holder, now, ttlMs)) break;
    if (!reported) {
      const current = await leases.holderOf(name, clock.now());
      // Released between the two calls: try again at once rather than report a holder that is gone.
      if (!current) continue;
      reported = true;
      options.onWaiting?.(current);
    }
    await clock.sleep(waitStepMs, signal);
  }

  let expiresAt = clock.now().getTime() + ttlMs;
  let held = true;
  const stop = new AbortController();

  const lose = (loss: LeaseLoss) => {
    held = false;
    options.onLost?.(loss);
  };

  const renewing = (async () => {
    for (;;) {
      try {
        await clock.sleep(renewEveryMs, stop.signal);
      } catch {
        return; // released
      }
      const now = clock.now();
      try {
        if (!(await leases.acquire(name, holder, now, ttlMs))) {
          if (stop.signal.aborted) return;
          const by = await leases.holderOf(name, clock.now()).catch(() => undefined);
          return lose({ reason: 'taken', by });
        }
        expiresAt = now.getTime() + ttlMs;
      } catch (error) {
        if (stop.signal.aborted) return;
        // The row may already be someone else's once the last renewal has run out.
        if (clock.now().getTime() >= expiresAt) return lose({ reason: 'expired', error });
        options.onRenewError?.(error);
      }
    }
  })();

  let released: Promise<void> | undefined;
  return {
    name,
    holder,
    get held() {
      return held;
    },
    release() {
      released ??= (async () => {
        held = false;
        stop.abort();
        // A renewal in flight finishes first, so it cannot write the row back after the delete.
        await renewing;
        await leases.release(name, holder);
      })();
      return released;
    },
  };
}
