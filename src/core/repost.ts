import { mulDivRound } from './money.ts';
import type { BalanceRecord, EntryKind, QueuedRepost } from './ports.ts';
import { costOut, reversalValueOut, settledValueDelta, valueAt, valueIn } from './valuation.ts';

/**
 * Costing in the order things happened. The moving average is a fold over a product's entries in
 * `occurredAt` order (ties by entry number): an entry recorded for an earlier time than entries
 * already there (`昨天 进货 …` typed this morning, a return entered a week late, an undo, which is
 * dated like what it undoes) changes the cost of the entries after it, as ERPNext's repost of item
 * valuation does. The facts of an entry (kind, quantity, price, amount, time) never change; only its
 * derived `cost` and `valueDelta` are recomputed here, so Σ valueDelta = the balance's value still
 * holds to the 分.
 *
 * `repost` is a pure function over rows, so the store (synchronous SQLite today, asynchronous later)
 * only reads them (`UnitOfWork.repostRows`) and writes back what changed (`UnitOfWork.applyRepost`).
 *
 * Presale: a sale beyond stock is costed at the latest purchase cost (0 when nothing was ever bought)
 * as an estimate, and the units it owes wait in a queue; the goods that come in later cover them
 * first-owed-first, and each covered sale's cost becomes what those goods cost (settled).
 */

/** Where a repost starts: entries at or after this point in occurrence order. */
export interface RepostFrom {
  occurredAt: Date;
  seq: number;
}

/** A ledger row as the repost reads it: its facts and its derived figures (cost, valueDelta). */
export interface CostedRow {
  id: number;
  seq: number;
  kind: EntryKind;
  locationId: number;
  qtyMilli: number;
  unitPrice: number | null;
  amount: number;
  cost: number;
  valueDelta: number;
  occurredAt: Date;
  reversesId: number | null;
  transferId: number | null;
}

/** The figures an entry's reversal or transfer partner needs from it. */
export type CostFigures = Pick<CostedRow, 'qtyMilli' | 'cost' | 'valueDelta'>;

/** One product's history from a point on, as the store reads it. */
export interface RepostInput {
  productId: number;
  /** Every entry of the product with a location from `from` on, in occurrence order (occurredAt, seq). */
  rows: readonly CostedRow[];
  /** Stock of each location just before the first row (a location absent is empty). */
  opening: ReadonlyMap<number, BalanceRecord>;
  /** Entries before the first row that a row reverses or is the transfer partner of. */
  earlier: ReadonlyMap<number, CostFigures>;
  /** Unit cost of the product's latest purchase before the first row (null: none). */
  lastCost: number | null;
}

/** What a repost changes: the rows whose figures moved, each location's stock, the latest cost. */
export interface RepostOutput {
  productId: number;
  changed: { id: number; cost: number; valueDelta: number }[];
  closing: Map<number, BalanceRecord>;
  lastCost: number | null;
  /** Rows folded (for logs and the benchmark). */
  rows: number;
}

/** Units a sale owes beyond stock (presale), waiting to be covered by goods coming in. */
interface Owed {
  id: number;
  qtyMilli: number;
  /** The estimate its sale was costed at for these units. */
  estimate: number;
}

