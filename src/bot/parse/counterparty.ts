import type { FieldParser } from './field.ts';

/**
 * `供应商 老王` / `客户 张三`: who the goods came from or went to. The name is the next word;
 * the keyword must start a word so product names containing 客户 are left alone.
 */
export const counterpartyParser: FieldParser = {
  hint: /[供厂客顾买卖发给]/,
  pattern: () => COUNTERPARTY,
  extract(m, fields) {
    const name = m[1];
    if (name === undefined || name.length === 0) return false;
    fields.counterparty ??= name;
    return true;
  },
};
// `顾客要白色的` is a remark about the customer, not a customer called 要白色的.
const COUNTERPARTY = /(?<=^|\s|\d|[件个条箱包盒瓶套双支台元块])(?:供应商|供货商|厂家|厂商|客户|顾客|买家|卖给|发给|给)\s*[:=]?\s*(?![要说想的是也还又在把让问觉反不没很太])([^\s,;、:=]{1,10})(?=\s|$)/g;
