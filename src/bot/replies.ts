import type { Failure } from '../core/failures.ts';
import type { CorrectionOutcome, UndoOutcome, WriteKind, WriteOutcome } from '../core/inventory.service.ts';
import type { EntryView, StockRow } from '../core/ports.ts';
import { averageCost } from '../core/valuation.ts';
import { KIND_LABELS } from '../core/labels.ts';
import { qty, yuan } from './format.ts';

/** How to undo, shown after every write. */
export const UNDO_HINT = '（回复「撤销」可撤回）';

const WRITE_VERB: Record<WriteKind, string> = {
  purchase: '进货',
  sale: '出货',
  customerReturn: '退货',
  supplierReturn: '退供',
  stocktake: '盘点',
  transfer: '调拨',
};

/** The one-line confirmation of each entry a write made. */
export function writeReply(outcome: WriteOutcome, seeCost: boolean): string {
  const lines: string[] = [];
  const entries = outcome.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as EntryView;
    const after = outcome.after[i];
    if (e.kind === 'transfer_in') continue;
    if (e.kind === 'transfer_out') {
      const partner = entries[i + 1];
      const partnerAfter = outcome.after[i + 1];
      lines.push(
        `✅ #${e.seq} 调拨 ${e.product} ${qty(-e.qtyMilli, e.unit)} ${e.location} → ${partner?.location ?? ''}` +
          `（${e.location} 余 ${qty(after?.qtyMilli ?? 0, e.unit)}，${partner?.location ?? ''} ${qty(partnerAfter?.qtyMilli ?? 0, e.unit)}）`,
      );
      continue;
    }
    lines.push(`✅ #${e.seq} ${entryText(e, seeCost)}${stockText(e, after?.qtyMilli ?? 0)}`);
  }
  const notes: string[] = [];
  if (outcome.createdProducts.length > 0) notes.push(`新商品已建档：${outcome.createdProducts.join('、')}`);
  if (outcome.createdLocations.length > 0) notes.push(`新仓库：${outcome.createdLocations.join('、')}`);
  if (outcome.duplicate) notes.push('这条消息已记过账，未重复记录');
  const tail = notes.length > 0 ? `\n（${notes.join('；')}）` : '';
  return `${lines.join('\n')}${outcome.duplicate ? '' : UNDO_HINT}${tail}`;
}

/** "进货 T恤 50件 @20.00 淘宝". Purchase prices are cost, so only owners see them. */
export function entryText(e: EntryView, seeCost: boolean): string {
  const amountQty = Math.abs(e.qtyMilli);
  const parts = [KIND_LABELS[e.kind], e.product];
  if (e.kind === 'adjustment') {
    const diff = e.qtyMilli === 0 ? '（无差异）' : e.qtyMilli > 0 ? `（盘盈 ${qty(e.qtyMilli, e.unit)}）` : `（盘亏 ${qty(-e.qtyMilli, e.unit)}）`;
    return `${parts.join(' ')}${diff}`;
  }
  parts.push(qty(amountQty, e.unit));
  const isCost = e.kind === 'purchase' || e.kind === 'supplier_return';
  if (e.unitPrice !== null && (seeCost || !isCost)) parts.push(`@${yuan(e.unitPrice)}`);
  if (e.channel) parts.push(e.channel);
  if (e.counterparty) parts.push(e.counterparty);
  if (e.note) parts.push(`（${e.note}）`);
  return parts.join(' ');
}

function stockText(e: EntryView, afterMilli: number): string {
  if (e.locationId === null) return '（一件代发，不动库存）';
  const where = e.location && e.location !== '默认仓' ? `${e.location} ` : '';
  const backorder = afterMilli < 0 ? `（待发 ${qty(-afterMilli, e.unit)}）` : '';
  return ` → ${where}库存 ${qty(afterMilli, e.unit)}${backorder}`;
}

export function undoReply(outcome: UndoOutcome): string {
  const lines = outcome.reversals.map((r, i) => {
    const original = outcome.undone[i];
    const after = outcome.after[i];
    const what = original ? `#${original.seq} ${KIND_LABELS[original.kind]} ${original.product} ${qty(Math.abs(original.qtyMilli), original.unit)}` : '';
    const stock = r.locationId === null ? '' : ` → 库存 ${qty(after?.qtyMilli ?? 0, r.unit)}`;
    return `↩️ 已撤销 ${what}（撤销记录 #${r.seq}）${stock}`;
  });
  return lines.join('\n') + (outcome.duplicate ? '\n（这条消息已处理过，未重复撤销）' : '');
}

export function correctionReply(outcome: CorrectionOutcome, seeCost: boolean): string {
  const after = outcome.after[outcome.after.length - 1];
  const r = outcome.replacement;
  const stock = r.locationId === null ? '' : ` → 库存 ${qty(after?.qtyMilli ?? 0, r.unit)}`;
  return `✏️ #${outcome.original.seq} 已更正：撤销记录 #${outcome.reversal.seq}，新记录 #${r.seq} ${entryText(r, seeCost)}${stock}`;
}

