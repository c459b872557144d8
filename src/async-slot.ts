import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every slot of the process lives in this one AsyncLocalStorage, keyed by the slot. Node runs a hook
 * for each AsyncLocalStorage ever enabled on every promise created afterwards, and never forgets one:
 * a storage per connection or per store would make each await a little slower for every database a
 * long-lived process (or a test worker) has ever opened.
 */
const storage = new AsyncLocalStorage<ReadonlyMap<AsyncSlot<unknown>, unknown>>();

/**
 * A value that follows one asynchronous call chain (like an AsyncLocalStorage of its own): what `run`
 * sets is seen by `get` in `work` and in everything `work` awaits or starts, and nowhere else.
 */
export class AsyncSlot<T> {
  /** The value set by the innermost `run` of this slot around the caller, if any. */
  get(): T | undefined {
    return storage.getStore()?.get(this as AsyncSlot<unknown>) as T | undefined;
  }

  /** Runs `work` with this slot set to `value`; other slots keep what they hold. */
  run<R>(value: T, work: () => R): R {
    const values = new Map(storage.getStore());
    values.set(this as AsyncSlot<unknown>, value);
    return storage.run(values, work);
  }
}
