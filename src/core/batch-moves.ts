import { allocate, findByCode, type DrawPolicy } from './batches.ts';
import { Refusal } from './failures.ts';
import type { WriteItem, WriteKind } from './ledger-requests.ts';
import type { LedgerTx } from './ledger-write.ts';
import type { BalanceRecord, BatchRecord, EntryRecord, EntryView, ProductRecord } from './ports.ts';

/**
 * Batches inside a write: every entry that moves stock at a location also moves its batches, and
 * says how in BatchMove rows, so an undo or a correction gives back exactly what it moved. The
 * choice of batches is batches.ts; this file only reads and writes them through the unit of work.
 */

/** What a line says about the batch its goods come into. */
export type BatchSpec = Pick<WriteItem, 'batch' | 'expiresAt' | 'producedAt'>;

function hasSpec(spec: BatchSpec): boolean {
  return spec.batch !== undefined || spec.expiresAt !== undefined || spec.producedAt !== undefined;
}

async function record(tx: LedgerTx, entry: EntryView | EntryRecord, batch: BatchRecord, qtyMilli: number): Promise<void> {
  if (qtyMilli === 0) return;
  await tx.uow.moveBatch({ entryId: entry.id, batchId: batch.id, qtyMilli });
  tx.out.batches.push({ entrySeq: entry.seq, code: batch.code, expiresAt: batch.expiresAt, qtyMilli });
}

/** The batch a spec names at the entry's location, created when new; refuses a code with another date. */
async function batchFor(tx: LedgerTx, product: ProductRecord, locationId: number, spec: BatchSpec, batches: readonly BatchRecord[]): Promise<BatchRecord> {
  const code = spec.batch?.trim();
  const found =
    code !== undefined
      ? findByCode(batches, code)
      : batches.find((b) => b.code === null && b.expiresAt?.getTime() === spec.expiresAt?.getTime());
  if (found) {
    if (spec.expiresAt !== undefined) {
      if (found.expiresAt === null) await tx.uow.setBatchExpiry(found.id, spec.expiresAt);
      else if (found.expiresAt.getTime() !== spec.expiresAt.getTime()) {
        throw new Refusal({ code: 'BATCH_EXPIRY_MISMATCH', product: product.name, batch: found.code ?? '', expiresAt: found.expiresAt, written: spec.expiresAt });
      }
      return { ...found, expiresAt: spec.expiresAt };
    }
    return found;
  }
  return await tx.uow.createBatch(
    { productId: product.id, locationId, code: code ?? null, expiresAt: spec.expiresAt ?? null, producedAt: spec.producedAt ?? null },
    tx.now,
  );
}

/**
 * Goods coming in (进货, 退货, 盘盈, the arriving half of 调拨): into the batch the line names, else
 * they stay unbatched. Goods that settle what a 预售 product owes (its stock below zero) are gone
 * the moment they arrive, so only the rest goes into the batch.
 */
export async function receive(tx: LedgerTx, entry: EntryView, product: ProductRecord, spec: BatchSpec, before: BalanceRecord): Promise<void> {
  if (entry.locationId === null || !hasSpec(spec)) return;
  const batches = await tx.uow.batchesAt(product.id, entry.locationId);
  const batch = await batchFor(tx, product, entry.locationId, spec, batches);
  let inBatches = 0;
  for (const b of batches) if (b.qtyMilli > 0) inBatches += b.qtyMilli;
  const owed = Math.max(0, inBatches - before.qtyMilli);
  await record(tx, entry, batch, Math.max(0, entry.qtyMilli - owed));
}

/**
 * Goods leaving (出货, 退供, 盘亏, the leaving half of 调拨): from the named batch only (refused when it
 * is unknown there or holds too little), else first-expiring first by `policy`. Returns the batches
 * drawn, for the arriving half of a transfer.
 */
export async function draw(tx: LedgerTx, entry: EntryView, product: ProductRecord, named: string | undefined, policy: DrawPolicy, before: BalanceRecord): Promise<{ batch: BatchRecord; qtyMilli: number }[]> {
  if (entry.locationId === null) return [];
  const qtyMilli = -entry.qtyMilli;
  const batches = await tx.uow.batchesAt(product.id, entry.locationId);
  if (named !== undefined) {
    const batch = findByCode(batches, named);
    if (!batch) {
      const location = (await tx.uow.locationById(entry.locationId)).name;
      const codes = batches.filter((b) => b.qtyMilli > 0 && b.code !== null).map((b) => b.code as string);
      throw new Refusal({ code: 'UNKNOWN_BATCH', product: product.name, batch: named.trim(), location, codes });
    }
    if (batch.qtyMilli < qtyMilli) {
      throw new Refusal({ code: 'BATCH_SHORT', product: product.name, unit: product.unit, batch: batch.code ?? named, onHandMilli: batch.qtyMilli, requestedMilli: qtyMilli });
    }
    await record(tx, entry, batch, -qtyMilli);
    return [{ batch, qtyMilli }];
  }
  if (batches.length === 0) return [];
  const { draws } = allocate(batches, before.qtyMilli, qtyMilli, policy, tx.now);
  const drawn: { batch: BatchRecord; qtyMilli: number }[] = [];
  for (const d of draws) {
    const batch = batches.find((b) => b.id === d.batchId) as BatchRecord;
    await record(tx, entry, batch, -d.qtyMilli);
    drawn.push({ batch, qtyMilli: d.qtyMilli });
  }
  return drawn;
}

