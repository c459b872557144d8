import { Refusal, fail, ok, type Failure, type Result } from './failures.ts';
import { MAX_CENTS } from './money.ts';
import type {
  BalanceRecord,
  Clock,
  EntryKind,
  EntryRecord,
  EntryView,
  InventoryStore,
  LocationRecord,
  NewEntry,
  ProductRecord,
  SourceInput,
  StockRow,
  UnitOfWork,
} from './ports.ts';
import { COUNT_UNITS, MAX_QUANTITY, MILLI, toMilli } from './quantity.ts';
import { isCountUnit } from './units.ts';
import { linePrice, priceFailure } from './pricing.ts';
import { costOut, reversalValueOut, settledValueDelta, valueAt, valueIn } from './valuation.ts';

/** The kinds of write a message can ask for. */
export type WriteKind = 'purchase' | 'sale' | 'customerReturn' | 'supplierReturn' | 'stocktake' | 'transfer';

/** One product line of a write, quantity in the product's own unit, money in 分. */
export interface WriteItem {
  product: string;
  quantity: number;
  /** Unit for a product created by this write (a purchase of a new name). */
  unit?: string | undefined;
  unitPrice?: number | undefined;
  total?: number | undefined;
  /** Percent charged (8折 → 80), against the written price or the set 售价. */
  rate?: number | undefined;
  /** 分 off the line (优惠5元). */
  discount?: number | undefined;
  /** 分 of landed cost added to a purchase line (its share of 运费). */
  freight?: number | undefined;
}

export interface WriteRequest {
  kind: WriteKind;
  items: readonly WriteItem[];
  occurredAt?: Date | undefined;
  channel?: string | undefined;
  counterparty?: string | undefined;
  /** Location the goods are at (or leave from, for a transfer); the shop's default when absent. */
  location?: string | undefined;
  /** Destination of a transfer. */
  to?: string | undefined;
}

/** What a write did: its entries (with stock after each) and what it created on the way. */
export interface WriteOutcome {
  /** True when this source message had already been applied: nothing new was written. */
  duplicate: boolean;
  entries: EntryView[];
  /** Stock at each touched product/location after the write, in entry order. */
  after: { entrySeq: number; qtyMilli: number; value: number }[];
  createdProducts: string[];
  createdLocations: string[];
}

export interface UndoRequest {
  /** `撤销 #123`. */
  entryNo?: number | undefined;
  /** Undo every entry of the message that wrote entry #n (replying 「撤销」 to a confirmation). */
  messageOfEntry?: number | undefined;
  /** The message being replied to, when the user replied 「撤销」 to it. */
  replyTo?: { platform: string; chatId: string; messageId: string } | undefined;
  /** When set, only entries recorded by these actors may be undone (staff undo their own). */
  limit?: ActorLimit | undefined;
}

/** Restricts undo and correction to one's own recent entries. */
export interface ActorLimit {
  actorIds: readonly string[];
  /** Entries recorded before this instant are too old. */
  notBefore: Date;
  hours: number;
}

export interface UndoOutcome {
  duplicate: boolean;
  undone: EntryView[];
  reversals: EntryView[];
  after: { entrySeq: number; qtyMilli: number; value: number }[];
}

export interface CorrectionRequest {
  entryNo: number;
  field: 'quantity' | 'unitPrice';
  value: number;
  limit?: ActorLimit | undefined;
}

export interface CorrectionOutcome {
  duplicate: boolean;
  original: EntryView;
  reversal: EntryView;
  replacement: EntryView;
  after: { entrySeq: number; qtyMilli: number; value: number }[];
}


/** `设置 雪碧 1箱=24瓶`: 1 `unit` = `factor` `base`. */
export interface UnitConversionRequest {
  product: string;
  unit: string;
  factor: number;
  base: string;
}

