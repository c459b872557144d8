import { fail, ok, type Result } from './failures.ts';
import type { UnitConversionOutcome, UnitConversionRequest } from './ledger-requests.ts';
import type { InventoryStore } from './ports.ts';
import { MILLI, toMilli } from './quantity.ts';
import { isCountUnit } from './units.ts';

/** The store ports a unit conversion needs, all called inside one transaction. */
export type UnitConversionStore = Pick<InventoryStore, 'transaction' | 'hasEntries' | 'stock' | 'updateProduct' | 'setUnit'>;

/** Piece words staff use for "one of it" whatever it is; one 件 of a drink is one 瓶. */
const LOOSE_PIECES: ReadonlySet<string> = new Set(['件', '个', 'pcs']);

/**
 * `设置 雪碧 1箱=24瓶`: adds or changes a conversion to the product's unit. When the conversion
 * names a new base unit (the product was kept in 件 or 箱 and should be kept in 瓶), the unit
 * changes only if that keeps the books true: a product without entries, or one kept in a loose
 * piece word (件, 个) that becomes a counted unit one for one. A product whose entries and stock
 * are counted in another unit is refused — relabelling 10箱 as 10瓶 would make every past
 * entry and the stock wrong.
 */
export async function setUnitConversion(store: UnitConversionStore, shopId: number, req: UnitConversionRequest): Promise<Result<UnitConversionOutcome>> {
  // One transaction: the checks and the change see the same books, whatever another process does.
  return await store.transaction(async (uow): Promise<Result<UnitConversionOutcome>> => {
    const product = await uow.findProduct(shopId, req.product);
    if (!product) return fail({ code: 'UNKNOWN_PRODUCT', product: req.product });
    const factorMilli = toMilli(req.factor);
    if (factorMilli === undefined || factorMilli <= 0) return fail({ code: 'BAD_QUANTITY', product: product.name, reason: 'precision' });
    let relabelledFrom: string | undefined;
    if (product.unit !== req.base) {
      if (await store.hasEntries(product.id)) {
        const loose = LOOSE_PIECES.has(product.unit) && isCountUnit(req.base) && req.unit !== product.unit;
        if (!loose) {
          const onHandMilli = (await store.stock(shopId, product.id)).reduce((sum, r) => sum + r.qtyMilli, 0);
          return fail({ code: 'UNIT_IN_USE', product: product.name, unit: product.unit, base: req.base, outer: req.unit, onHandMilli });
        }
        relabelledFrom = product.unit;
      }
      await store.updateProduct(shopId, product.id, { unit: req.base });
    }
    await store.setUnit(product.id, req.unit, factorMilli);
    return ok({ product: product.name, unit: req.unit, factor: factorMilli / MILLI, base: req.base, relabelledFrom });
  });
}
