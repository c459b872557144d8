import { describe, expect, it } from 'vitest';
import { holdLease, type HoldLeaseOptions, type LeaseClock, type LeaseHolder, type LeaseLoss, type LoginLeases } from '../../src/core/login-lease.ts';

/** Virtual time: sleepers wake only when the test advances the clock past their deadline. */
class FakeClock implements LeaseClock {
  private sleepers: { at: number; wake: () => void }[] = [];
  constructor(private t = Date.parse('2026-12-02T01:00:00Z')) {}

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      const sleeper = {
        at: this.t + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, waking each sleeper at its deadline and letting what it started run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      this.sleepers = this.sleepers.filter((s) => s !== due);
      due.wake();
    }
    this.t = end;
    await settle();
  }
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The leases as a map, with the port's rules; `failing` makes every call reject, as a database that is down. */
class MemoryLeases implements LoginLeases {
  readonly rows = new Map<string, LeaseHolder>();
  failing = false;
  acquires = 0;

  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    this.acquires += 1;
    if (this.failing) throw new Error('database is down');
    const row = this.rows.get(name);
    if (row && row.holder !== holder && row.expiresAt.getTime() > now.getTime()) return false;
    this.rows.set(name, { holder, expiresAt: new Date(now.getTime() + ttlMs) });
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.failing) throw new Error('database is down');
    if (this.rows.get(name)?.holder === holder) this.rows.delete(name);
  }

  async holderOf(name: string, now: Date): Promise<LeaseHolder | undefined> {
    if (this.failing) throw new Error('database is down');
    const row = this.rows.get(name);
    return row && row.expiresAt.getTime() > now.getTime() ? row : undefined;
  }
}

const TTL = 30_000;
const RENEW = 10_000;
const STEP = 1_000;

function options(clock: FakeClock, more: Partial<HoldLeaseOptions> = {}): HoldLeaseOptions {
  return { ttlMs: TTL, renewEveryMs: RENEW, waitStepMs: STEP, clock, ...more };
}

