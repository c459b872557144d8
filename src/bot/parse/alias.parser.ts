import { parseError } from './errors.ts';
import { commandResult, type IntentParser } from './types.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * 别名: other names for a product (`别名 T恤 白T tshirt`), so staff can keep writing what they
 * always wrote. The product is the longest catalogue name at the start, else the first word.
 */

const PATTERN = verbPattern(INTENT_VERBS.alias);
const SEPARATORS = /[\s,;、=]+/;

/** See the module comment. */
export const aliasParser: IntentParser = wordBoundaryParser({
  intent: 'alias',
  verbs: INTENT_VERBS.alias,
  pattern: PATTERN,
  // `别名T恤` with a known product is still a command (and its refusal is worth sending).
  glued: 'own',
  extract(input, { after, glued }) {
    const text = after.trim();
    if (text.length === 0) {
      return glued ? null : parseError('MISSING_PRODUCT', '要写给哪个商品起别名。', '别名 T恤 白T tshirt');
    }
    const prefix = input.ctx.catalogue.matchPrefix(text);
    let name: string;
    let known: boolean;
    let rest: string;
    if (prefix !== undefined && (prefix.end === text.length || /[\s,;、=]/.test(text[prefix.end] ?? ''))) {
      name = prefix.product.name;
      known = true;
      rest = text.slice(prefix.end);
    } else {
      const lead = text.replace(/^[\s,;、=]+/, '');
      const first = lead.split(SEPARATORS)[0] ?? '';
      if (first.length === 0) return glued ? null : parseError('MISSING_PRODUCT', '要写给哪个商品起别名。', '别名 T恤 白T tshirt');
      const product = input.ctx.catalogue.resolve(first);
      name = product?.name ?? first;
      known = product !== undefined;
      rest = lead.slice(first.length);
    }
    const seen = new Set<string>([name.toLowerCase()]);
    const aliases: string[] = [];
    for (const a of rest.split(SEPARATORS)) {
      if (a.length === 0 || seen.has(a.toLowerCase())) continue;
      seen.add(a.toLowerCase());
      aliases.push(a);
    }
    if (aliases.length === 0) {
      if (glued && !known) return null; // 别名叫什么: chatter
      return parseError('BAD_SETTING', `要写「${name}」的别名，可以写几个，用空格隔开。`, `别名 ${name} 白T tshirt`);
    }
    return commandResult({ intent: 'alias', product: name, known, aliases });
  },
});
