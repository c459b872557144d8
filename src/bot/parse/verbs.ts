import type { Intent } from '../command.ts';

/**
 * The verb words of the chat language, per intent. One table so the parsers, the help text and
 * the "two verbs in one message" check agree on the vocabulary.
 */
export const INTENT_VERBS = {
  purchase: ['进货', '入库', '采购', '到货', '补货', '买入'],
  sale: ['出货', '出库', '销售', '卖出', '卖了', '发货', '售出'],
  customerReturn: ['退货', '客退'],
  supplierReturn: ['退供', '退厂'],
  stocktake: ['盘点'],
  transfer: ['调拨', '调货', '移库'],
  query: ['查询', '查看', '查', '库存', '还有多少', '还剩多少'],
  undo: ['撤销', '撤回'],
  correct: ['修改', '更正', '改'],
  report: ['日报', '报表', '周报', '月报', '销量', '销售额', '利润', '毛利', '畅销', '滞销'],
  setting: ['设置', '设定'],
  alias: ['别名'],
  help: ['帮助', '说明', '怎么用', 'help', '?'],
  export: ['导出'],
  importFile: ['导入'],
  confirmImport: ['确认导入'],
  cancelImport: ['取消'],
} as const satisfies Record<Intent, readonly string[]>;

/**
 * How staff actually write the verb in a group (`刚卖了`, `出了`, `到了`, `退回`): accepted by the
 * parsers but not shown in help, which teaches the verbs above. One-character verbs (进 卖 出 退
 * 调) only count when a product, a number or a space follows — `出了点问题` stays chatter.
 */
export const COLLOQUIAL_VERBS = {
  purchase: ['进了', '进', '到了', '到的', '补了', '入库了', '采购了', '送来了', '送来', '发来了', '发来'],
  sale: ['卖给', '卖', '出了', '出', '发了', '卖掉'],
  customerReturn: ['退了', '退回来', '退回', '退', '客退了'],
  supplierReturn: ['退供应商', '退给供应商', '退回供应商', '退回厂家', '退给厂家', '退回给', '退给'],
  stocktake: ['盘了下', '盘了一下', '盘一下', '盘了'],
  transfer: ['调回', '调'],
} as const satisfies Record<WriteIntent, readonly string[]>;

/** Intents that write ledger entries; they share the item grammar. */
export type WriteIntent = 'purchase' | 'sale' | 'customerReturn' | 'supplierReturn' | 'stocktake' | 'transfer';

/** The write intents in the table's order. */
export const WRITE_INTENTS: readonly WriteIntent[] = ['purchase', 'sale', 'customerReturn', 'supplierReturn', 'stocktake', 'transfer'];

/** The Chinese name of each intent, as help and errors call it. */
export const INTENT_LABELS: Readonly<Record<Intent, string>> = {
  purchase: '进货',
  sale: '出货',
  customerReturn: '客户退货',
  supplierReturn: '退给供应商',
  stocktake: '盘点',
  transfer: '调拨',
  query: '查库存',
  undo: '撤销',
  correct: '改单',
  report: '报表',
  setting: '设置',
  alias: '别名',
  help: '帮助',
  export: '导出表格',
  importFile: '导入表格',
  confirmImport: '确认导入',
  cancelImport: '取消导入',
};

const BY_WORD = new Map<string, Intent>();
for (const [intent, verbs] of Object.entries(INTENT_VERBS) as [Intent, readonly string[]][]) {
  BY_WORD.set(intent.toLowerCase(), intent);
  for (const v of verbs) if (!BY_WORD.has(v)) BY_WORD.set(v, intent);
}
for (const [word, intent] of [
  ['出售', 'sale'], ['卖', 'sale'], ['退款', 'customerReturn'], ['退供应商', 'supplierReturn'],
  ['报告', 'report'], ['报表', 'report'], ['预警', 'setting'], ['售价', 'setting'], ['换算', 'setting'],
  ['时区', 'setting'], ['改单', 'correct'], ['缺货', 'query'], ['积压', 'query'], ['return', 'customerReturn'],
] as const) {
  if (!BY_WORD.has(word)) BY_WORD.set(word, intent);
}

/** The intent a help topic word names (`进货`, `查`, `purchase`), if any. */
export function intentForWord(word: string): Intent | undefined {
  return BY_WORD.get(word.trim().toLowerCase());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `^(?:longest|…|short)` over `verbs`, so 查询 wins over 查. */
export function verbPattern(verbs: readonly string[], flags = ''): RegExp {
  const sorted = [...verbs].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`^(?:${sorted.join('|')})`, flags);
}

// Per segment only verbs of two or more characters: `退款 59` must not read as 退.
const ALL_WRITE_VERBS = WRITE_INTENTS.flatMap((i) => [...INTENT_VERBS[i], ...COLLOQUIAL_VERBS[i].filter((v) => v.length > 1 && v !== '退回给' && v !== '退给' && v !== '卖给' && v !== '退回来')]);
const WRITE_VERB_AT_START = verbPattern(ALL_WRITE_VERBS);

/** The write verb a segment starts with, for refusing `进货 …，出货 …` in one message. */
export function leadingWriteVerb(text: string): { verb: string; intent: WriteIntent } | undefined {
  const m = WRITE_VERB_AT_START.exec(text);
  if (m === null) return undefined;
  const intent = WRITE_INTENTS.find((i) => (INTENT_VERBS[i] as readonly string[]).includes(m[0]) || (COLLOQUIAL_VERBS[i] as readonly string[]).includes(m[0]));
  return intent === undefined ? undefined : { verb: m[0], intent };
}