export interface UnitConversionOutcome {
  product: string;
  unit: string;
  factor: number;
  base: string;
  /** The loose piece word (件) the product's entries were counted in, now read as `base` one for one. */
  relabelledFrom?: string | undefined;
}

/** Piece words staff use for "one of it" whatever it is; one 件 of a drink is one 瓶. */
const LOOSE_PIECES: ReadonlySet<string> = new Set(['件', '个', 'pcs']);

const WRITE_KIND_OF: Partial<Record<EntryKind, Exclude<WriteKind, 'transfer' | 'stocktake'>>> = {
  purchase: 'purchase',
  sale: 'sale',
  customer_return: 'customerReturn',
  supplier_return: 'supplierReturn',
};

interface Ctx {
  uow: UnitOfWork;
  shopId: number;
  source: SourceInput;
  messageId: number;
  now: Date;
  occurredAt: Date;
  out: WriteOutcome;
}

/**
 * The inventory use cases: every write goes through one store transaction, so a message's items are
 * written all or none, a redelivered message writes nothing, and valuation stays exact.
 */
export class InventoryService {
  constructor(
    private readonly store: InventoryStore,
    private readonly clock: Clock,
  ) {}

  /** Records purchases, sales, returns, stocktakes or a transfer from one source message. */
  record(shopId: number, req: WriteRequest, source: SourceInput): Result<WriteOutcome> {
    if (req.items.length === 0) return fail({ code: 'EMPTY_COMMAND' });
    for (const item of req.items) {
      const bad = validateItem(item, req.kind === 'stocktake');
      if (bad) return fail(bad);
    }
    const result = this.run(shopId, source, req.occurredAt, (ctx) => {
      if (req.kind === 'transfer') {
        for (const item of req.items) this.transfer(ctx, item, req);
      } else {
        for (const item of req.items) this.applyItem(ctx, req.kind, item, req, null);
      }
    });
    return result.ok ? ok(result.value.out) : result;
  }

  /** Undoes entries with reversal entries that point at them; nothing is deleted. */
  undo(shopId: number, req: UndoRequest, source: SourceInput): Result<UndoOutcome> {
    const result = this.run(shopId, source, undefined, (ctx) => {
      const targets = this.undoTargets(ctx, req);
      const undone: EntryView[] = [];
      const reversals: EntryView[] = [];
      for (const target of targets) {
        const reversal = this.reverse(ctx, target);
        undone.push(this.view(ctx.uow, target));
        reversals.push(reversal);
      }
      return { undone, reversals };
    });
    if (!result.ok) return result;
    const { out, extra } = result.value;
    if (out.duplicate) {
      const reversals = out.entries;
      const undone = reversals
        .map((r) => (r.reversesId === null ? undefined : this.store.read((uow) => uow.entryById(r.reversesId as number))))
        .filter((e): e is EntryRecord => e !== undefined)
        .map((e) => this.store.read((uow) => this.view(uow, e)));
      return ok({ duplicate: true, undone, reversals, after: out.after });
    }
    return ok({ duplicate: false, undone: extra.undone, reversals: extra.reversals, after: out.after });
  }

