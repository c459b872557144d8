/** One product as the parser needs it: names to recognise and units to convert. */
export interface CatalogueProduct {
  /** Canonical name, returned in commands. */
  name: string;
  /** Other names staff use (`白T`, `tshirt`). */
  aliases: readonly string[];
  /** The unit stock is kept in (`件`, `瓶`, `斤`). */
  unit: string;
  /** Extra units -> factor in base units, e.g. {箱: 24}. */
  units: Readonly<Record<string, number>>;
  /** The shop's code for it (`DL-001`), accepted wherever a name is. */
  sku?: string | undefined;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  product?: CatalogueProduct;
}

/** A catalogue match inside a text: the product and where its name ends in that text. */
export interface PrefixMatch {
  product: CatalogueProduct;
  /** Index in the searched text just after the last character of the name. */
  end: number;
}

const WHITESPACE = /\s+/g;

/**
 * The form names are compared in: NFKC, lower-case, no whitespace — so `t恤白色l`, `T恤 白色 L`
 * and `Ｔ恤 白色 Ｌ` are one name.
 */
export function compactKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(WHITESPACE, '');
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\t';
}

function isAsciiLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * The shop's products indexed for the parser. Built once (`buildCatalogue`) and shared by every
 * message, because names are looked up several times per message and shops have up to ~20,000 SKUs.
 */
export class Catalogue {
  readonly products: readonly CatalogueProduct[];
  /** Every unit word some product uses, so the lexer recognises custom units (`提`, `打`). */
  readonly unitWords: ReadonlySet<string>;
  private readonly root: TrieNode = { next: new Map() };
  private readonly exact = new Map<string, CatalogueProduct>();
  // Names by their characters in sorted order: `手机壳 iPhone 15 Pro` and `iPhone 15 Pro 手机壳`,
  // `xl白色t恤` and `T恤 白色 XL` are one name. null marks a key two products share.
  private readonly loose = new Map<string, CatalogueProduct | null>();
  // Compact names in product order, for `candidates` without re-normalising every name per call.
  private readonly keys: string[];

  constructor(products: readonly CatalogueProduct[]) {
    this.products = products;
    this.keys = products.map((p) => compactKey(p.name));
    const units = new Set<string>();
    // Canonical names first so an alias can never shadow another product's real name.
    for (const p of products) this.add(p.name, p);
    for (const p of products) for (const a of p.aliases) this.add(a, p);
    for (const p of products) if (p.sku !== undefined && p.sku.length > 0) this.add(p.sku, p);
    for (const p of products) {
      units.add(p.unit);
      for (const u of Object.keys(p.units)) units.add(u);
    }
    this.unitWords = units;
  }

  private add(name: string, product: CatalogueProduct): void {
    const key = compactKey(name);
    if (key.length === 0 || this.exact.has(key)) return;
    this.exact.set(key, product);
    const bag = bagKey(key);
    const seen = this.loose.get(bag);
    if (seen === undefined) this.loose.set(bag, product);
    else if (seen !== product) this.loose.set(bag, null);
    let node = this.root;
    for (const ch of key) {
      let child = node.next.get(ch);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.product = product;
  }

  /** True when some name or alias starts with `ch`: a Map lookup before a full `matchPrefix`. */
  startsName(ch: string | undefined): boolean {
    return ch !== undefined && this.root.next.has(ch.toLowerCase());
  }

  /** The product whose name or alias is exactly `name` (ignoring case and spaces). */
  resolve(name: string): CatalogueProduct | undefined {
    const key = compactKey(name);
    return this.exact.get(key) ?? (key.length >= 3 ? this.loose.get(bagKey(key)) ?? undefined : undefined);
  }

  /**
   * Products whose name contains `name` as a whole (`手机壳` → every 手机壳), for a question that
   * names a family rather than one product. Canonical names, at most `max`.
   */
  candidates(name: string, max = 10): CatalogueProduct[] {
    const key = compactKey(name);
    if (key.length === 0) return [];
    // Only products whose name has the query's rarest character are looked at.
    const index = this.charIndex();
    let shortest: readonly number[] | undefined;
    for (const ch of key) {
      const list = index.get(ch);
      if (list === undefined) return [];
      if (shortest === undefined || list.length < shortest.length) shortest = list;
    }
    const out: CatalogueProduct[] = [];
    for (const i of shortest ?? []) {
      const p = this.products[i] as CatalogueProduct;
      if ((this.keys[i] as string).includes(key) && !out.includes(p)) out.push(p);
      if (out.length >= max) break;
    }
    return out;
  }

  private chars: Map<string, number[]> | undefined;

  // Built on the first question that needs it: most catalogues are rebuilt long before one comes.
  private charIndex(): Map<string, number[]> {
    if (this.chars !== undefined) return this.chars;
    const chars = new Map<string, number[]>();
    this.keys.forEach((key, i) => {
      for (const ch of new Set(key)) {
        const list = chars.get(ch);
        if (list === undefined) chars.set(ch, [i]);
        else list.push(i);
      }
    });
    this.chars = chars;
    return chars;
  }

  /**
   * The longest catalogue name or alias that `text` starts with at `from`, skipping spaces inside
   * it (`T恤 白色 L 5件` matches `T恤 白色 L`, not `T恤`). A match must not end in the middle of
   * an ASCII word or number (`T恤 白色 LL` does not match `…L`).
   */
  matchPrefix(text: string, from = 0): PrefixMatch | undefined {
    let node = this.root;
    let best: PrefixMatch | undefined;
    let i = from;
    while (i < text.length && isSpace(text[i] ?? '')) i++;
    for (; i < text.length; i++) {
      const raw = text[i] ?? '';
      if (isSpace(raw)) continue;
      const next = node.next.get(raw.toLowerCase());
      if (next === undefined) break;
      node = next;
      if (node.product !== undefined) {
        const after = text[i + 1];
        const splitsWord =
          (isAsciiLetter(raw) && isAsciiLetter(after)) || (isAsciiDigit(raw) && isAsciiDigit(after));
        if (!splitsWord) best = { product: node.product, end: i + 1 };
      }
    }
    return best;
  }
}

function bagKey(key: string): string {
  return [...key].sort().join('');
}

/** Indexes the products once; the result is reused for every message of the shop. */
export function buildCatalogue(products: readonly CatalogueProduct[]): Catalogue {
  return new Catalogue(products);
}
