import type { WriteKind } from './inventory.service.ts';
import type { EntryKind } from './ports.ts';

/** How each entry kind is named to users. */
export const KIND_LABELS: Record<EntryKind, string> = {
  purchase: '进货',
  sale: '出货',
  customer_return: '客退',
  supplier_return: '退供',
  adjustment: '盘点',
  transfer_out: '调出',
  transfer_in: '调入',
  reversal: '撤销',
};

/**
 * How each kind of write is named to users: in confirmations, refusals, their examples and
 * spreadsheet messages. A customer return is 退货, the verb people write for it.
 */
export const WRITE_KIND_LABELS: Record<WriteKind, string> = {
  purchase: KIND_LABELS.purchase,
  sale: KIND_LABELS.sale,
  customerReturn: '退货',
  supplierReturn: KIND_LABELS.supplier_return,
  stocktake: KIND_LABELS.adjustment,
  transfer: '调拨',
};
