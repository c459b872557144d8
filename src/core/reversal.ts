import { originalBatch, reverseMoves } from './batch-moves.ts';
import { Refusal, fail, ok, type Result } from './failures.ts';
import { applyLine, zeroAllowed } from './entry-rules.ts';
import type { ActorLimit, CorrectionOutcome, CorrectionRequest, UndoOutcome, UndoRequest, WriteItem, WriteKind } from './ledger-requests.ts';
import { validateItem } from './ledger-requests.ts';
import { entryView, runMessage, stockAt, writeEntry, type LedgerTx } from './ledger-write.ts';
import type { EntryKind, EntryRecord, EntryView, InventoryStore, SourceInput, UnitOfWork } from './ports.ts';
import { MILLI } from './quantity.ts';
import { reversalValueOut } from './valuation.ts';

/**
 * Undo and correction. The ledger is append-only: an entry is undone by a reversal entry that points
 * at it, and corrected by a reversal plus a replacement written in the same message. Every read
 * below is a plain statement in a loop (no store call inside an array callback), so the store's
 * methods can become asynchronous by adding `await`.
 */

/** The kinds a correction can rewrite, and the write that rewrites each. */
const WRITE_KIND_OF: Partial<Record<EntryKind, Exclude<WriteKind, 'transfer' | 'stocktake'>>> = {
  purchase: 'purchase',
  sale: 'sale',
  customer_return: 'customerReturn',
  supplier_return: 'supplierReturn',
};

/** Undoes entries with reversal entries that point at them; nothing is deleted. */
export async function undoEntries(store: InventoryStore, now: Date, shopId: number, req: UndoRequest, source: SourceInput): Promise<Result<UndoOutcome>> {
  const result = await runMessage(store, now, shopId, source, undefined, async (tx) => {
    const targets = await undoTargets(tx, req);
    const undone: EntryView[] = [];
    const reversals: EntryView[] = [];
    for (const target of targets) {
      const reversal = await reverse(tx, target);
      undone.push(await entryView(tx.uow, target));
      reversals.push(reversal);
    }
    return { undone, reversals };
  });
  if (!result.ok) return result;
  const { out, extra } = result.value;
  if (out.duplicate || !extra) {
    const reversals = out.entries;
    const undone = await store.read(async (uow) => {
      const views: EntryView[] = [];
      for (const r of reversals) {
        const e = r.reversesId === null ? undefined : await uow.entryById(r.reversesId);
        if (e) views.push(await entryView(uow, e));
      }
      return views;
    });
    return ok({ duplicate: true, undone, reversals, after: out.after });
  }
  return ok({ duplicate: false, undone: extra.undone, reversals: extra.reversals, after: out.after });
}

