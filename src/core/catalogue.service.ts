import type { Failure } from './failures.ts';
import type { InventoryStore, ProductMode, ProductPatch, ProductRecord, ShopRecord } from './ports.ts';

/**
 * Settings and aliases: `设置 T恤 预警 10`, `设置 日报 21:00`, `别名 T恤 = 短袖`. Refusals are coded
 * values the chat layer words (UNKNOWN_PRODUCT as every other use case says it, SKU_TAKEN here).
 *
 * Each use case reads, then writes, with separate port calls and no read inside a write's callback,
 * so asynchronous ports only add `await`s.
 */

/** A product setting as written: levels and lead time in the product's unit or days, prices in 分. */
export type ProductSetting =
  | { key: 'reorderLevel' | 'overstockLevel' | 'salePrice' | 'leadTime'; value: number }
  /** 一件代发 may name the supplier and the unit cost agreed with them (分); other modes keep them unused. */
  | { key: 'mode'; value: ProductMode; supplier?: string; cost?: number }
  | { key: 'sku'; value: string };

export type CatalogueFailure = Failure | { code: 'SKU_TAKEN'; sku: string; owner: string };

export type CatalogueResult<T> = { ok: true; value: T } | { ok: false; failure: CatalogueFailure };

/** The store ports settings and aliases need. */
export type CatalogueStore = Pick<InventoryStore, 'transaction' | 'products' | 'aliases' | 'addAlias' | 'updateProduct' | 'updateShop'>;

export class CatalogueService {
  constructor(private readonly store: CatalogueStore) {}

  /** A product by name or alias (as the ledger finds it). */
  private async find(shopId: number, name: string): Promise<ProductRecord | undefined> {
    return await this.store.transaction((uow) => uow.findProduct(shopId, name));
  }

  /**
   * Changes one product setting; the answer is the product as it is now (for the confirmation).
   * Setting an unknown product to 一件代发 creates it at `now` (`created`): a dropship product is
   * never bought in, so that setting is how it enters the catalogue.
   */
  async setProduct(
    shopId: number,
    productName: string,
    setting: ProductSetting,
    now?: Date,
  ): Promise<CatalogueResult<{ product: ProductRecord; setting: ProductSetting; created: boolean }>> {
    let product = await this.find(shopId, productName);
    let created = false;
    if (!product && setting.key === 'mode' && setting.value === 'dropship' && now !== undefined) {
      const name = productName.trim();
      product = await this.store.transaction(async (uow) => await uow.findProduct(shopId, name) ?? await uow.createProduct(shopId, name, '件', now));
      created = true;
    }
    if (!product) return { ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: productName } };
    switch (setting.key) {
      case 'reorderLevel':
        await this.store.updateProduct(shopId, product.id, { reorderLevel: Math.round(setting.value) });
        break;
      case 'overstockLevel':
        await this.store.updateProduct(shopId, product.id, { overstockLevel: Math.round(setting.value) });
        break;
      case 'salePrice':
        await this.store.updateProduct(shopId, product.id, { salePrice: Math.round(setting.value) });
        break;
      case 'leadTime':
        await this.store.updateProduct(shopId, product.id, { leadTimeDays: Math.round(setting.value) });
        break;
      case 'mode': {
        const patch: ProductPatch = { mode: setting.value };
        if (setting.supplier !== undefined) patch.dropshipSupplier = setting.supplier;
        if (setting.cost !== undefined) patch.dropshipCost = setting.cost;
        await this.store.updateProduct(shopId, product.id, patch);
        product = { ...product, ...patch };
        break;
      }
      case 'sku': {
        const id = product.id;
        const taken = (await this.store.products(shopId)).find((p) => p.sku === setting.value && p.id !== id);
        if (taken) return { ok: false, failure: { code: 'SKU_TAKEN', sku: setting.value, owner: taken.name } };
        await this.store.updateProduct(shopId, product.id, { sku: setting.value });
        break;
      }
    }
    const rounded: ProductSetting = setting.key === 'mode' || setting.key === 'sku' ? setting : { key: setting.key, value: Math.round(setting.value) };
    return { ok: true, value: { product, setting: rounded, created } };
  }

  /** Changes a shop-wide setting (the digest's time, the shop's time zone). */
  async setShop(shopId: number, patch: Partial<Pick<ShopRecord, 'timeZone' | 'digestTime'>>): Promise<void> {
    await this.store.updateShop(shopId, patch);
  }

  /** Adds aliases to a product; a name already taken is left out. Answers with all its aliases now and the ones not added. */
  async addAliases(shopId: number, productName: string, aliases: readonly string[]): Promise<CatalogueResult<{ product: ProductRecord; all: string[]; taken: string[] }>> {
    const product = await this.find(shopId, productName);
    if (!product) return { ok: false, failure: { code: 'UNKNOWN_PRODUCT', product: productName } };
    // A loop, not aliases.filter(): a store call inside an array callback could not become `await`.
    const added: string[] = [];
    for (const a of aliases) if (await this.store.addAlias(shopId, product.id, a)) added.push(a);
    const taken = aliases.filter((a) => !added.includes(a));
    const all = (await this.store
          .aliases(shopId))
      .filter((a) => a.productId === product.id)
      .map((a) => a.alias);
    return { ok: true, value: { product, all, taken } };
  }
}
