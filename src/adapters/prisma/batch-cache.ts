import type { BalanceRecord, LocationRecord, ProductRecord } from '../../core/ports.ts';
import type { SqliteUnitOfWork } from './sqlite-store.ts';
import { earlierFrom, repost, type RepostFrom } from '../../core/repost.ts';

/**
 * The reads of one import batch, cached for that batch only: products, locations and balances are
 * read once, every write goes through (and updates or drops what it changes), and balances are held
 * in memory and written once per product and location by flush(), at the end of the batch.
 */
export class BatchCache {
  readonly uow: SqliteUnitOfWork;
  private readonly products = new Map<string, ProductRecord>();
  private readonly productsById = new Map<number, ProductRecord>();
  private readonly locations = new Map<number, LocationRecord>();
  /** productId → locationId → balance. */
  private readonly balances = new Map<number, Map<number, BalanceRecord>>();
  private readonly dirty: { productId: number; locationId: number }[] = [];
  private readonly dirtyKeys = new Map<number, Set<number>>();
  /** Reposts the batch's backdated rows need: done once per product at flush(), not once per row. */
  private readonly reposts = new Map<number, RepostFrom>();

  constructor(private readonly inner: SqliteUnitOfWork) {
    this.uow = {
      ...inner,
      findProduct: (shopId, name) => {
        const key = `${shopId}\u0000${name}`;
        let p = this.products.get(key);
        if (!p) {
          p = inner.findProduct(shopId, name);
          if (p) this.products.set(key, p);
        }
        return p;
      },
      setLastCost: (productId, cents) => {
        this.forget(productId);
        inner.setLastCost(productId, cents);
      },
      productById: (id) => {
        let p = this.productsById.get(id);
        if (!p) {
          p = inner.productById(id);
          this.productsById.set(id, p);
        }
        return p;
      },
      locationById: (id) => {
        let l = this.locations.get(id);
        if (!l) {
          l = inner.locationById(id);
          this.locations.set(id, l);
        }
        return l;
      },
      balance: (productId, locationId) => {
        const byLocation = this.balancesOf(productId);
        let b = byLocation.get(locationId);
        if (!b) {
          b = inner.balance(productId, locationId);
          byLocation.set(locationId, b);
        }
        return b;
      },
      // The batch holds balances until its end: the current figure is the cached one, never the row.
      currentBalance: (productId, locationId) => this.uow.balance(productId, locationId),
      setBalance: (productId, locationId, balance) => {
        this.balancesOf(productId).set(locationId, balance);
        let marked = this.dirtyKeys.get(productId);
        if (!marked) this.dirtyKeys.set(productId, (marked = new Set()));
        if (!marked.has(locationId)) {
          marked.add(locationId);
          this.dirty.push({ productId, locationId });
        }
      },
      // The store reads a past stock off the balance row: write the batch's figure for it first.
      stockAsOf: (productId, locationId, at) => {
        const held = this.balances.get(productId)?.get(locationId);
        if (held && this.dirtyKeys.get(productId)?.has(locationId)) inner.setBalance(productId, locationId, held);
        return inner.stockAsOf(productId, locationId, at);
      },
      repostSize: () => Number.POSITIVE_INFINITY,
      queueRepost: (_shopId, productId, from) => {
        this.reposts.set(productId, earlierFrom(this.reposts.get(productId), from));
      },
    };
  }

  /** Writes every balance the batch changed, once each, with its final figures; then the reposts. */
  flush(): void {
    for (const { productId, locationId } of this.dirty) {
      this.inner.setBalance(productId, locationId, this.balancesOf(productId).get(locationId) as BalanceRecord);
    }
    for (const [productId, from] of this.reposts) this.inner.applyRepost(repost(this.inner.repostRows(productId, from)));
  }

  private balancesOf(productId: number): Map<number, BalanceRecord> {
    let byLocation = this.balances.get(productId);
    if (!byLocation) this.balances.set(productId, (byLocation = new Map()));
    return byLocation;
  }

  private forget(productId: number): void {
    this.productsById.delete(productId);
    for (const [key, p] of this.products) if (p.id === productId) this.products.delete(key);
  }
}
