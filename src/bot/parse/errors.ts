import type { ParseError, ParseErrorCode } from './types.ts';

/**
 * Builds a refusal. Kept in one place so every refusal carries a Chinese message and, where one
 * makes sense, a corrected example the user can copy — the "never silence" promise of the product.
 */
export function parseError(code: ParseErrorCode, message: string, example?: string): ParseError {
  return example === undefined ? { kind: 'error', code, message } : { kind: 'error', code, message, example };
}

/** Quantity limit: above it a typo (extra zeros) is far likelier than a real stock movement. */
export const MAX_QUANTITY = 1e9;

/** Money limit in 分 (10 亿元): larger sums in a shop chat are typos. */
export const MAX_CENTS = 1e11;

/** The error for a number beyond `MAX_QUANTITY` / `MAX_CENTS`. */
export function tooLarge(what: '数量' | '金额', raw: string, example: string): ParseError {
  const limit = what === '数量' ? '10 亿' : '10 亿元';
  return parseError('TOO_LARGE', `${what}「${raw}」太大了（上限 ${limit}），请检查是不是多打了 0。`, example);
}
