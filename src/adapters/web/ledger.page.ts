import { html } from 'hono/html';
import { formatQty } from '../../core/quantity.ts';
import { KIND_LABELS } from '../../core/labels.ts';
import type { EntryKind } from '../../core/ports.ts';
import { localDateTime, localDay } from '../../core/zoned-time.ts';
import type { LedgerRow } from '../../core/ledger-queries.ts';
import { yuanGrouped } from '../../bot/format.ts';
import { priceShown, quoteFor } from '../../bot/mask-cost.ts';
import type { WebViewDeps, Viewer } from './deps.ts';
import { table, type Html } from './layout.ts';
import { periodHelp, readPeriod } from './periods.ts';

/** Entries per page. */
export const LEDGER_PAGE = 50;

export interface LedgerQuery {
  q?: string | undefined;
  product?: string | undefined;
  kind?: string | undefined;
  actor?: string | undefined;
  period?: string | undefined;
  page?: string | undefined;
}

const KINDS = Object.keys(KIND_LABELS) as EntryKind[];

/**
 * 流水: the ledger newest first, filtered by product, period, kind and person and searched in the
 * product, note and original message, 50 a page. Each entry shows the message it came from. Prices
 * and amounts follow the chat's rule (priceShown), quotes are masked for the staff view (quoteFor).
 */
export async function ledgerPage(deps: WebViewDeps, viewer: Viewer, query: LedgerQuery): Promise<Html> {
  const { shop, seeCost } = viewer;
  const now = deps.clock.now();
  const period = readPeriod(query.period, now, shop.timeZone);
  const products = (await deps.store.products(shop.id)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const actors = await deps.ledger.actors(shop.id);
  const productId = products.find((p) => String(p.id) === query.product)?.id;
  const kind = KINDS.find((k) => k === query.kind);
  const actorId = actors.find((a) => a.actorId === query.actor)?.actorId;
  const pageNo = Math.max(1, Math.floor(Number(query.page)) || 1);
  const filter = { productId, kind, actorId, text: query.q, from: period.ok ? period.period?.from : undefined, to: period.ok ? period.period?.to : undefined };
  const { rows, total } = period.ok ? await deps.ledger.ledgerPage(shop.id, filter, { offset: (pageNo - 1) * LEDGER_PAGE, limit: LEDGER_PAGE }) : { rows: [], total: 0 };
  const pages = Math.max(1, Math.ceil(total / LEDGER_PAGE));
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, page: String(p) })) if (v) params.set(k, v);
    return `/ledger?${params.toString()}`;
  };
  const head = seeCost ? ['#', '时间', '类型', '商品', '数量', '单价', '金额', '成本', '渠道/对方', '记录人', '原话'] : ['#', '时间', '类型', '商品', '数量', '单价', '金额', '渠道/对方', '记录人', '原话'];
  const body = rows.map((r) => row(r, seeCost, shop.timeZone));
  return html`<h1>流水</h1>
<form class="filters" method="get" action="/ledger" hx-get="/ledger" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="input delay:400ms, change, submit">
<label>搜索<input type="search" name="q" value="${query.q ?? ''}" placeholder="商品、备注或原话"></label>
<label>商品<select name="product"><option value="">全部商品</option>${products.map((p) => html`<option value="${p.id}"${p.id === productId ? html` selected` : ''}>${p.name}</option>`)}</select></label>
<label>时段<input name="period" value="${query.period ?? ''}" placeholder="本月、上周、11月1日到11月20日"></label>
<label>类型<select name="kind"><option value="">全部类型</option>${KINDS.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${KIND_LABELS[k]}</option>`)}</select></label>
<label>记录人<select name="actor"><option value="">所有人</option>${actors.map((a) => html`<option value="${a.actorId}"${a.actorId === actorId ? html` selected` : ''}>${a.actorName ?? a.actorId}</option>`)}</select></label>
<button class="primary" type="submit">查</button>
${seeCost ? html`<a class="button secondary" href="/export/entries.xlsx?period=${encodeURIComponent(period.ok && period.period ? period.period.label : '本月')}" download>下载流水 xlsx（${period.ok && period.period ? period.period.label : '本月'}）</a>` : ''}
</form>
<div id="results">
${!period.ok
  ? html`<p class="notice bad">${periodHelp(period.text)}</p>`
  : html`<p class="muted">共 ${total} 条${period.period ? `，${period.period.label}（${localDay(period.period.from, shop.timeZone)}–${localDay(new Date(period.period.to.getTime() - 1), shop.timeZone)}）` : ''}</p>
${rows.length === 0 ? html`<p class="notice">没有符合条件的流水。</p>` : table(head, body, { numeric: seeCost ? [4, 5, 6, 7] : [4, 5, 6] })}
${pages > 1
  ? html`<nav class="pager">${pageNo > 1 ? html`<a class="button secondary" href="${link(pageNo - 1)}">上一页</a>` : ''}<span class="muted">第 ${pageNo} / ${pages} 页</span>${pageNo < pages ? html`<a class="button secondary" href="${link(pageNo + 1)}">下一页</a>` : ''}</nav>`
  : ''}`}
</div>`;
}

function row(r: LedgerRow, seeCost: boolean, timeZone: string): (Html | string)[] {
  const shown = priceShown(r.kind, seeCost);
  const what = r.kind === 'reversal' ? `撤销 #${r.reversesSeq ?? '?'}` : KIND_LABELS[r.kind];
  const seq = r.reversedBySeq ? html`<span class="undone" title="已被 #${r.reversedBySeq} 撤销">#${r.seq}</span>` : html`#${r.seq}`;
  const parties = [r.channel, r.counterparty, r.location].filter((x): x is string => Boolean(x)).join(' · ');
  const quote = r.messageText === null ? '' : quoteFor(r.messageText, seeCost);
  const note = r.note ? html`<div class="muted">备注：${quoteFor(r.note, seeCost)}</div>` : '';
  const cells: (Html | string)[] = [
    seq,
    localDateTime(r.occurredAt, timeZone),
    html`${what}${r.reversedBySeq ? html` <span class="muted">（已被 #${r.reversedBySeq} 撤销）</span>` : ''}`,
    r.product,
    `${formatQty(r.qtyMilli)}${r.unit}`,
    shown && r.unitPrice !== null ? yuanGrouped(r.unitPrice) : '',
    shown && r.amount !== 0 ? yuanGrouped(r.amount) : '',
  ];
  if (seeCost) cells.push(r.cost !== 0 ? yuanGrouped(r.cost) : '');
  cells.push(parties, r.actorName ?? '', html`<span class="quote">${quote ? `「${quote}」` : ''}</span>${note}`);
  return cells;
}
