import { html } from 'hono/html';
import { stockHealthNow } from '../../core/digest.ts';
import { qty, yuanGrouped } from '../../bot/format.ts';
import type { WebViewDeps, Viewer } from './deps.ts';
import { table, type Html } from './layout.ts';

export interface StockQuery {
  q?: string | undefined;
  loc?: string | undefined;
}

/**
 * 库存: every product at every location, searchable by name, alias or SKU, one location or all;
 * 缺货/积压 marked by the digest's one stock rule; value and its total only in the owner's view.
 */
export async function stockPage(deps: WebViewDeps, viewer: Viewer, query: StockQuery): Promise<Html> {
  const { shop, seeCost } = viewer;
  const all = await deps.store.stock(shop.id);
  const locations = [...new Set(all.map((r) => r.location))].sort();
  const q = query.q?.trim().toLowerCase() ?? '';
  const aliases = new Map<number, string[]>();
  if (q) for (const a of await deps.store.aliases(shop.id)) aliases.set(a.productId, [...(aliases.get(a.productId) ?? []), a.alias.toLowerCase()]);
  const rows = all.filter(
    (r) =>
      (!query.loc || r.location === query.loc) &&
      (!q || r.product.toLowerCase().includes(q) || (r.sku ?? '').toLowerCase().includes(q) || (aliases.get(r.productId) ?? []).some((a) => a.includes(q))),
  );
  const health = await stockHealthNow(deps.digest, shop.id, deps.clock.now());
  const short = new Set(health.shortages.map((s) => s.productId));
  const over = new Set(health.overstock.map((o) => o.productId));
  const name = (r: (typeof rows)[number]) =>
    html`${r.product}${r.sku ? html` <span class="muted">${r.sku}</span>` : ''}${short.has(r.productId) ? html`<span class="badge short">缺货</span>` : ''}${over.has(r.productId) ? html`<span class="badge over">积压</span>` : ''}`;
  const head = seeCost ? ['商品', '位置', '数量', '金额'] : ['商品', '位置', '数量'];
  const body = rows.map((r) => (seeCost ? [name(r), r.location, qty(r.qtyMilli, r.unit), yuanGrouped(r.value)] : [name(r), r.location, qty(r.qtyMilli, r.unit)]));
  const value = rows.reduce((s, r) => s + r.value, 0);
  const products = new Set(rows.map((r) => r.productId)).size;
  return html`<h1>库存</h1>
<form class="filters" method="get" action="/stock" hx-get="/stock" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="input delay:300ms, change, submit">
<label>搜索<input type="search" name="q" value="${query.q ?? ''}" placeholder="商品名、别名或编码"></label>
<label>位置<select name="loc"><option value="">全部位置</option>${locations.map((l) => html`<option${l === query.loc ? html` selected` : ''}>${l}</option>`)}</select></label>
<button class="primary" type="submit">查</button>
${seeCost ? html`<a class="button secondary" href="/export/stock.xlsx" download>下载库存 xlsx</a>` : ''}
</form>
<div id="results">
<p class="muted">${products} 种商品${seeCost ? html`，金额 ${yuanGrouped(value)} 元（按平均成本）` : ''}</p>
${rows.length === 0 ? html`<p class="notice">${all.length === 0 ? '还没有库存。' : '没有符合条件的商品。'}</p>` : table(head, body, { numeric: seeCost ? [2, 3] : [2] })}
</div>`;
}
