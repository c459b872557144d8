import { formatYuan } from '../../../core/money.ts';
import { formatQty } from '../../../core/quantity.ts';
import { orderLinesToWrite, type OrderImportSummary } from './import-orders.ts';

/** Unmatched titles and problems listed before the list is cut. */
const MAX_LISTED = 20;

/**
 * The order import's report in Chinese, the same on the command line and in chat: the platform, how
 * many lines were recorded as sales and returns, how many were skipped and why, the titles that
 * matched no product (with suggestions and how to fix), the refused lines, and what was there before.
 */
export function formatOrderSummary(s: OrderImportSummary, options: { maxListed?: number; confirmHint?: string } = {}): string {
  const max = options.maxListed ?? MAX_LISTED;
  const where = [s.format, s.encoding && s.format === 'csv' ? `编码 ${s.encoding.toUpperCase()}` : undefined, s.sheet ? `工作表「${s.sheet}」` : undefined].filter(Boolean).join('，');
  const lines = [`${s.dryRun ? '🔍 试导入' : '📦 导入'}${s.platform ?? ''}订单：${s.file}（${where}）`];
  if (s.fatal) {
    lines.push(`❌ ${s.fatal}`, '没有写入任何数据。');
    return lines.join('\n');
  }
  if (s.guessedLayout) lines.push(`注意：${s.platform}的导出格式是按常见表头推测的，请核对下面的数量和金额。`);
  lines.push(`共 ${s.rows} 行，${s.orders} 个订单。`);
  const verb = s.dryRun ? '将记' : '已记';
  if (s.sales.lines > 0) lines.push(`✅ ${verb}销售 ${s.sales.lines} 行：数量 ${formatQty(s.sales.qtyMilli)}，金额 ${formatYuan(s.sales.amount)} 元（渠道 ${s.channel}）`);
  if (s.returns.lines > 0) lines.push(`↩️ ${verb}退货 ${s.returns.lines} 行（退款成功的订单）：数量 ${formatQty(s.returns.qtyMilli)}，退款 ${formatYuan(s.returns.amount)} 元`);
  const cancelled = s.cancelled.reduce((n, c) => n + c.lines, 0);
  if (cancelled > 0) lines.push(`⏭️ 跳过 ${cancelled} 行：${s.cancelled.map((c) => `${c.status} ${c.lines} 行`).join('、')}（没有成交，不记账）`);
  if (s.unknownStatus.length > 0) {
    const rows = s.unknownStatus.slice(0, max).map((u) => `第 ${u.row} 行「${u.status}」`).join('、');
    lines.push(`❔ 订单状态不认识，没有记账 ${s.unknownStatus.length} 行：${rows}${s.unknownStatus.length > max ? ' …' : ''}`);
  }
  const unmatchedLines = s.unmatched.reduce((n, u) => n + u.rows.length, 0);
  if (unmatchedLines > 0) {
    lines.push(`❓ 没对上商品，没有记账 ${unmatchedLines} 行：`);
    for (const u of s.unmatched.slice(0, max)) {
      const code = u.skuCode !== '' ? `，编码 ${u.skuCode}` : '';
      const hint = u.suggestions.length > 0 ? `你是不是要找：${u.suggestions.join('、')}？` : '';
      lines.push(`  「${u.title}」（第 ${u.rows.join('、')} 行${code}）${hint}`);
    }
    if (s.unmatched.length > max) lines.push(`  …共 ${s.unmatched.length} 种，只列出前 ${max} 种`);
    const example = s.unmatched.find((u) => u.suggestions.length > 0);
    lines.push(
      `  给商品设置编码（设置 商品 编码 商家编码）或把平台标题设为别名${example ? `（例：别名 ${example.suggestions[0]} ${shortTitle(example.name)}）` : '（别名 商品 平台标题）'}后再导入这个文件，已记的行不会重复。`,
    );
  }
  if (s.partialRefunds.length > 0) {
    const rows = s.partialRefunds.slice(0, max).map((r) => `第 ${r.row} 行（订单 ${r.orderNo}，退 ${formatYuan(r.refund)} / 实付 ${formatYuan(r.paid)} 元）`).join('、');
    lines.push(`💬 部分退款 ${s.partialRefunds.length} 行，只记了销售（不知道退回了几件）：${rows}。有货退回的，请在聊天里记「退货 商品 数量 退款 金额」。`);
  }
  if (s.problems.length > 0) {
    lines.push(`⚠️ 没有记账 ${s.problems.length} 行：`);
    for (const p of s.problems.slice(0, max)) lines.push(`  第 ${p.row} 行：${p.reason}`);
    if (s.problems.length > max) lines.push(`  …共 ${s.problems.length} 处，只列出前 ${max} 处`);
  }
  if (s.duplicates > 0) lines.push(`之前已导入过 ${s.duplicates} 笔（同一平台、订单号和商品行），这次没有重复记录。`);
  if (orderLinesToWrite(s) === 0) lines.push(s.dryRun ? '没有要导入的新内容。' : '没有要导入的新内容，账本没有变化。');
  if (s.amountRule) lines.push(`金额：${s.amountRule}。`);
  if (s.dryRun) lines.push(options.confirmHint ?? '（试导入，没有写入任何数据）');
  return lines.join('\n');
}

/** A platform title as one alias word: spaces are ignored when titles are matched. */
function shortTitle(title: string): string {
  return title.replace(/\s+/g, '');
}
