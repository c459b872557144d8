import { aboveOverstockLevel, atReorderLevel } from '../core/stock-health.ts';
import type { Failure } from '../core/failures.ts';
import type { CorrectionOutcome, UndoOutcome, UnitConversionOutcome, WriteKind, WriteOutcome } from '../core/inventory.service.ts';
import type { EntryView, StockRow } from '../core/ports.ts';
import { averageCost } from '../core/valuation.ts';
import { KIND_LABELS, WRITE_KIND_LABELS } from '../core/labels.ts';
import { mulDivRound } from '../core/money.ts';
import { formatQty, MILLI } from '../core/quantity.ts';
import { valueAt } from '../core/valuation.ts';
import type { PriceReading, Plausibility, Reference } from '../core/plausibility.ts';
import type { Item } from './command.ts';
import { qty, yuan, yuanGrouped } from './format.ts';
import { localDate } from '../core/zoned-time.ts';

/** How to undo, shown after every write. */
export const UNDO_HINT = '（回复「撤销」可撤回）';

/** Said under a report whose costs are still being recomputed after an entry for an earlier date. */
export const REPOSTING_NOTE = '（成本重算中：刚补记了更早日期的记录，这段时间的成本和毛利几秒后更新）';

const WRITE_VERB = WRITE_KIND_LABELS;

/**
 * What the message wrote about each line, beyond the ledger entry: the quantity as written
 * (`3箱`), the rate, discount and freight that make up the amount. Optional, in entry order.
 */
export type LineDetail = Pick<Item, 'writtenQuantity' | 'writtenPrice' | 'unitPrice' | 'rate' | 'discount' | 'freight'>;

/** The one-line confirmation of each entry a write made, each with quantity × unit price = amount. */
export function writeReply(outcome: WriteOutcome, seeCost: boolean, details: readonly (LineDetail | undefined)[] = []): string {
  const lines: string[] = [];
  const warnings: string[] = [];
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
    const detail = details[i];
    lines.push(`✅ #${e.seq} ${entryText(e, seeCost, detail)}${stockText(e, after?.qtyMilli ?? 0, seeCost)}${backorderText(e, after?.qtyMilli)}`);
    if (e.unitPrice === 0 && e.amount === 0 && e.kind !== 'adjustment' && (seeCost || !isCostKind(e))) {
      warnings.push(`⚠️ #${e.seq} 单价是 0，按 0 元记了。写错了请发：改 #${e.seq} 单价 59`);
    }
  }
  const notes: string[] = [];
  if (outcome.createdProducts.length > 0) notes.push(`新商品已建档：${outcome.createdProducts.join('、')}`);
  if (outcome.createdLocations.length > 0) notes.push(`新仓库：${outcome.createdLocations.join('、')}`);
  if (outcome.duplicate) notes.push('这条消息已记过账，未重复记录');
  const tail = notes.length > 0 ? `\n（${notes.join('；')}）` : '';
  const warn = warnings.length > 0 ? `\n${warnings.join('\n')}` : '';
  return `${lines.join('\n')}${outcome.duplicate ? '' : UNDO_HINT}${tail}${warn}`;
}

function isCostKind(e: EntryView): boolean {
  return e.kind === 'purchase' || e.kind === 'supplier_return';
}

/**
 * `3件 × 59.00 = 177.00`, with the parts that make up the amount when there are some:
 * `50件 × 20.00 + 运费 10.00 = 1,010.00`, `3件 × 59.00 − 优惠 5.00 = 172.00`, `3件 × 47.20（8折）= 141.60`.
 * A written total that is not a whole number of 分 per unit reads `共 100.00（约 33.33/件）`.
 */