/** Recomputes the cost and value of every row in occurrence order; see the file's comment. */
export function repost(input: RepostInput): RepostOutput {
  const state = new Map<number, { qtyMilli: number; value: number }>();
  for (const [locationId, b] of input.opening) state.set(locationId, { qtyMilli: b.qtyMilli, value: b.value });
  const owed = new Map<number, Owed[]>();
  const figures = new Map<number, { qtyMilli: number; cost: number; valueDelta: number }>();
  for (const [id, f] of input.earlier) figures.set(id, { qtyMilli: f.qtyMilli, cost: f.cost, valueDelta: f.valueDelta });
  let lastCost = input.lastCost;

  for (const row of input.rows) {
    let s = state.get(row.locationId);
    if (!s) state.set(row.locationId, (s = { qtyMilli: 0, value: 0 }));
    let queue = owed.get(row.locationId);
    if (!queue) owed.set(row.locationId, (queue = []));
    const fallback = lastCost ?? 0;
    let valueDelta: number;
    let cost = 0;
    switch (row.kind) {
      case 'purchase':
        valueDelta = row.amount;
        break;
      case 'sale':
        cost = costOut(s, -row.qtyMilli, fallback);
        valueDelta = -cost;
        break;
      case 'customer_return':
        valueDelta = valueIn(s, row.qtyMilli, fallback);
        cost = -valueDelta;
        break;
      case 'supplier_return':
        cost = costOut(s, -row.qtyMilli, fallback);
        valueDelta = -cost;
        break;
      case 'adjustment':
        if (row.qtyMilli > 0) valueDelta = valueIn(s, row.qtyMilli, fallback);
        else if (row.qtyMilli < 0) valueDelta = s.qtyMilli + row.qtyMilli === 0 ? -s.value : -costOut(s, -row.qtyMilli, fallback);
        else valueDelta = 0;
        cost = -valueDelta;
        break;
      case 'transfer_out':
        valueDelta = -costOut(s, -row.qtyMilli, fallback);
        break;
      case 'transfer_in': {
        const out = row.transferId === null ? undefined : figures.get(row.transferId);
        valueDelta = out ? -out.valueDelta : row.valueDelta;
        break;
      }
      case 'reversal': {
        const original = row.reversesId === null ? undefined : figures.get(row.reversesId);
        if (!original) {
          valueDelta = row.valueDelta;
          cost = row.cost;
          break;
        }
        // The reversal takes back what its original carries now (after any repost of it).
        valueDelta = original.qtyMilli > 0 ? -reversalValueOut(s, original.qtyMilli, original.valueDelta) : -original.valueDelta;
        cost = -original.cost - (original.valueDelta + valueDelta);
        // An undone presale sale owes nothing any more.
        for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.id === row.reversesId) queue.splice(i, 1);
        break;
      }
    }
    if (row.qtyMilli > 0 && s.qtyMilli < 0 && row.kind !== 'reversal') {
      s.value -= settleOwed(queue, Math.min(row.qtyMilli, -s.qtyMilli), valueDelta, row.qtyMilli, figures);
    }
    const settled = settledValueDelta(s, row.qtyMilli, valueDelta);
    cost -= settled - valueDelta;
    valueDelta = settled;
    if (row.kind === 'sale' && s.qtyMilli + row.qtyMilli < 0) {
      const beyond = -row.qtyMilli - Math.max(0, s.qtyMilli);
      queue.push({ id: row.id, qtyMilli: beyond, estimate: valueAt(fallback, beyond) });
    }
    s.qtyMilli += row.qtyMilli;
    s.value += valueDelta;
    figures.set(row.id, { qtyMilli: row.qtyMilli, cost, valueDelta });
    if (row.kind === 'purchase' && row.unitPrice !== null) lastCost = row.unitPrice;
  }

  const changed: RepostOutput['changed'] = [];
  for (const row of input.rows) {
    const f = figures.get(row.id);
    if (f && (f.cost !== row.cost || f.valueDelta !== row.valueDelta)) changed.push({ id: row.id, cost: f.cost, valueDelta: f.valueDelta });
  }
  const closing = new Map<number, BalanceRecord>();
  for (const [locationId, s] of state) closing.set(locationId, { qtyMilli: s.qtyMilli, value: s.value });
  return { productId: input.productId, changed, closing, lastCost, rows: input.rows.length };
}

/**
 * Goods coming in while a presale backorder is open cover the owed units first-owed-first: each
 * covered sale's cost becomes what those units cost here (`valueDelta` of `qtyMilli` coming in).
 * Returns how much more the covered sales now take out of the stock's value.
 */
function settleOwed(queue: Owed[], coverMilli: number, valueDelta: number, qtyMilli: number, figures: Map<number, { cost: number; valueDelta: number }>): number {
  let left = coverMilli;
  let more = 0;
  while (left > 0) {
    const first = queue[0];
    if (!first) break;
    const take = Math.min(left, first.qtyMilli);
    const estimate = take === first.qtyMilli ? first.estimate : mulDivRound(first.estimate, take, first.qtyMilli);
    const actual = mulDivRound(valueDelta, take, qtyMilli);
    const sale = figures.get(first.id);
    if (sale) {
      sale.cost += actual - estimate;
      sale.valueDelta -= actual - estimate;
      more += actual - estimate;
    }
    first.qtyMilli -= take;
    first.estimate -= estimate;
    if (first.qtyMilli === 0) queue.shift();
    left -= take;
  }
  return more;
}

/** The earlier of two starting points. */
export function earlierFrom(a: RepostFrom | undefined, b: RepostFrom): RepostFrom {
  if (!a) return b;
  const d = a.occurredAt.getTime() - b.occurredAt.getTime();
  return d < 0 || (d === 0 && a.seq <= b.seq) ? a : b;
}

/** True when a queued repost starts before `to`: the costs of a period ending then are being updated. */
export function repostingBefore(queued: readonly QueuedRepost[], to: Date): boolean {
  return queued.some((q) => q.from.occurredAt.getTime() < to.getTime());
}

/**
 * One question a repost asks the ledger while gathering its input (see repostInputSteps); `at` is
 * the store's own form of an instant (a Date, epoch milliseconds, or "before everything").
 */
