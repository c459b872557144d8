import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { gateOf } from '../src/adapters/prisma/sqlite-gate.ts';
import { AsyncSlot } from '../src/async-slot.ts';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('AsyncSlot: a value that follows one call chain, many slots on one storage', () => {
  it('is seen inside run and in what it awaits, and not outside', async () => {
    const slot = new AsyncSlot<string>();
    expect(slot.get()).toBeUndefined();
    const seen = await slot.run('a', async () => {
      await tick();
      return slot.get();
    });
    expect(seen).toBe('a');
    expect(slot.get()).toBeUndefined();
  });

  it('keeps concurrent chains apart', async () => {
    const slot = new AsyncSlot<number>();
    const chain = (n: number) =>
      slot.run(n, async () => {
        await tick();
        await tick();
        return slot.get();
      });
    expect(await Promise.all([chain(1), chain(2), chain(3)])).toEqual([1, 2, 3]);
  });

  it('nests: the inner run shadows the outer for its own chain only', async () => {
    const slot = new AsyncSlot<string>();
    await slot.run('outer', async () => {
      expect(await slot.run('inner', async () => (await tick(), slot.get()))).toBe('inner');
      expect(slot.get()).toBe('outer');
    });
  });

  it('keeps slots independent: setting one leaves another as it was', async () => {
    const a = new AsyncSlot<string>();
    const b = new AsyncSlot<string>();
    await a.run('a1', () =>
      b.run('b1', async () => {
        await tick();
        expect([a.get(), b.get()]).toEqual(['a1', 'b1']);
        await a.run('a2', async () => expect([a.get(), b.get()]).toEqual(['a2', 'b1']));
        expect(a.get()).toBe('a1');
      }),
    );
    expect([a.get(), b.get()]).toEqual([undefined, undefined]);
  });

  it('keeps the value in what a run started, even when awaited outside it', async () => {
    const slot = new AsyncSlot<string>();
    const started = slot.run('a', async () => {
      await tick();
      return slot.get();
    });
    expect(slot.get()).toBeUndefined();
    expect(await started).toBe('a');
    expect(slot.get()).toBeUndefined();
  });

  it('keeps two SQLite connections apart: a transaction on one is not a hold on the other', async () => {
    const [a, b] = [new Database(':memory:'), new Database(':memory:')];
    try {
      const seen = await gateOf(a).transaction(async () => {
        await tick();
        // On b this is a caller of its own, queued behind b's other callers, not a savepoint of a's transaction.
        const onB = await gateOf(b).run(() => [gateOf(a).inside, gateOf(b).inside]);
        return { a: gateOf(a).inside, b: gateOf(b).inside, onB };
      });
      expect(seen).toEqual({ a: true, b: false, onB: [true, true] });
      expect([gateOf(a).inside, gateOf(b).inside]).toEqual([false, false]);
    } finally {
      a.close();
      b.close();
    }
  });
});
