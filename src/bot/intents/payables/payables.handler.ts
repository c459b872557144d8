import { knownSuppliers, payablesBySupplier, type PayableLine, type SupplierPayable } from '../../../core/payables.ts';
import { qty, yuanGrouped } from '../../format.ts';
import { refusalText } from '../../refusals.ts';
import type { Handler } from '../handler.ts';

/** Suppliers (or one supplier's products) listed before the reply is cut, so it fits a phone screen. */
const MAX_LINES = 30;

/** 应付 老李 本月: what the dropship suppliers are owed over a period; owners who may see cost only. */
export const payablesHandler: Handler<'payables'> = async (command, { shop, seeCost, reply, bot }) => {
  if (!seeCost) return reply(refusalText({ code: 'PAYABLES_OWNER_ONLY' }));
  const { period, supplier } = command;
  const groups = payablesBySupplier(await bot.reports.payables(shop.id, period.from, period.to, supplier));
  if (supplier !== undefined) {
    const group = groups[0];
    if (group !== undefined) return reply(supplierText(group, period.label));
    const known = knownSuppliers(await bot.store.products(shop.id));
    if (!known.includes(supplier)) return reply(refusalText({ code: 'UNKNOWN_SUPPLIER', supplier, known }));
    return reply(`✅ ${period.label}不欠「${supplier}」代发货款（没有代发销售，或已全部退货、撤销）。`);
  }
  if (groups.length === 0) return reply(`✅ ${period.label}没有欠代发供应商的货款。`);
  const total = groups.reduce((s, g) => s + g.owed, 0);
  const lines = groups.slice(0, MAX_LINES).map((g) => `· ${g.supplier} ${yuanGrouped(g.owed)} 元（${g.lines.map(lineText).join('，')}）`);
  if (groups.length > MAX_LINES) lines.push(`…共 ${groups.length} 家，完整清单请导出：npx jxc export payables --format xlsx --out 应付.xlsx`);
  return reply([`💰 应付代发供应商（${period.label}）${groups.length} 家，合计 ${yuanGrouped(total)} 元`, ...lines].join('\n'));
};

function supplierText(group: SupplierPayable, label: string): string {
  const lines = group.lines.slice(0, MAX_LINES).map((l) => `· ${lineText(l)}`);
  if (group.lines.length > MAX_LINES) lines.push(`…共 ${group.lines.length} 种商品`);
  return [`💰 应付 ${group.supplier}（${label}）：${yuanGrouped(group.owed)} 元`, ...lines].join('\n');
}

/** "手机壳 9件 54.00". */
function lineText(l: PayableLine): string {
  return `${l.product} ${qty(l.qtyMilli, l.unit)} ${yuanGrouped(l.owed)}`;
}
