/**
 * The rules for turning a shop back-end's order lines into ledger entries, shared by the command line
 * and the chat: which order states are sales, which are refunds and which record nothing; how an
 * amount written once per order is split over its lines; and the key that makes every order line
 * recorded at most once, however often the same export is imported.
 */

/** What an order line means for the ledger. */
export type OrderLineState =
  /** Paid (shipped or not yet): a sale. */
  | 'sale'
  /** Refund completed: the sale, then a customer return (each recorded once). */
  | 'refunded'
  /** Closed, cancelled or never paid: nothing is recorded. */
  | 'cancelled'
  /** A state we do not know: nothing is recorded, and the line is listed (never guessed). */
  | 'unknown';

/** A refund or after-sale that finished with money back. */
const REFUNDED = /退款成功|退款完成|已退款|全额退款|售后完成|售后成功|退货退款成功|退货成功/;
/** An order that never became a sale: closed, cancelled, unpaid. */
const CANCELLED = /关闭|取消|未付款|待付款|等待买家付款|待支付|未支付|已删除|作废/;
/** Paid orders, at any stage from 待发货 to 交易成功; a refund still in progress leaves the sale standing. */
const PAID = /退款中|售后中|退货中|已付款|已支付|待发货|等待卖家发货|待出库|等待出库|已出库|备货|已发货|卖家已发货|等待买家确认|待收货|待签收|已签收|已收货|配送|运输|交易成功|已完成|订单完成|完成|成功|拼单成功|待评价|已评价/;

/**
 * The state of an order line from its order status and its refund / after-sale status. A refund
 * that succeeded wins over the order status: 淘宝 closes a fully refunded order (交易关闭), and that
 * sale did happen. A refund still in progress leaves the sale as it is.
 */
export function orderLineState(status: string, refundStatus = ''): OrderLineState {
  if (REFUNDED.test(refundStatus) || REFUNDED.test(status)) return 'refunded';
  if (status.trim() === '') return 'unknown';
  if (CANCELLED.test(status)) return 'cancelled';
  if (PAID.test(status)) return 'sale';
  return 'unknown';
}

/**
 * Splits `total` 分 over lines in proportion to `weights` (largest remainder), so the shares add up
 * to the total exactly; equal shares when every weight is zero.
 */
export function splitAmount(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const basis = weights.some((w) => w > 0) ? weights.map((w) => Math.max(0, w)) : weights.map(() => 1);
  const sum = BigInt(basis.reduce((s, w) => s + w, 0));
  const t = BigInt(total);
  const shares = basis.map((w) => Number((t * BigInt(w)) / sum));
  let left = total - shares.reduce((s, x) => s + x, 0);
  const order = basis
    .map((w, i) => ({ i, rem: (t * BigInt(w)) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

/** Where an order line's entries come from, as a source message: one per line (and one more for its refund). */
export interface OrderLineSource {
  platform: string;
  chatId: string;
  messageId: string;
}

/**
 * The source message of an order line: platform `order:<platform>`, chat = the shop, message =
 * `<order number>#<line>` (`#退款` added for the refund). The ledger applies each source message at
 * most once, so importing the same file again, or a later export that repeats these orders, writes
 * nothing for lines already recorded — and a refund that appears in a later export is still recorded.
 */
export function orderLineSource(platformId: string, shopId: number, orderNo: string, line: string, refund = false): OrderLineSource {
  return { platform: `order:${platformId}`, chatId: String(shopId), messageId: `${orderNo}#${line}${refund ? '#退款' : ''}` };
}