/** One product's stock, per location, with value for owners. */
export function stockLine(rows: StockRow[], seeCost: boolean): string {
  const first = rows[0];
  if (!first) return '';
  const total = rows.reduce((s, r) => s + r.qtyMilli, 0);
  const value = rows.reduce((s, r) => s + r.value, 0);
  const where = rows.length > 1 ? `（${rows.map((r) => `${r.location} ${qty(r.qtyMilli, r.unit)}`).join('，')}）` : '';
  const flags: string[] = [];
  if (total < 0) flags.push(`待发 ${qty(-total, first.unit)}`);
  if (first.reorderLevel !== null && total <= first.reorderLevel * 1000) flags.push(`⚠️低于预警 ${first.reorderLevel}`);
  if (first.overstockLevel !== null && total > first.overstockLevel * 1000) flags.push(`积压（上限 ${first.overstockLevel}）`);
  if (first.mode === 'presale') flags.push('预售');
  if (first.mode === 'dropship') flags.push('一件代发');
  const avg = averageCost({ qtyMilli: total, value });
  const cost = seeCost && avg !== null ? `，均价 ${yuan(avg)}，金额 ${yuan(value)}` : '';
  const flagText = flags.length > 0 ? ` [${flags.join('，')}]` : '';
  return `${first.product}：${qty(total, first.unit)}${where}${cost}${flagText}`;
}

/** Chinese wording for each refusal from the core. */
export interface FailureContext {
  kind?: WriteKind | 'undo' | 'correct' | 'query' | undefined;
  suggestions?: string[] | undefined;
}

export function failureReply(failure: Failure, context: FailureContext = {}): string {
  const verb = context.kind && context.kind in WRITE_VERB ? WRITE_VERB[context.kind as WriteKind] : '出货';
  switch (failure.code) {
    case 'UNKNOWN_PRODUCT': {
      const hint =
        context.suggestions && context.suggestions.length > 0
          ? `你是不是要找：${context.suggestions.join('、')}？`
          : `新商品请先进货建档，例：进货 ${failure.product} 10 件 单价 20`;
      const example = context.suggestions?.[0] ? `\n例：${verb === '调拨' ? '调拨' : verb} ${context.suggestions[0]} 1 件` : '';
      return `❌ 没有找到商品「${failure.product}」。${hint}${example}`;
    }
    case 'INSUFFICIENT_STOCK':
      return `❌ ${failure.product} 库存不足：${failure.location} 现有 ${qty(failure.onHandMilli, failure.unit)}，需要 ${qty(failure.requestedMilli, failure.unit)}。请先进货或改小数量。`;
    case 'MISSING_PRICE':
      return context.kind === 'sale'
        ? `❌ ${failure.product} 没写单价，也没设置售价。例：出货 ${failure.product} 3 件 单价 59，或先「设置 ${failure.product} 售价 59」`
        : `❌ ${verb} ${failure.product} 缺少单价。例：${verb} ${failure.product} 50 件 单价 20（或 共 1000 元）`;
    case 'BAD_QUANTITY': {
      const why = {
        zero: '数量不能为 0',
        negative: '数量不能为负数',
        too_large: '数量太大（最多 10 亿）',
        fractional: '按件计的商品数量必须是整数',
        precision: '数量最多三位小数',
      }[failure.reason];
      return `❌ ${failure.product}：${why}。例：${verb} ${failure.product} 3 件`;
    }
    case 'BAD_PRICE': {
      const why = { negative: '价格不能为负数', precision: '价格最多两位小数（到分）', too_large: '金额太大' }[failure.reason];
      return `❌ ${failure.product}：${why}。例：${verb} ${failure.product} 3 件 单价 59.90`;
    }
    case 'ENTRY_NOT_FOUND':
      return failure.entryNo === undefined ? '❌ 找不到要撤销的记录。例：撤销 #123' : `❌ 本店没有记录 #${failure.entryNo}。发「记录」或导出流水查看编号。`;
    case 'ALREADY_REVERSED':
      return `❌ #${failure.entryNo} 已经撤销过了（撤销记录 #${failure.reversalNo}），不能再次撤销。`;
    case 'NOT_REVERSIBLE':
      return `❌ #${failure.entryNo} 是撤销记录，不能再撤销或修改；请重新记一笔。`;
    case 'NOT_YOUR_ENTRY':
      return `⛔ #${failure.entryNo} 不是你记的。店员只能撤销或修改自己的记录，请找老板处理。`;
    case 'UNDO_TOO_OLD':
      return `⛔ #${failure.entryNo} 已超过 ${failure.hours} 小时，店员不能再撤销或修改，请找老板处理。`;
    case 'NOTHING_TO_UNDO':
      return '❌ 你还没有可以撤销的记录。例：撤销 #123';
    case 'SAME_LOCATION':
      return `❌ 调出和调入是同一个仓库「${failure.location}」。例：调拨 T恤 20 件 到 天猫仓`;
    case 'UNKNOWN_LOCATION':
      return `❌ 没有仓库「${failure.location}」。调拨会自动新建目标仓库，例：调拨 T恤 20 件 到 ${failure.location}`;
    case 'EMPTY_COMMAND':
      return '❌ 没有要记录的商品。例：进货 T恤 50 件 单价 20';
  }
}