/**
 * The arriving half of a transfer: each batch drawn at the source arrives as the batch of the same
 * code (or, without a code, the same date) at the destination.
 */
export async function receiveDrawn(tx: LedgerTx, entry: EntryView, product: ProductRecord, drawn: readonly { batch: BatchRecord; qtyMilli: number }[]): Promise<void> {
  if (entry.locationId === null || drawn.length === 0) return;
  for (const d of drawn) {
    const spec: BatchSpec = { batch: d.batch.code ?? undefined, expiresAt: d.batch.expiresAt ?? undefined, producedAt: d.batch.producedAt ?? undefined };
    const batch = await batchFor(tx, product, entry.locationId, spec, await tx.uow.batchesAt(product.id, entry.locationId));
    await record(tx, entry, batch, d.qtyMilli);
  }
}

/**
 * A reversal gives back what the original moved in each batch. Goods it brought into a batch that
 * have since left that batch come out of what is left of it (a batch never goes below zero); the
 * rest of what the reversal takes away comes out of the unbatched stock, and what that does not
 * hold out of the other batches (see takeExcess).
 */
export async function reverseMoves(tx: LedgerTx, original: EntryRecord, reversal: EntryView): Promise<void> {
  for (const move of await tx.uow.batchMovesOf(original.id)) {
    const batch = await tx.uow.batchById(move.batchId);
    const back = move.qtyMilli > 0 ? -Math.min(move.qtyMilli, Math.max(0, batch.qtyMilli)) : -move.qtyMilli;
    await record(tx, reversal, batch, back);
  }
  if (original.qtyMilli > 0 && original.locationId !== null) await takeExcess(tx, reversal, original.productId, original.locationId);
}

/**
 * After a reversal took goods away, the batches at the location must not hold more than its stock.
 * They would when the reversed goods have already left (sold out of their own batch, or, never
 * batched, sold as the unbatched stock that goes first) while other batches still hold goods: the
 * stock that is left is then all in those batches. Had the reversed goods never come, the goods that
 * left would have come out of those batches, in the order a sale draws (freshFirst), so the excess
 * comes out of them in that order.
 */
async function takeExcess(tx: LedgerTx, reversal: EntryView, productId: number, locationId: number): Promise<void> {
  const batches = await tx.uow.batchesAt(productId, locationId);
  let inBatches = 0;
  for (const b of batches) if (b.qtyMilli > 0) inBatches += b.qtyMilli;
  // The balance as it stands after the reversal (a backdated one moves the current balance too).
  const excess = inBatches - Math.max(0, (await tx.uow.balance(productId, locationId)).qtyMilli);
  if (excess <= 0) return;
  // On hand exactly what the batches hold: nothing unbatched is left to take first.
  const { draws } = allocate(batches, inBatches, excess, 'freshFirst', tx.now);
  for (const d of draws) await record(tx, reversal, batches.find((b) => b.id === d.batchId) as BatchRecord, -d.qtyMilli);
}

/** The batch a corrected line keeps: the one the original's goods came into, when exactly one. */
export async function originalBatch(tx: LedgerTx, original: EntryRecord): Promise<BatchSpec> {
  if (original.qtyMilli <= 0) return {};
  const moves = await tx.uow.batchMovesOf(original.id);
  const first = moves[0];
  if (moves.length !== 1 || first === undefined) return {};
  const batch = await tx.uow.batchById(first.batchId);
  return { batch: batch.code ?? undefined, expiresAt: batch.expiresAt ?? undefined, producedAt: batch.producedAt ?? undefined };
}

/** Which batches goods leaving by each kind of write come from when none is named (see DrawPolicy). */
const DRAW_POLICY: Readonly<Record<WriteKind, DrawPolicy>> = {
  sale: 'freshFirst',
  transfer: 'freshFirst',
  supplierReturn: 'expiryFirst',
  stocktake: 'expiryFirst',
  // Goods leaving by these kinds only through their reversal, which gives back its own moves.
  purchase: 'expiryFirst',
  customerReturn: 'expiryFirst',
};

/** Moves the batches of one written line: into the named batch when goods come in, out of batches when they leave. */
export async function moveBatches(tx: LedgerTx, kind: WriteKind, item: WriteItem, entry: EntryView, product: ProductRecord, before: BalanceRecord): Promise<void> {
  if (entry.locationId === null || entry.qtyMilli === 0) return;
  if (entry.qtyMilli > 0) await receive(tx, entry, product, item, before);
  else await draw(tx, entry, product, item.batch, DRAW_POLICY[kind], before);
}

/**
 * `盘点 牛奶 45 批次 A1101`: the count is of that batch, so the location's stock becomes what it holds
 * besides the batch plus the count (a batch not known there counts from zero and is created).
 */
export async function countedWithBatch(tx: LedgerTx, product: ProductRecord, locationId: number, balance: BalanceRecord, code: string, countedMilli: number): Promise<number> {
  const batch = findByCode(await tx.uow.batchesAt(product.id, locationId), code);
  return balance.qtyMilli - Math.max(0, batch?.qtyMilli ?? 0) + countedMilli;
}
