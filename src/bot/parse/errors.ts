import type { ParseError, ParseErrorCode } from './types.ts';

/**
 * Builds a refusal. Kept in one place so every refusal carries a Chinese message and, where one
 * makes sense, a corrected example the user can copy — the "never silence" promise of the product.
 */
export function parseError(code: ParseErrorCode, message: string, example?: string): ParseError {
  return example === undefined ? { kind: 'error', code, message } : { kind: 'error', code, message, example };
}

export { MAX_CENTS, MAX_QUANTITY } from '../../core/limits.ts';

/** The error for a number beyond `MAX_QUANTITY` / `MAX_CENTS`. */
export function tooLarge(what: '数量' | '金额', raw: string, example: string): ParseError {
  const limit = what === '数量' ? '10 亿' : '10 亿元';
  return parseError('TOO_LARGE', `${what}「${raw}」太大了（上限 ${limit}），请检查是不是多打了 0。`, example);
}