export function amountText(e: EntryView, detail?: LineDetail): string {
  const q = Math.abs(e.qtyMilli);
  const amount = Math.abs(e.amount);
  const quantity = qty(q, e.unit) + (detail?.writtenQuantity !== undefined ? `（${detail.writtenQuantity}）` : '');
  const discount = detail?.discount ?? 0;
  const freight = detail?.freight ?? 0;
  const rate = detail?.rate !== undefined ? `（${rateText(detail.rate)}）` : '';
  if (e.unitPrice === null) {
    const why = e.kind === 'customer_return' ? '（没写退款，也没设置售价）' : e.kind === 'supplier_return' ? '（按平均成本）' : '';
    return `${quantity} 共 ${yuanGrouped(amount)}${why}`;
  }
  if (discount === 0 && freight === 0) {
    if (valueAt(e.unitPrice, q) === amount) return `${quantity} × ${yuan(e.unitPrice)}${rate} = ${yuanGrouped(amount)}`;
    const per = detail?.writtenPrice?.unit !== undefined ? `每${detail.writtenPrice.unit} ${yuan(detail.writtenPrice.cents)}` : `约 ${yuan(e.unitPrice)}/${e.unit}`;
    return `${quantity} 共 ${yuanGrouped(amount)}${rate}（${per}）`;
  }
  const base = amount + discount - freight;
  const written = detail?.unitPrice;
  const list = written !== undefined ? (detail?.rate !== undefined ? mulDivRound(written, detail.rate, 100) : written) : mulDivRound(base, MILLI, q);
  const head = valueAt(list, q) === base ? `${quantity} × ${yuan(list)}${rate}` : `${quantity} 共 ${yuanGrouped(base)}${rate}`;
  const minus = discount > 0 ? ` − 优惠 ${yuan(discount)}` : '';
  const plus = freight > 0 ? ` + 运费 ${yuan(freight)}` : '';
  return `${head}${minus}${plus} = ${yuanGrouped(amount)}`;
}

/** 80 → "8折", 85 → "85折". */
function rateText(rate: number): string {
  return rate % 10 === 0 ? `${rate / 10}折` : `${rate}折`;
}

/** "进货 T恤 50件 × 20.00 = 1,000.00 淘宝". Purchase prices are cost, so only owners see them. */
export function entryText(e: EntryView, seeCost: boolean, detail?: LineDetail): string {
  const amountQty = Math.abs(e.qtyMilli);
  const parts = [KIND_LABELS[e.kind], e.product];
  if (e.kind === 'adjustment') {
    const diff = e.qtyMilli === 0 ? '（无差异）' : e.qtyMilli > 0 ? `（盘盈 ${qty(e.qtyMilli, e.unit)}）` : `（盘亏 ${qty(-e.qtyMilli, e.unit)}）`;
    return `${parts.join(' ')}${diff}`;
  }
  const priced = e.unitPrice !== null || e.kind === 'supplier_return' || e.kind === 'customer_return';
  if (priced && (seeCost || !isCostKind(e))) parts.push(amountText(e, detail));
  else parts.push(qty(amountQty, e.unit) + (detail?.writtenQuantity !== undefined ? `（${detail.writtenQuantity}）` : ''));
  if (e.channel) parts.push(e.channel);
  if (e.counterparty) parts.push(e.counterparty);
  if (e.note) parts.push(`（${e.note}）`);
  return parts.join(' ');
}

/** A purchase that arrives while presale units are owed covers them first: `，其中 37件 用于待发订单`. */
function backorderText(e: EntryView, afterMilli: number | undefined): string {
  if (e.kind !== 'purchase' || e.locationId === null || afterMilli === undefined) return '';
  const covered = Math.min(e.qtyMilli, Math.max(0, e.qtyMilli - afterMilli));
  return covered > 0 ? `，其中 ${qty(covered, e.unit)} 用于待发订单` : '';
}

function stockText(e: EntryView, afterMilli: number, seeCost: boolean): string {
  if (e.locationId === null) return dropshipText(e, seeCost);
  const where = e.location && e.location !== '默认仓' ? `${e.location} ` : '';
  const backorder = afterMilli < 0 ? `（待发 ${qty(-afterMilli, e.unit)}）` : '';
  return ` → ${where}库存 ${qty(afterMilli, e.unit)}${backorder}`;
}