/** Corrects an entry's quantity or unit price: reverses it and records the corrected one. */
export async function correctEntry(store: InventoryStore, now: Date, shopId: number, req: CorrectionRequest, source: SourceInput): Promise<Result<CorrectionOutcome>> {
  const result = await runMessage(store, now, shopId, source, undefined, async (tx) => {
    const written = await tx.uow.entryBySeq(tx.shopId, req.entryNo);
    if (!written) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
    const original = await latestVersion(tx.uow, written);
    const writeKind = WRITE_KIND_OF[original.kind];
    if (!writeKind) throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: original.seq });
    checkLimit(original, req.limit);
    const product = await tx.uow.productById(original.productId);
    const qty = Math.abs(original.qtyMilli) / MILLI;
    const changed = (field: CorrectionRequest['field']): number | undefined =>
      req.field === field ? req.value : req.also?.field === field ? req.also.value : undefined;
    const item: WriteItem = {
      product: product.name,
      quantity: changed('quantity') ?? qty,
      unitPrice: changed('unitPrice') ?? original.unitPrice ?? undefined,
      note: original.note ?? undefined,
      // A corrected purchase stays in its batch; goods leaving are drawn again first-expiring first.
      ...await originalBatch(tx, original),
    };
    const bad = validateItem(item, zeroAllowed(writeKind));
    if (bad) throw new Refusal(bad);
    const reversal = await reverse(tx, original);
    const location = original.locationId === null ? undefined : (await tx.uow.locationById(original.locationId)).name;
    const replacement = await applyLine(
      { ...tx, occurredAt: original.occurredAt },
      writeKind,
      item,
      { channel: original.channel ?? undefined, counterparty: original.counterparty ?? undefined, location },
      original.id,
    );
    return { original: await entryView(tx.uow, original), reversal, replacement };
  });
  if (!result.ok) return result;
  const { out, extra } = result.value;
  if (out.duplicate || !extra) {
    const [reversal, replacement] = out.entries;
    if (!reversal || !replacement || reversal.reversesId === null) return fail({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
    const id = reversal.reversesId;
    const original = await store.read(async (uow) => entryView(uow, await uow.entryById(id) as EntryRecord));
    return ok({ duplicate: true, original, reversal, replacement, after: out.after });
  }
  return ok({ duplicate: false, ...extra, after: out.after });
}

/**
 * The entry as it stands now: an entry that was corrected is followed to its replacement (the
 * replacement is written in the same message as the original's reversal), so `改 #12` twice
 * changes the current figures rather than failing on an entry already reversed.
 */
async function latestVersion(uow: UnitOfWork, entry: EntryRecord): Promise<EntryRecord> {
  let current = entry;
  for (let k = 0; k < 100; k++) {
    const reversal = await uow.reversalOf(current.id);
    if (!reversal || reversal.messageId === null) return current;
    const replacement = (await uow.entriesOfMessage(reversal.messageId)).find((e) => e.replacesId === current.id);
    if (!replacement) return current;
    current = replacement;
  }
  return current;
}

/** Staff may undo or correct only their own recent entries. */
function checkLimit(entry: EntryRecord, limit: ActorLimit | undefined): void {
  if (!limit) return;
  if (!limit.actorIds.includes(entry.actorId)) throw new Refusal({ code: 'NOT_YOUR_ENTRY', entryNo: entry.seq });
  if (entry.recordedAt < limit.notBefore) throw new Refusal({ code: 'UNDO_TOO_OLD', entryNo: entry.seq, hours: limit.hours });
}

/** The entries an undo request names, in the order to reverse them; refuses what cannot be undone. */
async function undoTargets(tx: LedgerTx, req: UndoRequest): Promise<EntryRecord[]> {
  const uow = tx.uow;
  let targets: EntryRecord[];
  if (req.entryNo !== undefined) {
    const entry = await uow.entryBySeq(tx.shopId, req.entryNo);
    if (!entry) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
    targets = [entry];
    // The two halves of a transfer are undone together.
    if (entry.kind === 'transfer_out' || entry.kind === 'transfer_in') {
      const partner = entry.messageId === null ? [] : (await uow.entriesOfMessage(entry.messageId)).filter(
        (e) => e.id !== entry.id && (e.transferId === entry.id || entry.transferId === e.id),
      );
      targets = entry.kind === 'transfer_out' ? [entry, ...partner] : [...partner, entry];
    }
  } else {
    let messageId: number | undefined;
    if (req.messageOfEntry !== undefined) {
      const entry = await uow.entryBySeq(tx.shopId, req.messageOfEntry);
      if (!entry) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.messageOfEntry });
      if (entry.messageId === null) {
        checkLimit(entry, req.limit);
        return [entry];
      }
      messageId = entry.messageId;
    } else if (req.replyTo) {
      const found = await uow.findMessage({ ...req.replyTo, text: '', actorId: '' });
      if (!found || found.shopId !== tx.shopId) throw new Refusal({ code: 'ENTRY_NOT_FOUND' });
      messageId = found.id;
    } else {
      messageId = await uow.lastUndoableMessage(tx.shopId, tx.source.actorId);
      if (messageId === undefined) throw new Refusal({ code: 'NOTHING_TO_UNDO' });
    }
    const ofMessage = await uow.entriesOfMessage(messageId);
    targets = [];
    for (const e of ofMessage) if (e.kind !== 'reversal' && !await uow.reversalOf(e.id)) targets.push(e);
    if (targets.length === 0) {
      const any = ofMessage[0];
      if (!any) throw new Refusal({ code: 'NOTHING_TO_UNDO' });
      if (any.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: any.seq });
      const reversal = await uow.reversalOf(any.id);
      throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: any.seq, reversalNo: reversal?.seq ?? 0 });
    }
  }
  for (const t of targets) {
    checkLimit(t, req.limit);
    if (t.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: t.seq });
    const reversal = await uow.reversalOf(t.id);
    if (reversal) throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: t.seq, reversalNo: reversal.seq });
  }
  // Undo in reverse order so a transfer's destination gives its goods back before the source takes them.
  return targets.reverse();
}

/** Writes the reversal of one entry, dated like it so period reports net out to zero. */
async function reverse(tx: LedgerTx, original: EntryRecord): Promise<EntryView> {
  if (original.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: original.seq });
  const earlier = await tx.uow.reversalOf(original.id);
  if (earlier) throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: original.seq, reversalNo: earlier.seq });
  // Dated like the original, so it is costed (and checked) at the original's time (repost.ts).
  const at: LedgerTx = { ...tx, occurredAt: original.occurredAt };
  const balance = original.locationId === null ? null : await stockAt(at, original.productId, original.locationId);
  // Reversing goods that came in takes them out again: refused when they have already left (then or
  // at any later time), and never taking more value than the stock still holds (see reversalValueOut).
  let valueDelta = -original.valueDelta;
  if (balance && original.qtyMilli > 0) {
    const product = await tx.uow.productById(original.productId);
    if (product.mode !== 'presale' && balance.availableMilli < original.qtyMilli) {
      throw new Refusal({
        code: 'STOCK_ALREADY_LEFT',
        entryNo: original.seq,
        product: product.name,
        unit: product.unit,
        location: (await tx.uow.locationById(original.locationId as number)).name,
        onHandMilli: balance.availableMilli,
        enteredMilli: original.qtyMilli,
      });
    }
    valueDelta = -reversalValueOut(balance, original.qtyMilli, original.valueDelta);
  }
  const view = await writeEntry(
    at,
    {
      shopId: tx.shopId,
      kind: 'reversal',
      productId: original.productId,
      locationId: original.locationId,
      qtyMilli: -original.qtyMilli,
      unitPrice: original.unitPrice,
      amount: -original.amount,
      // What the stock could not give back beyond the mirror of the original is booked as cost.
      cost: -original.cost - (original.valueDelta + valueDelta),
      valueDelta,
      channel: original.channel,
      counterparty: original.counterparty,
      // The supplier is owed back what the original owed it (应付 nets out).
      supplier: original.supplier ?? null,
      occurredAt: original.occurredAt,
      recordedAt: tx.now,
      actorId: tx.source.actorId,
      actorName: tx.source.actorName ?? null,
      messageId: tx.messageId,
      reversesId: original.id,
      replacesId: null,
      transferId: null,
    },
    balance,
  );
  await reverseMoves(tx, original, view);
  return view;
}