describe('holdLease', () => {
  it('takes a free lease at once and renews it every renewEveryMs until released', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    const start = clock.now().getTime();
    const held = await holdLease(leases, 'wechat:jxc-bot', 'a', options(clock));
    expect(held.held).toBe(true);
    expect(leases.rows.get('wechat:jxc-bot')).toEqual({ holder: 'a', expiresAt: new Date(start + TTL) });

    await clock.advance(RENEW);
    expect(leases.rows.get('wechat:jxc-bot')?.expiresAt).toEqual(new Date(start + RENEW + TTL));
    // Held far past one ttl: the renewals keep it.
    await clock.advance(5 * TTL);
    expect(leases.rows.get('wechat:jxc-bot')).toEqual({ holder: 'a', expiresAt: new Date(start + 16 * RENEW + TTL) });

    await held.release();
    expect(held.held).toBe(false);
    expect(leases.rows.has('wechat:jxc-bot')).toBe(false);
    // Released: no more renewals write the row back.
    const calls = leases.acquires;
    await clock.advance(3 * RENEW);
    expect(leases.acquires).toBe(calls);
    expect(leases.rows.has('wechat:jxc-bot')).toBe(false);
    await held.release();
  });

  it('waits while another holder renews, says once who holds it, and takes over when it is released', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    const first = await holdLease(leases, 'wechat:jxc-bot', 'host-1:100:aa', options(clock));
    const waiting: LeaseHolder[] = [];
    let second: Awaited<ReturnType<typeof holdLease>> | undefined;
    const taking = holdLease(leases, 'wechat:jxc-bot', 'host-2:200:bb', options(clock, { onWaiting: (h) => waiting.push(h) })).then((h) => (second = h));

    await clock.advance(2 * TTL);
    expect(second).toBeUndefined();
    expect(waiting).toEqual([{ holder: 'host-1:100:aa', expiresAt: expect.any(Date) }]);
    expect(leases.rows.get('wechat:jxc-bot')?.holder).toBe('host-1:100:aa');

    await first.release();
    await clock.advance(STEP);
    await taking;
    expect(second?.held).toBe(true);
    expect(leases.rows.get('wechat:jxc-bot')?.holder).toBe('host-2:200:bb');
    expect(waiting).toHaveLength(1);
    await second?.release();
  });

  it('takes over a holder that stopped renewing (crashed) once its lease expires, not before', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    // A crashed process: its row stays, nobody renews it.
    await leases.acquire('wechat:jxc-bot', 'crashed', clock.now(), TTL);
    let taken = false;
    const taking = holdLease(leases, 'wechat:jxc-bot', 'b', options(clock)).then((h) => {
      taken = true;
      return h;
    });
    await clock.advance(TTL - STEP);
    expect(taken).toBe(false);
    await clock.advance(STEP);
    const held = await taking;
    expect(taken).toBe(true);
    expect(leases.rows.get('wechat:jxc-bot')?.holder).toBe('b');
    await held.release();
  });

  it('reports the loss when a renewal finds someone else holding the lease, and stops renewing', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    const losses: LeaseLoss[] = [];
    const held = await holdLease(leases, 'wechat:jxc-bot', 'a', options(clock, { onLost: (l) => losses.push(l) }));
    // Someone took the row (an operator, or a process whose clock runs ahead).
    leases.rows.set('wechat:jxc-bot', { holder: 'b', expiresAt: new Date(clock.now().getTime() + 10 * TTL) });
    await clock.advance(RENEW);
    expect(losses).toEqual([{ reason: 'taken', by: { holder: 'b', expiresAt: expect.any(Date) } }]);
    expect(held.held).toBe(false);
    const calls = leases.acquires;
    await clock.advance(3 * RENEW);
    expect(leases.acquires).toBe(calls);
    // Releasing after a loss leaves the other holder's row alone.
    await held.release();
    expect(leases.rows.get('wechat:jxc-bot')?.holder).toBe('b');
  });

  it('rides out a failed renewal, and reports the loss when renewals fail until the lease has expired', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    const losses: LeaseLoss[] = [];
    const errors: unknown[] = [];
    const held = await holdLease(leases, 'wechat:jxc-bot', 'a', options(clock, { onLost: (l) => losses.push(l), onRenewError: (e) => errors.push(e) }));

    leases.failing = true;
    await clock.advance(RENEW);
    leases.failing = false;
    await clock.advance(RENEW);
    expect(errors).toHaveLength(1);
    expect(losses).toEqual([]);
    expect(held.held).toBe(true);

    leases.failing = true;
    await clock.advance(2 * RENEW);
    expect(losses).toEqual([]);
    await clock.advance(RENEW);
    expect(losses).toEqual([{ reason: 'expired', error: expect.objectContaining({ message: 'database is down' }) }]);
    expect(held.held).toBe(false);
    expect(errors).toHaveLength(3);
  });

  it('stops waiting when the signal is aborted', async () => {
    const clock = new FakeClock();
    const leases = new MemoryLeases();
    await leases.acquire('wechat:jxc-bot', 'a', clock.now(), TTL);
    const abort = new AbortController();
    const waiting = holdLease(leases, 'wechat:jxc-bot', 'b', options(clock, { signal: abort.signal }));
    await clock.advance(3 * STEP);
    abort.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    expect(leases.rows.get('wechat:jxc-bot')?.holder).toBe('a');
  });

  it('refuses a renewal period that does not fit in the lease', async () => {
    const clock = new FakeClock();
    await expect(holdLease(new MemoryLeases(), 'x', 'a', options(clock, { renewEveryMs: TTL }))).rejects.toThrow(RangeError);
    await expect(holdLease(new MemoryLeases(), 'x', 'a', options(clock, { waitStepMs: 0 }))).rejects.toThrow(RangeError);
  });
});
