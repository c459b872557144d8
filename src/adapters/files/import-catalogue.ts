import { MILLI } from '../../core/quantity.ts';
import { convertMilli, DOZEN, isMeasureUnit, unitConversion } from '../../core/units.ts';
import type { InventoryStore, ProductRecord } from '../../core/ports.ts';

/** A product an import refers to: one already in the shop, or one the import will create. */
export interface ProductRef {
  /** Set for products already in the shop. */
  id?: number | undefined;
  name: string;
  sku: string | null;
  unit: string;
  salePrice: number | null;
  /** First data row that planned this product (for new ones). */
  row?: number | undefined;
  /** The product as stored, for products already in the shop. */
  current?: ProductRecord | undefined;
}

/**
 * The shop's catalogue as an import sees it, plus the products the import itself plans to create,
 * so that row 20 can refer to the product row 3 introduced. Names resolve the way chat messages do:
 * exact name, then alias, then ignoring case; SKUs resolve exactly.
 */
export class ImportCatalogue {
  private readonly bySku = new Map<string, ProductRef>();
  private readonly byName = new Map<string, ProductRef>();
  private readonly byAlias = new Map<string, ProductRef>();
  private readonly byLowerName = new Map<string, ProductRef | null>();
  private readonly conversions = new Map<number, Map<string, number>>();
  readonly planned: ProductRef[] = [];

  constructor(products: readonly ProductRecord[], aliases: readonly { productId: number; alias: string }[], units: readonly { productId: number; unit: string; factorMilli: number }[]) {
    const byId = new Map<number, ProductRef>();
    for (const p of products) {
      const ref: ProductRef = { id: p.id, name: p.name, sku: p.sku, unit: p.unit, salePrice: p.salePrice, current: p };
      byId.set(p.id, ref);
      this.index(ref);
    }
    for (const a of aliases) {
      const ref = byId.get(a.productId);
      if (ref) this.byAlias.set(a.alias, ref);
    }
    for (const u of units) {
      const map = this.conversions.get(u.productId) ?? new Map<string, number>();
      map.set(u.unit, u.factorMilli);
      this.conversions.set(u.productId, map);
    }
  }

  static async of(store: InventoryStore, shopId: number): Promise<ImportCatalogue> {
    return new ImportCatalogue(await store.products(shopId), await store.aliases(shopId), await store.units(shopId));
  }

  bySkuCode(sku: string): ProductRef | undefined {
    return this.bySku.get(sku);
  }

  byProductName(name: string): ProductRef | undefined {
    return this.byName.get(name) ?? this.byAlias.get(name) ?? this.byLowerName.get(name.toLowerCase()) ?? undefined;
  }

  /** True when no product (existing or planned) has exactly this name. */
  nameFree(name: string): boolean {
    return !this.byName.has(name);
  }

  /**
   * 1 `unit` = factorMilli / 1000 of the product's own unit: the shop's conversion (1箱=24瓶), or a
   * built-in one (克 → 斤, 打 → 12) from the one unit vocabulary.
   */
  conversion(ref: ProductRef, unit: string): number | undefined {
    const custom = ref.id === undefined ? undefined : this.conversions.get(ref.id)?.get(unit);
    if (custom !== undefined) return custom;
    if (!(isMeasureUnit(unit) && isMeasureUnit(ref.unit)) && unit !== DOZEN) return undefined;
    const c = unitConversion(unit, { unit: ref.unit, units: {} });
    return c.ok ? convertMilli(MILLI, c) : undefined;
  }

  /** Adds a product the import will create. */
  plan(ref: ProductRef): ProductRef {
    this.planned.push(ref);
    this.index(ref);
    return ref;
  }

  /** Records that an existing product without a SKU gets one from the import. */
  assignSku(ref: ProductRef, sku: string): void {
    ref.sku = sku;
    this.bySku.set(sku, ref);
  }

  private index(ref: ProductRef): void {
    if (ref.sku !== null) this.bySku.set(ref.sku, ref);
    this.byName.set(ref.name, ref);
    const lower = ref.name.toLowerCase();
    // Two names that differ only in case make a case-insensitive match ambiguous.
    this.byLowerName.set(lower, this.byLowerName.has(lower) && this.byLowerName.get(lower) !== ref ? null : ref);
  }
}