/** `（一件代发 老李，成本 18.00，不动库存）`: the supplier owed, and the cost for those who may see it. */
function dropshipText(e: EntryView, seeCost: boolean): string {
  const supplier = e.supplier ? ` ${e.supplier}` : '';
  const cost = seeCost && e.cost !== 0 ? `，${e.cost > 0 ? '成本' : '退回成本'} ${yuanGrouped(Math.abs(e.cost))}` : '';
  return `（一件代发${supplier}${cost}，不动库存）`;
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
  const stock = r.locationId === null ? dropshipText(r, seeCost) : ` → 库存 ${qty(after?.qtyMilli ?? 0, r.unit)}`;
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
  const whole = { ...first, qtyMilli: total };
  if (atReorderLevel(whole)) flags.push(`⚠️低于预警 ${first.reorderLevel}`);
  if (aboveOverstockLevel(whole)) flags.push(`积压（上限 ${first.overstockLevel}）`);
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
  /** The shop's time zone, for dates in a refusal. */
  timeZone?: string | undefined;
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
      // A backdated line is checked against the stock of its date and every later moment.
      if (failure.at) {
        return `❌ ${failure.product} 库存不足：按记录的日期，${failure.location} 当时（算上之后的出入库）最多可出 ${qty(failure.onHandMilli, failure.unit)}，需要 ${qty(failure.requestedMilli, failure.unit)}。请先补记那之前的进货，或改小数量。`;
      }
      return `❌ ${failure.product} 库存不足：${failure.location} 现有 ${qty(failure.onHandMilli, failure.unit)}，需要 ${qty(failure.requestedMilli, failure.unit)}。请先进货或改小数量。`;
    case 'STOCK_ALREADY_LEFT':
      return `❌ #${failure.entryNo} 进的 ${failure.product} ${qty(failure.enteredMilli, failure.unit)} 已有出库，${failure.location} 现只剩 ${qty(failure.onHandMilli, failure.unit)}，不能整笔${context.kind === 'correct' ? '修改' : '撤销'}。把货退给供应商请发「退供 ${failure.product} ${qty(failure.onHandMilli, failure.unit)}」；按实际数量校正库存请发「盘点 ${failure.product} 实际数量」。`;
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
      const why = { negative: '价格不能为负数', precision: '价格最多两位小数（到分）', too_large: '金额太大', discount: '优惠比这一行的金额还多' }[failure.reason];
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
    case 'UNIT_IN_USE': {
      const stock = failure.onHandMilli === 0 ? '' : `（现有库存 ${qty(failure.onHandMilli, failure.unit)}）`;
      return (
        `❌ ${failure.product} 的记录和库存都是按${failure.unit}记的${stock}，不能改成按${failure.base}计：` +
        `那样以前的每条记录和库存都会把${failure.unit}当成${failure.base}，账就不对了。没有改动。\n` +
        `可以继续按${failure.unit}计，再设置更大的包装，例：设置 ${failure.product} 1托=50${failure.unit}；` +
        `按${failure.base}零卖的请建一个新商品，例：进货 ${failure.product}${failure.base}装 24${failure.base} 单价 2`
      );
    }
    case 'EMPTY_COMMAND':
      return '❌ 没有要记录的商品。例：进货 T恤 50 件 单价 20';
    case 'UNKNOWN_BATCH': {
      const has = failure.codes.length > 0 ? `现有批次：${failure.codes.join('、')}` : '这里没有带批次号的货';
      return `❌ ${failure.product} 在 ${failure.location} 没有批次「${failure.batch}」（${has}）。不写批次就按先到期先出。`;
    }
    case 'BATCH_SHORT':
      return `❌ ${failure.product} 批次 ${failure.batch} 只剩 ${qty(failure.onHandMilli, failure.unit)}，需要 ${qty(failure.requestedMilli, failure.unit)}。请改小数量，或不写批次按先到期先出。`;
    case 'BATCH_EXPIRY_MISMATCH': {
      const zone = context.timeZone ?? 'Asia/Shanghai';
      return `❌ ${failure.product} 批次 ${failure.batch} 已记的到期日是 ${localDate(failure.expiresAt, zone)}，这次写的是 ${localDate(failure.written, zone)}。同一批次只能有一个到期日；不同的货请用新的批次号。`;
    }
  }
}

const CIRCLED = ['①', '②', '③', '④', '⑤'];

/** `16` for 1600, `16.5` for 1650: money as someone would type it. */
function typed(cents: number): string {
  return yuan(cents).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');
}