  /** Corrects an entry's quantity or unit price: reverses it and records the corrected one. */
  correct(shopId: number, req: CorrectionRequest, source: SourceInput): Result<CorrectionOutcome> {
    const result = this.run(shopId, source, undefined, (ctx) => {
      const original = ctx.uow.entryBySeq(ctx.shopId, req.entryNo);
      if (!original) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
      const writeKind = WRITE_KIND_OF[original.kind];
      if (!writeKind) throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: original.seq });
      checkLimit(original, req.limit);
      const product = ctx.uow.productById(original.productId);
      const qty = Math.abs(original.qtyMilli) / MILLI;
      const item: WriteItem = {
        product: product.name,
        quantity: req.field === 'quantity' ? req.value : qty,
        unitPrice: req.field === 'unitPrice' ? req.value : (original.unitPrice ?? undefined),
      };
      const bad = validateItem(item, false);
      if (bad) throw new Refusal(bad);
      const reversal = this.reverse(ctx, original);
      const location = original.locationId === null ? undefined : ctx.uow.locationById(original.locationId).name;
      const replacement = this.applyItem(
        { ...ctx, occurredAt: original.occurredAt },
        writeKind,
        item,
        { channel: original.channel ?? undefined, counterparty: original.counterparty ?? undefined, location },
        original.id,
      );
      return { original: this.view(ctx.uow, original), reversal, replacement };
    });
    if (!result.ok) return result;
    const { out, extra } = result.value;
    if (out.duplicate) {
      const [reversal, replacement] = out.entries;
      if (!reversal || !replacement || reversal.reversesId === null) return fail({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
      const id = reversal.reversesId;
      const original = this.store.read((uow) => this.view(uow, uow.entryById(id) as EntryRecord));
      return ok({ duplicate: true, original, reversal, replacement, after: out.after });
    }
    return ok({ duplicate: false, ...extra, after: out.after });
  }

  /**
   * `设置 雪碧 1箱=24瓶`: adds or changes a conversion to the product's unit. When the conversion
   * names a new base unit (the product was kept in 件 or 箱 and should be kept in 瓶), the unit
   * changes only if that keeps the books true: a product without entries, or one kept in a loose
   * piece word (件, 个) that becomes a counted unit one for one. A product whose entries and stock
   * are counted in another unit is refused — relabelling 10箱 as 10瓶 would make every past
   * entry and the stock wrong.
   */
  setUnitConversion(shopId: number, req: UnitConversionRequest): Result<UnitConversionOutcome> {
    const product = this.store.transaction((uow) => uow.findProduct(shopId, req.product));
    if (!product) return fail({ code: 'UNKNOWN_PRODUCT', product: req.product });
    const factorMilli = toMilli(req.factor);
    if (factorMilli === undefined || factorMilli <= 0) return fail({ code: 'BAD_QUANTITY', product: product.name, reason: 'precision' });
    let relabelledFrom: string | undefined;
    if (product.unit !== req.base) {
      if (this.store.hasEntries(product.id)) {
        const loose = LOOSE_PIECES.has(product.unit) && isCountUnit(req.base) && req.unit !== product.unit;
        if (!loose) {
          const onHandMilli = this.store.stock(shopId, product.id).reduce((sum, r) => sum + r.qtyMilli, 0);
          return fail({ code: 'UNIT_IN_USE', product: product.name, unit: product.unit, base: req.base, outer: req.unit, onHandMilli });
        }
        relabelledFrom = product.unit;
      }
      this.store.updateProduct(shopId, product.id, { unit: req.base });
    }
    this.store.setUnit(product.id, req.unit, factorMilli);
    return ok({ product: product.name, unit: req.unit, factor: factorMilli / MILLI, base: req.base, relabelledFrom });
  }

  /** Stock rows (one per product and location) of a shop, or of one product. */
  stock(shopId: number, productName?: string): Result<StockRow[]> {
    if (productName === undefined) return ok(this.store.stock(shopId));
    const product = this.store.read((uow) => uow.findProduct(shopId, productName));
    if (!product) return fail({ code: 'UNKNOWN_PRODUCT', product: productName });
    return ok(this.store.stock(shopId, product.id));
  }

  private run<T>(
    shopId: number,
    source: SourceInput,
    occurredAt: Date | undefined,
    work: (ctx: Ctx) => T,
  ): Result<{ out: WriteOutcome; extra: T }> {
    const now = this.clock.now();
    try {
      return ok(
        this.store.transaction((uow) => {
          const out: WriteOutcome = { duplicate: false, entries: [], after: [], createdProducts: [], createdLocations: [] };
          const seen = uow.findMessage(source);
          if (seen) {
            out.duplicate = true;
            out.entries = uow.entriesOfMessage(seen.id).map((e) => this.view(uow, e));
            out.after = out.entries.map((e) => ({ entrySeq: e.seq, ...this.balanceOf(uow, e) }));
            return { out, extra: undefined as unknown as T };
          }
          const messageId = uow.insertMessage(shopId, source, now);
          const extra = work({ uow, shopId, source, messageId, now, occurredAt: occurredAt ?? now, out });
          return { out, extra };
        }),
      );
    } catch (error) {
      if (error instanceof Refusal) return fail(error.failure);
      throw error;
    }
  }

  private balanceOf(uow: UnitOfWork, e: EntryRecord): BalanceRecord {
    return e.locationId === null ? { qtyMilli: 0, value: 0 } : uow.balance(e.productId, e.locationId);
  }

  private location(ctx: Ctx, name: string | undefined, create: boolean): LocationRecord {
    if (name === undefined) return ctx.uow.defaultLocation(ctx.shopId);
    const found = ctx.uow.findLocation(ctx.shopId, name);
    if (found) return found;
    if (!create) throw new Refusal({ code: 'UNKNOWN_LOCATION', location: name });
    ctx.out.createdLocations.push(name);
    return ctx.uow.createLocation(ctx.shopId, name);
  }

  private knownProduct(ctx: Ctx, name: string): ProductRecord {
    const product = ctx.uow.findProduct(ctx.shopId, name);
    if (!product) throw new Refusal({ code: 'UNKNOWN_PRODUCT', product: name });
    return product;
  }

  private applyItem(
    ctx: Ctx,
    kind: Exclude<WriteKind, 'transfer'>,
    item: WriteItem,
    req: Pick<WriteRequest, 'channel' | 'counterparty' | 'location'>,
    replacesId: number | null,
  ): EntryView {
    const qtyMilli = toMilli(item.quantity) as number;
    let product: ProductRecord;
    if (kind === 'purchase') {
      const existing = ctx.uow.findProduct(ctx.shopId, item.product);
      if (existing) product = existing;
      else {
        product = ctx.uow.createProduct(ctx.shopId, item.product.trim(), item.unit ?? '件', ctx.now);
        ctx.out.createdProducts.push(product.name);
      }
    } else product = this.knownProduct(ctx, item.product);
    if (COUNT_UNITS.has(product.unit) && qtyMilli % MILLI !== 0) {
      throw new Refusal({ code: 'BAD_QUANTITY', product: product.name, reason: 'fractional' });
    }
    const dropship = product.mode === 'dropship' && (kind === 'sale' || kind === 'customerReturn');
    const location = dropship ? null : this.location(ctx, req.location, kind === 'purchase');
    const balance = location ? ctx.uow.balance(product.id, location.id) : { qtyMilli: 0, value: 0 };
    const fallbackCost = product.lastCost ?? 0;
    const base = {
      shopId: ctx.shopId,
      productId: product.id,
      locationId: location?.id ?? null,
      channel: req.channel ?? null,
      counterparty: req.counterparty ?? null,
      occurredAt: ctx.occurredAt,
      recordedAt: ctx.now,
      actorId: ctx.source.actorId,
      actorName: ctx.source.actorName ?? null,
      messageId: ctx.messageId,
      reversesId: null,
      replacesId,
      transferId: null,
    };
    let entry: NewEntry;
    switch (kind) {
      case 'purchase': {
        const { unitPrice, amount } = price(item, qtyMilli, undefined, product.name);
        entry = Object.assign(base, { kind: 'purchase' as const, qtyMilli, unitPrice, amount, cost: 0, valueDelta: amount });
        ctx.uow.setLastCost(product.id, unitPrice);
        break;
      }
      case 'sale': {
        const { unitPrice, amount } = price(item, qtyMilli, product.salePrice ?? undefined, product.name);
        if (!dropship) this.ensureStock(product, location as LocationRecord, balance, qtyMilli, product.mode === 'presale');
        const cost = dropship ? valueAt(fallbackCost, qtyMilli) : costOut(balance, qtyMilli, fallbackCost);
        entry = Object.assign(base, { kind: 'sale' as const, qtyMilli: -qtyMilli, unitPrice, amount, cost, valueDelta: dropship ? 0 : -cost });
        break;
      }
      case 'customerReturn': {
        const refund: { unitPrice: number | null; amount: number } = optionalPrice(item, qtyMilli, product.salePrice ?? undefined) ?? { unitPrice: null, amount: 0 };
        const value = dropship ? valueAt(fallbackCost, qtyMilli) : valueIn(balance, qtyMilli, fallbackCost);
        // Object.assign on the item's own base object: spreads are measurably slower on the hot path.
        entry = Object.assign(base, {
          kind: 'customer_return' as const,
          qtyMilli,
          unitPrice: refund.unitPrice,
          amount: -refund.amount,
          cost: -value,
          valueDelta: dropship ? 0 : value,
        });
        break;
      }
      case 'supplierReturn': {
        this.ensureStock(product, location as LocationRecord, balance, qtyMilli, false);
        const value = costOut(balance, qtyMilli, fallbackCost);
        const refund = optionalPrice(item, qtyMilli) ?? { unitPrice: null, amount: value };
        entry = Object.assign(base, { kind: 'supplier_return' as const, qtyMilli: -qtyMilli, unitPrice: refund.unitPrice, amount: -refund.amount, cost: value, valueDelta: -value });
        break;
      }
      case 'stocktake': {
        const delta = qtyMilli - balance.qtyMilli;
        let valueDelta: number;
        if (delta > 0) valueDelta = valueIn(balance, delta, fallbackCost);
        else if (delta < 0) valueDelta = qtyMilli === 0 ? -balance.value : -costOut(balance, -delta, fallbackCost);
        else valueDelta = 0;
        entry = Object.assign(base, { kind: 'adjustment' as const, qtyMilli: delta, unitPrice: null, amount: 0, cost: -valueDelta, valueDelta });
        break;
      }
    }
    return this.write(ctx, entry, location ? balance : null);
  }

  private transfer(ctx: Ctx, item: WriteItem, req: WriteRequest): void {
    const qtyMilli = toMilli(item.quantity) as number;
    const product = this.knownProduct(ctx, item.product);
    const from = this.location(ctx, req.location, false);
    const to = this.location(ctx, req.to, true);
    if (from.id === to.id) throw new Refusal({ code: 'SAME_LOCATION', location: to.name });
    const fromBalance = ctx.uow.balance(product.id, from.id);
    this.ensureStock(product, from, fromBalance, qtyMilli, false);
    const value = costOut(fromBalance, qtyMilli, product.lastCost ?? 0);
    const common = {
      shopId: ctx.shopId,
      productId: product.id,
      unitPrice: null,
      amount: 0,
      cost: 0,
      channel: null,
      counterparty: req.counterparty ?? null,
      occurredAt: ctx.occurredAt,
      recordedAt: ctx.now,
      actorId: ctx.source.actorId,
      actorName: ctx.source.actorName ?? null,
      messageId: ctx.messageId,
      reversesId: null,
      replacesId: null,
    };
    const out = this.write(ctx, { ...common, kind: 'transfer_out', locationId: from.id, qtyMilli: -qtyMilli, valueDelta: -value, transferId: null }, fromBalance);
    const toBalance = ctx.uow.balance(product.id, to.id);
    this.write(ctx, { ...common, kind: 'transfer_in', locationId: to.id, qtyMilli, valueDelta: value, transferId: out.id }, toBalance);
  }

  private ensureStock(product: ProductRecord, location: LocationRecord, balance: BalanceRecord, qtyMilli: number, allowNegative: boolean): void {
    if (allowNegative || qtyMilli <= balance.qtyMilli) return;
    throw new Refusal({
      code: 'INSUFFICIENT_STOCK',
      product: product.name,
      unit: product.unit,
      location: location.name,
      onHandMilli: balance.qtyMilli,
      requestedMilli: qtyMilli,
    });
  }

  /** Writes an entry and moves its balance; returns the entry as shown to users. */
  private write(ctx: Ctx, entry: NewEntry, balance: BalanceRecord | null): EntryView {
    if (balance && entry.locationId !== null) {
      const settled = settledValueDelta(balance, entry.qtyMilli, entry.valueDelta);
      if (settled !== entry.valueDelta) {
        entry.cost -= settled - entry.valueDelta;
        entry.valueDelta = settled;
      }
    }
    const record = ctx.uow.insertEntry(entry, ctx.uow.nextSeq(ctx.shopId));
    let after: BalanceRecord = { qtyMilli: 0, value: 0 };
    if (balance && entry.locationId !== null) {
      after = { qtyMilli: balance.qtyMilli + entry.qtyMilli, value: balance.value + entry.valueDelta };
      ctx.uow.setBalance(entry.productId, entry.locationId, after);
    }
    const view = this.view(ctx.uow, record);
    ctx.out.entries.push(view);
    ctx.out.after.push({ entrySeq: record.seq, qtyMilli: after.qtyMilli, value: after.value });
    return view;
  }

  private undoTargets(ctx: Ctx, req: UndoRequest): EntryRecord[] {
    let targets: EntryRecord[];
    if (req.entryNo !== undefined) {
      const entry = ctx.uow.entryBySeq(ctx.shopId, req.entryNo);
      if (!entry) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.entryNo });
      targets = [entry];
      // The two halves of a transfer are undone together.
      if (entry.kind === 'transfer_out' || entry.kind === 'transfer_in') {
        const partner = entry.messageId === null ? [] : ctx.uow.entriesOfMessage(entry.messageId).filter(
          (e) => e.id !== entry.id && (e.transferId === entry.id || entry.transferId === e.id),
        );
        targets = entry.kind === 'transfer_out' ? [entry, ...partner] : [...partner, entry];
      }
    } else {
      let messageId: number | undefined;
      if (req.messageOfEntry !== undefined) {
        const entry = ctx.uow.entryBySeq(ctx.shopId, req.messageOfEntry);
        if (!entry) throw new Refusal({ code: 'ENTRY_NOT_FOUND', entryNo: req.messageOfEntry });
        if (entry.messageId === null) {
          checkLimit(entry, req.limit);
          return [entry];
        }
        messageId = entry.messageId;
      } else if (req.replyTo) {
        const found = ctx.uow.findMessage({ ...req.replyTo, text: '', actorId: '' });
        if (!found || found.shopId !== ctx.shopId) throw new Refusal({ code: 'ENTRY_NOT_FOUND' });
        messageId = found.id;
      } else {
        messageId = ctx.uow.lastUndoableMessage(ctx.shopId, ctx.source.actorId);
        if (messageId === undefined) throw new Refusal({ code: 'NOTHING_TO_UNDO' });
      }
      targets = ctx.uow.entriesOfMessage(messageId).filter((e) => e.kind !== 'reversal' && !ctx.uow.reversalOf(e.id));
      if (targets.length === 0) {
        const any = ctx.uow.entriesOfMessage(messageId)[0];
        if (!any) throw new Refusal({ code: 'NOTHING_TO_UNDO' });
        if (any.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: any.seq });
        const reversal = ctx.uow.reversalOf(any.id);
        throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: any.seq, reversalNo: reversal?.seq ?? 0 });
      }
    }
    for (const t of targets) {
      checkLimit(t, req.limit);
      if (t.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: t.seq });
      const reversal = ctx.uow.reversalOf(t.id);
      if (reversal) throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: t.seq, reversalNo: reversal.seq });
    }
    // Undo in reverse order so a transfer's destination gives its goods back before the source takes them.
    return targets.reverse();
  }

  private reverse(ctx: Ctx, original: EntryRecord): EntryView {
    if (original.kind === 'reversal') throw new Refusal({ code: 'NOT_REVERSIBLE', entryNo: original.seq });
    const earlier = ctx.uow.reversalOf(original.id);
    if (earlier) throw new Refusal({ code: 'ALREADY_REVERSED', entryNo: original.seq, reversalNo: earlier.seq });
    const balance = original.locationId === null ? null : ctx.uow.balance(original.productId, original.locationId);
    // Reversing goods that came in takes them out again: refused when they have already left, and
    // never taking more value than the stock still holds (see reversalValueOut).
    let valueDelta = -original.valueDelta;
    if (balance && original.qtyMilli > 0) {
      const product = ctx.uow.productById(original.productId);
      if (product.mode !== 'presale' && balance.qtyMilli < original.qtyMilli) {
        throw new Refusal({
          code: 'STOCK_ALREADY_LEFT',
          entryNo: original.seq,
          product: product.name,
          unit: product.unit,
          location: ctx.uow.locationById(original.locationId as number).name,
          onHandMilli: balance.qtyMilli,
          enteredMilli: original.qtyMilli,
        });
      }
      valueDelta = -reversalValueOut(balance, original.qtyMilli, original.valueDelta);
    }
    return this.write(
      ctx,
      {
        shopId: ctx.shopId,
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
        // Dated like the original so period reports net out to zero.
        occurredAt: original.occurredAt,
        recordedAt: ctx.now,
        actorId: ctx.source.actorId,
        actorName: ctx.source.actorName ?? null,
        messageId: ctx.messageId,
        reversesId: original.id,
        replacesId: null,
        transferId: null,
      },
      balance,
    );
  }

  private view(uow: UnitOfWork, e: EntryRecord): EntryView {
    const product = uow.productById(e.productId);
    return Object.assign({}, e, { product: product.name, unit: product.unit, location: e.locationId === null ? null : uow.locationById(e.locationId).name });
  }

  /**
   * Records many source messages in one outer store transaction, for imports: each message is
   * applied exactly as record() applies it (all-or-none, at most once), but the commit is paid once
   * per batch. The batch first runs without a savepoint per message, with the batch's product,
   * location and balance reads cached and each balance written once at the end; if any message is
   * refused, that attempt is rolled back and the batch is replayed message by message with
   * savepoints, so a refused message leaves nothing behind and the others still apply.
   */
  recordBatch(shopId: number, items: readonly { req: WriteRequest; source: SourceInput }[]): Result<WriteOutcome>[] {
    const store = this.store;
    class Retry extends Error {}
    try {
      return store.transaction((uow) => {
        const products = new Map<string, ProductRecord>();
        const productsById = new Map<number, ProductRecord>();
        const locations = new Map<number, LocationRecord>();
        const balances = new Map<number, BalanceRecord>();
        const dirty = new Map<number, { productId: number; locationId: number }>();
        // One exact number per product and location (location ids stay below 2^26, product ids below 2^27).
        const slot = (productId: number, locationId: number) => productId * 67_108_864 + locationId;
        const forget = (productId: number) => {
          productsById.delete(productId);
          for (const [name, p] of products) if (p.id === productId) products.delete(name);
        };
        // Reads are cached for the batch only; every write goes through and updates or drops what it changes.
        const cached: UnitOfWork = {
          ...uow,
          findProduct: (sid, name) => {
            let p = products.get(name);
            if (!p) {
              p = uow.findProduct(sid, name);
              if (p) products.set(name, p);
            }
            return p;
          },
          createProduct: (sid, name, unit, now) => uow.createProduct(sid, name, unit, now),
          setLastCost: (productId, cents) => {
            forget(productId);
            uow.setLastCost(productId, cents);
          },
          productById: (id) => {
            let p = productsById.get(id);
            if (!p) {
              p = uow.productById(id);
              productsById.set(id, p);
            }
            return p;
          },
          locationById: (id) => {
            let l = locations.get(id);
            if (!l) {
              l = uow.locationById(id);
              locations.set(id, l);
            }
            return l;
          },
          balance: (productId, locationId) => {
            const key = slot(productId, locationId);
            let b = balances.get(key);
            if (!b) {
              b = uow.balance(productId, locationId);
              balances.set(key, b);
            }
            return b;
          },
          // Balances are written back once per product and location at the end of the batch.
          setBalance: (productId, locationId, balance) => {
            const key = slot(productId, locationId);
            balances.set(key, balance);
            dirty.set(key, { productId, locationId });
          },
        };
        const direct = new Proxy(store, {
          get: (target, key) => {
            if (key === 'transaction') return <T>(work: (u: UnitOfWork) => T): T => work(cached);
            const value = Reflect.get(target, key) as unknown;
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          },
        });
        const fast = new InventoryService(direct, this.clock);
        const results = items.map(({ req, source }) => fast.record(shopId, req, source));
        if (results.some((r) => !r.ok)) throw new Retry();
        for (const [key, { productId, locationId }] of dirty) uow.setBalance(productId, locationId, balances.get(key) as BalanceRecord);
        return results;
      });
    } catch (error) {
      if (!(error instanceof Retry)) throw error;
      return store.transaction(() => items.map(({ req, source }) => this.record(shopId, req, source)));
    }
  }
}