export type RepostRead<At> =
  | { read: 'rows'; at: At; seq: number }
  | { read: 'balances' }
  | { read: 'settledPoint'; locationId: number; at: At; seq: number }
  | { read: 'costFigures'; id: number }
  | { read: 'lastCostBefore'; at: At; seq: number };

/** What each question is answered with. */
export interface RepostAnswers<At> {
  rows: CostedRow[];
  balances: { locationId: number; qtyMilli: number; value: number }[];
  settledPoint: { at: At; seq: number } | undefined;
  costFigures: CostFigures | undefined;
  lastCostBefore: number | null;
}

type Steps<At> = Generator<RepostRead<At>, RepostInput, RepostAnswers<At>[keyof RepostAnswers<At>]>;

/**
 * How a repost from `from` gathers its rows, the same on every store: the product's rows from that
 * point in occurrence order, and the stock before it, which is the balance (always the sum of the
 * entries) less those rows, so a repost reads only what it folds however long the history before.
 * Presale units still owed at `from` are settled by goods coming in after it, so the start moves back
 * to where no location owed anything; moving back can only find earlier owing. The store answers
 * each question with one query (repostInputSync / repostInputAsync drive this).
 */
export function* repostInputSteps<At>(productId: number, from: { at: At; seq: number }, beginning: At): Steps<At> {
  const read = function* (at: At, seq: number): Generator<RepostRead<At>, { rows: CostedRow[]; opening: Map<number, BalanceRecord> }, RepostAnswers<At>[keyof RepostAnswers<At>]> {
    const rows = (yield { read: 'rows', at, seq }) as CostedRow[];
    const opening = new Map<number, BalanceRecord>();
    for (const b of (yield { read: 'balances' }) as RepostAnswers<At>['balances']) opening.set(b.locationId, { qtyMilli: b.qtyMilli, value: b.value });
    for (const r of rows) {
      const b = opening.get(r.locationId) ?? { qtyMilli: 0, value: 0 };
      opening.set(r.locationId, { qtyMilli: b.qtyMilli - r.qtyMilli, value: b.value - r.valueDelta });
    }
    return { rows, opening };
  };
  let start = from;
  let { rows, opening } = yield* read(start.at, start.seq);
  for (let owing = [...opening].find(([, b]) => b.qtyMilli < 0); owing; owing = [...opening].find(([, b]) => b.qtyMilli < 0)) {
    const point = (yield { read: 'settledPoint', locationId: owing[0], at: start.at, seq: start.seq }) as RepostAnswers<At>['settledPoint'];
    start = point ? { at: point.at, seq: point.seq + 1 } : { at: beginning, seq: 0 };
    ({ rows, opening } = yield* read(start.at, start.seq));
  }
  const ids = new Set(rows.map((r) => r.id));
  const earlier = new Map<number, CostFigures>();
  for (const r of rows) {
    for (const id of [r.reversesId, r.transferId]) {
      if (id === null || ids.has(id) || earlier.has(id)) continue;
      const f = (yield { read: 'costFigures', id }) as RepostAnswers<At>['costFigures'];
      if (f) earlier.set(id, f);
    }
  }
  const lastCost = (yield { read: 'lastCostBefore', at: start.at, seq: start.seq }) as RepostAnswers<At>['lastCostBefore'];
  return { productId, rows, opening, earlier, lastCost };
}

/** Drives repostInputSteps with a store that answers at once (SQLite). */
export function repostInputSync<At>(steps: Steps<At>, answer: (q: RepostRead<At>) => RepostAnswers<At>[keyof RepostAnswers<At>]): RepostInput {
  let next = steps.next(undefined as never);
  while (!next.done) next = steps.next(answer(next.value));
  return next.value;
}

/** Drives repostInputSteps with a store that answers over the network (PostgreSQL). */
export async function repostInputAsync<At>(steps: Steps<At>, answer: (q: RepostRead<At>) => Promise<RepostAnswers<At>[keyof RepostAnswers<At>]>): Promise<RepostInput> {
  let next = steps.next(undefined as never);
  while (!next.done) next = steps.next(await answer(next.value));
  return next.value;
}

/**
 * A location's stock as of a past moment, from its balance now and the moves dated after that
 * moment (oldest first): the balance less those moves, and the least the stock comes to from then on.
 */
export function stockBeforeLater(now: BalanceRecord, later: readonly { qtyMilli: number; valueDelta: number }[]): BalanceRecord & { lowestLaterMilli: number } {
  let qtyMilli = now.qtyMilli;
  let value = now.value;
  for (const m of later) {
    qtyMilli -= m.qtyMilli;
    value -= m.valueDelta;
  }
  let run = qtyMilli;
  let lowestLaterMilli = qtyMilli;
  for (const m of later) {
    run += m.qtyMilli;
    if (run < lowestLaterMilli) lowestLaterMilli = run;
  }
  return { qtyMilli, value, lowestLaterMilli };
}
