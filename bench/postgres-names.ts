/**
 * 商品0001, 商品0002…: the PostgreSQL benchmarks' product names, of one width as a shop would name a
 * numbered range. (With 商品1 … 商品14 in one shop, 「卖 商品1 1件」 is rightly ambiguous with
 * 商品11, and the bot asks instead of recording.) The seeding SQL in postgres.bench.ts writes the
 * same names with lpad.
 */
export const benchProductName = (i: number): string => `商品${String(i + 1).padStart(4, '0')}`;