function checkLimit(entry: EntryRecord, limit: ActorLimit | undefined): void {
  if (!limit) return;
  if (!limit.actorIds.includes(entry.actorId)) throw new Refusal({ code: 'NOT_YOUR_ENTRY', entryNo: entry.seq });
  if (entry.recordedAt < limit.notBefore) throw new Refusal({ code: 'UNDO_TOO_OLD', entryNo: entry.seq, hours: limit.hours });
}

/** Refuses quantities and prices the ledger must never hold. */
export function validateItem(item: WriteItem, zeroAllowed: boolean): Failure | undefined {
  const product = item.product;
  if (!Number.isFinite(item.quantity)) return { code: 'BAD_QUANTITY', product, reason: 'precision' };
  if (item.quantity < 0) return { code: 'BAD_QUANTITY', product, reason: 'negative' };
  if (item.quantity === 0 && !zeroAllowed) return { code: 'BAD_QUANTITY', product, reason: 'zero' };
  if (item.quantity > MAX_QUANTITY) return { code: 'BAD_QUANTITY', product, reason: 'too_large' };
  if (toMilli(item.quantity) === undefined) return { code: 'BAD_QUANTITY', product, reason: 'precision' };
  if (item.unit !== undefined && COUNT_UNITS.has(item.unit) && !Number.isInteger(item.quantity)) {
    return { code: 'BAD_QUANTITY', product, reason: 'fractional' };
  }
  for (const money of [item.unitPrice, item.total, item.discount, item.freight]) {
    if (money === undefined) continue;
    if (!Number.isFinite(money) || money < 0) return { code: 'BAD_PRICE', product, reason: 'negative' };
    if (!Number.isInteger(money)) return { code: 'BAD_PRICE', product, reason: 'precision' };
    if (money > MAX_CENTS) return { code: 'BAD_PRICE', product, reason: 'too_large' };
  }
  return undefined;
}

function optionalPrice(item: WriteItem, qtyMilli: number, fallback?: number): { unitPrice: number; amount: number } | undefined {
  const p = linePrice(item, qtyMilli, fallback);
  if (p !== undefined && 'problem' in p) throw new Refusal(priceFailure(p, item.product));
  return p;
}

function price(item: WriteItem, qtyMilli: number, fallback: number | undefined, product: string): { unitPrice: number; amount: number } {
  const given = optionalPrice(item, qtyMilli, fallback);
  if (given) return given;
  throw new Refusal({ code: 'MISSING_PRICE', product });
}
