import { fail, ok, type Result } from './failures.ts';
import { applyLine, applyTransfer, zeroAllowed } from './entry-rules.ts';
import {
  validateItem,
  type CorrectionOutcome,
  type CorrectionRequest,
  type UndoOutcome,
  type UndoRequest,
  type UnitConversionOutcome,
  type UnitConversionRequest,
  type WriteOutcome,
  type WriteRequest,
} from './ledger-requests.ts';
import { runMessage } from './ledger-write.ts';
import { repost } from './repost.ts';
import type { Clock, InventoryStore, SourceInput, StockRow } from './ports.ts';
import { correctEntry, undoEntries } from './reversal.ts';
import { setUnitConversion } from './unit-conversion.ts';

export type {
  ActorLimit,
  CorrectionOutcome,
  CorrectionRequest,
  UndoOutcome,
  UndoRequest,
  UnitConversionOutcome,
  UnitConversionRequest,
  WriteItem,
  WriteKind,
  WriteOutcome,
  WriteRequest,
} from './ledger-requests.ts';
export { validateItem } from './ledger-requests.ts';

/**
 * The inventory use cases: every write goes through one store transaction, so a message's items are
 * written all or none, a redelivered message writes nothing, and valuation stays exact. What each
 * kind writes is in entry-rules.ts, undo and correction in reversal.ts, the transaction in
 * ledger-write.ts.
 */
export class InventoryService {
  constructor(
    private readonly store: InventoryStore,
    private readonly clock: Clock,
  ) {}

  /** Records purchases, sales, returns, stocktakes or a transfer from one source message. */
  async record(shopId: number, req: WriteRequest, source: SourceInput): Promise<Result<WriteOutcome>> {
    if (req.items.length === 0) return fail({ code: 'EMPTY_COMMAND' });
    const zero = zeroAllowed(req.kind);
    for (const item of req.items) {
      const bad = validateItem(item, zero);
      if (bad) return fail(bad);
    }
    const kind = req.kind;
    const result = await runMessage(this.store, this.clock.now(), shopId, source, req.occurredAt, async (tx) => {
      if (kind === 'transfer') {
        for (const item of req.items) await applyTransfer(tx, item, req);
      } else {
        for (const item of req.items) await applyLine(tx, kind, item, req, null);
      }
    });
    return result.ok ? ok(result.value.out) : result;
  }

  /** Undoes entries with reversal entries that point at them; nothing is deleted. */
  async undo(shopId: number, req: UndoRequest, source: SourceInput): Promise<Result<UndoOutcome>> {
    return await undoEntries(this.store, this.clock.now(), shopId, req, source);
  }

  /** Corrects an entry's quantity or unit price: reverses it and records the corrected one. */
  async correct(shopId: number, req: CorrectionRequest, source: SourceInput): Promise<Result<CorrectionOutcome>> {
    return await correctEntry(this.store, this.clock.now(), shopId, req, source);
  }

  /** `设置 雪碧 1箱=24瓶`: adds or changes a conversion to the product's unit (see unit-conversion.ts). */
  async setUnitConversion(shopId: number, req: UnitConversionRequest): Promise<Result<UnitConversionOutcome>> {
    return await setUnitConversion(this.store, shopId, req);
  }

  /**
   * Finishes the reposts left queued by writes into long histories (see repost.ts), each in its own
   * transaction; the bot calls this every second or so. Returns how many products were costed again.
   */
  async runQueuedReposts(): Promise<number> {
    let done = 0;
    for (const queued of await this.store.queuedReposts()) {
      const finished = await this.store.transaction(async (uow) => {
        const from = await uow.dequeueRepost(queued.productId);
        if (!from) return false;
        await uow.applyRepost(repost(await uow.repostRows(queued.productId, from)));
        return true;
      });
      if (finished) done += 1;
    }
    return done;
  }

  /** Stock rows (one per product and location) of a shop, or of one product. */
  async stock(shopId: number, productName?: string): Promise<Result<StockRow[]>> {
    if (productName === undefined) return ok(await this.store.stock(shopId));
    const product = await this.store.read((uow) => uow.findProduct(shopId, productName));
    if (!product) return fail({ code: 'UNKNOWN_PRODUCT', product: productName });
    return ok(await this.store.stock(shopId, product.id));
  }

  /**
   * Records many source messages in one outer store transaction, for imports: each message is
   * applied exactly as record() applies it (all-or-none, at most once), but the commit is paid once
   * per batch. The batch first runs in the store's batch mode (reads cached, balances written once at
   * the end, no savepoint per message); if any message is refused, that attempt is rolled back and the
   * batch is replayed message by message in ordinary nested transactions, so a refused message leaves
   * nothing behind and the others still apply.
   */
  async recordBatch(shopId: number, items: readonly { req: WriteRequest; source: SourceInput }[]): Promise<Result<WriteOutcome>[]> {
    class Retry extends Error {}
    const recordAll = async (): Promise<Result<WriteOutcome>[]> => {
      const results: Result<WriteOutcome>[] = [];
      // One after another (not items.map): each message sees the one before it committed.
      for (const { req, source } of items) results.push(await this.record(shopId, req, source));
      return results;
    };
    try {
      return await this.store.batch(async () => {
        const results = await recordAll();
        if (results.some((r) => !r.ok)) throw new Retry();
        return results;
      });
    } catch (error) {
      if (!(error instanceof Retry)) throw error;
      return await this.store.transaction(() => recordAll());
    }
  }
}