function readingText(r: PriceReading, baseUnit: string): string {
  if (r.kind === 'total') return `共 ${yuanGrouped(r.cents)}：合 ${yuanGrouped(r.perBase)} 元/${baseUnit}`;
  const per = r.unit ?? baseUnit;
  const converted = r.unit === undefined ? '' : `：合 ${yuanGrouped(r.perBase)} 元/${baseUnit}`;
  return `每${per} ${yuanGrouped(r.cents)}${converted}，这一行共 ${yuanGrouped(r.amount)}`;
}

function readingExample(r: PriceReading, baseUnit: string): string {
  // A space after an ASCII unit (`每g 16`): digits glued to letters read as a code (TS001).
  const unit = r.unit ?? baseUnit;
  return r.kind === 'total' ? `共${typed(r.cents)}` : `每${unit}${/[A-Za-z]$/.test(unit) ? ' ' : ''}${typed(r.cents)}`;
}

/**
 * The question asked instead of recording a line whose price reads two ways: each reading with
 * what it means per the product's unit, what the shop knows, and how to write each one.
 */
/** `售价 59.00 元/件、平均成本 20.00 元/件`; costs only for those who may see them. */
function knownText(references: readonly Reference[], baseUnit: string, seeCost: boolean): string {
  return references
    .filter((r) => seeCost || !r.cost)
    .map((r) => `${r.label} ${yuanGrouped(r.cents)} 元/${baseUnit}`)
    .join('、');
}

export function priceDoubtReply(kind: WriteKind, item: Item, baseUnit: string, verdict: Extract<Plausibility, { ok: false }>, seeCost: boolean): string {
  const verb = WRITE_VERB[kind];
  const quantity = item.writtenQuantity ?? `${qty(Math.round(item.quantity * MILLI), baseUnit)}`;
  const all = [verdict.written, ...verdict.others];
  const refs = knownText(verdict.references, baseUnit, seeCost);
  const known = refs.length > 0 ? `\n（这个商品：${refs}）` : '';
  return [
    `❓ ${item.product} ${quantity} 的价格「${typed(verdict.written.cents)}」可以有${all.length === 2 ? '两' : all.length}种读法，这条没有记账：`,
    ...all.map((r, i) => `${CIRCLED[i] ?? `${i + 1}.`} ${readingText(r, baseUnit)}`),
  ].join('\n') + known + '\n请按你的意思重发（其他照原样写）：\n' + all.map((r, i) => `${CIRCLED[i] ?? `${i + 1}.`} ${verb} ${item.product} ${quantity} ${readingExample(r, baseUnit)}`).join('\n');
}

/** 运费 belongs to a purchase (landed cost); on other writes it is refused with an example. */
export function freightRefusal(kind: WriteKind, product: string, unit: string): string {
  const verb = WRITE_VERB[kind];
  return `❌ 运费只能记在进货上（摊进进货成本），${verb}不记运费，这条没有记账。\n${verb}请不写运费重发，例：${verb} ${product} 1${unit} 59\n进货的运费这样写：进货 ${product} 50${unit} 单价 20 运费 10`;
}

/** `✅ 雪碧：1箱 = 24瓶（库存按瓶计）`, saying so when past 件 now read as 瓶. */
export function conversionReply(v: UnitConversionOutcome): string {
  const relabel = v.relabelledFrom === undefined ? '' : `\n（以前按${v.relabelledFrom}记的数量，现在按${v.base}算，一${v.relabelledFrom} = 一${v.base}）`;
  return `✅ ${v.product}：1${v.unit} = ${formatQty(Math.round(v.factor * MILLI))}${v.base}（库存按${v.base}计）${relabel}`;
}

/** Said under a confirmation whose price is far from what the shop knows but reads only one way. */
export function farPriceWarning(item: Item, baseUnit: string, written: PriceReading, references: readonly Reference[], seeCost: boolean): string {
  const known = knownText(references, baseUnit, seeCost);
  return `⚠️ ${item.product} 这次合 ${yuanGrouped(written.perBase)} 元/${baseUnit}，和以往${known.length > 0 ? `（${known}）` : ''}差很多。写错了请回复「撤销」后重发。`;
}
