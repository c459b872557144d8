import { formatYuan } from '../../core/money.ts';
import { formatQty } from '../../core/quantity.ts';
import type { ImportSummary } from './import.ts';
import { KIND_WORDS } from './import-plan.ts';

const TITLE = { stock: '期初库存', entries: '流水' } as const;

/** "12,345" */
function grouped(text: string): string {
  const [whole = '', frac] = text.split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

/**
 * The import report in Chinese, as the command line prints it and a chat would send it: what was
 * read, every bad row with its number and reason, and what was (or would be) written.
 */
export function formatImportSummary(s: ImportSummary, options: { maxProblems?: number; skipBadHint?: string } = {}): string {
  const max = options.maxProblems ?? 50;
  const where = [s.format, s.encoding && s.format === 'csv' ? `编码 ${s.encoding.toUpperCase()}` : undefined, s.sheet ? `工作表「${s.sheet}」` : undefined]
    .filter(Boolean)
    .join('，');
  const lines = [`${s.dryRun ? '🔍 试导入' : '📥 导入'}${TITLE[s.kind]}：${s.file}（${where}）`];
  if (s.fatal) {
    lines.push(`❌ ${s.fatal}`, '没有写入任何数据。');
    return lines.join('\n');
  }
  if (s.columns.length > 0) lines.push(`识别的列：${s.columns.map((c) => (c.header === c.field ? c.field : `${c.field}=${c.header}`)).join('、')}`);
  if (s.ignoredColumns.length > 0) lines.push(`未使用的列：${s.ignoredColumns.join('、')}`);
  lines.push(`共 ${grouped(String(s.rows))} 行${s.skippedRows > 0 ? `，跳过 ${grouped(String(s.skippedRows))} 行` : ''}${s.problems.length > 0 ? `，有问题 ${s.problems.length} 处` : ''}`);
  if (s.problems.length > 0) {
    lines.push('有问题的行：');
    for (const p of s.problems.slice(0, max)) lines.push(`  第 ${p.row} 行：${p.reason}`);
    if (s.problems.length > max) lines.push(`  …共 ${s.problems.length} 处，只列出前 ${max} 处`);
  }
  for (const note of s.notes.slice(0, 10)) lines.push(`注：${note}`);
  if (s.notes.length > 10) lines.push(`注：…另有 ${s.notes.length - 10} 条`);

  const what: string[] = [];
  if (s.createdProducts.length > 0) what.push(`新商品 ${grouped(String(s.createdProducts.length))} 种`);
  if (s.updatedProducts > 0) what.push(`更新商品设置 ${s.updatedProducts} 种`);
  for (const [kind, k] of Object.entries(s.byKind)) {
    const label = s.kind === 'stock' ? '入库' : KIND_WORDS[kind as keyof typeof KIND_WORDS];
    what.push(`${label} ${grouped(String(k.rows))} 行，数量 ${grouped(formatQty(k.qtyMilli))}，金额 ${grouped(formatYuan(k.amount))} 元`);
  }
  if (s.createdLocations.length > 0) what.push(`新仓库：${s.createdLocations.join('、')}`);
  if (s.dryRun) {
    lines.push(what.length > 0 ? `将导入 ${grouped(String(s.importedRows))} 行：${what.join('；')}` : '没有要导入的新内容。');
    if (s.problems.length > 0) lines.push(`有问题的行要先修正，或选择跳过它们${options.skipBadHint ? `（${options.skipBadHint}）` : ''}。`);
    lines.push('（试导入，没有写入任何数据）');
  } else if (s.blocked) {
    lines.push(`❌ 有 ${s.problems.length} 处问题，没有写入任何数据。修正后重新导入，或选择跳过有问题的行${options.skipBadHint ? `（${options.skipBadHint}）` : ''}。`);
  } else if (s.written) {
    lines.push(`✅ 已导入 ${grouped(String(s.importedRows))} 行：${what.join('；') || '商品设置已更新'}`);
  } else {
    lines.push('没有要导入的新内容，账本没有变化。');
  }
  if (s.duplicateRows > 0) lines.push(`之前已导入过 ${grouped(String(s.duplicateRows))} 行，没有重复记录。`);
  lines.push(`用时 ${(s.ms / 1000).toFixed(1)} 秒`);
  return lines.join('\n');
}
