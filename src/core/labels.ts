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
