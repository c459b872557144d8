import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A piece of escaped HTML (what hono/html's `html` template gives). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The pages' one stylesheet: readable on a phone first, tables scroll sideways instead of squeezing. */
export const APP_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d2733;background:#f4f6f8}
header{background:#1f4e79;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem}
header .shop{font-weight:600;margin-right:auto}
header .who{font-weight:400;font-size:.88rem;color:#cfe0f0}
header nav{display:flex;flex-wrap:wrap;gap:.25rem}
header nav a{color:#fff;text-decoration:none;padding:.35rem .7rem;border-radius:.4rem}
header nav a.on,header nav a:hover{background:rgba(255,255,255,.18)}
header form{margin:0}
header button{background:none;border:1px solid rgba(255,255,255,.5);color:#fff;border-radius:.4rem;padding:.25rem .6rem;font:inherit;font-size:.9rem}
main{max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.2rem 0 .8rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:#4a5868;flex:1 1 9rem}
input,select,button{font:inherit}
input,select{padding:.45rem .5rem;border:1px solid #b9c4cf;border-radius:.4rem;background:#fff;min-width:0}
button.primary,a.button{display:inline-block;background:#1f4e79;color:#fff;border:0;border-radius:.4rem;padding:.55rem 1rem;text-decoration:none;cursor:pointer}
a.button.secondary{background:#e3e9ef;color:#1f4e79}
.table{overflow-x:auto;background:#fff;border-radius:.5rem;box-shadow:0 1px 2px rgba(0,0,0,.08);margin-bottom:1rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{padding:.45rem .6rem;border-bottom:1px solid #e6eaee;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#f7f9fb}
.muted{color:#6b7886;font-size:.88rem}
.quote{color:#4a5868;font-size:.88rem}
.badge{display:inline-block;border-radius:.3rem;padding:0 .35rem;font-size:.8rem;margin-left:.3rem}
.badge.short{background:#fde2e1;color:#a12622}
.badge.over{background:#fff1d6;color:#8a5a00}
.undone{color:#8a96a3;text-decoration:line-through}
.notice{background:#fff;border-left:4px solid #1f4e79;padding:.8rem 1rem;border-radius:.3rem;margin-bottom:1rem}
.notice.bad{border-color:#c0392b}
.pager{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.tabs{display:flex;gap:.3rem;flex-wrap:wrap;margin-bottom:.8rem}
.tabs a{padding:.35rem .8rem;border-radius:1rem;background:#e3e9ef;color:#1f4e79;text-decoration:none}
.tabs a.on{background:#1f4e79;color:#fff}
.chart svg{max-width:100%;height:auto}
.login{max-width:28rem;margin:3rem auto;background:#fff;padding:1.5rem;border-radius:.6rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
.login button{width:100%;font-size:1.1rem;padding:.8rem}
.htmx-indicator{opacity:0;transition:opacity .2s}
.htmx-request .htmx-indicator,.htmx-request.htmx-indicator{opacity:1}
@media (max-width:600px){main{padding:.6rem}th,td{padding:.4rem}}
`;

/** What the page header shows about who is signed in. */
export interface PageUser {
  shopName: string;
  actorName: string | null;
  owner: boolean;
  csrf: string;
}

const NAV = [
  ['/stock', '库存'],
  ['/ledger', '流水'],
  ['/reports', '报表'],
] as const;

/** A whole page: the header with the sections and 退出, then `body`. htmx is served from this app. */
export function page(title: string, body: Html, options: { user?: PageUser; active?: string } = {}): Html {
  const user = options.user;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>
<title>${title} · 进销存</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/htmx.min.js" defer></script>
</head>
<body${user ? html` hx-headers='{"X-CSRF-Token":"${user.csrf}"}'` : ''}>
${user
  ? html`<header>
<span class="shop">${user.shopName}<span class="who"> · ${user.actorName ?? ''}${user.owner ? '（老板）' : '（店员视图）'}</span></span>
<nav>${NAV.map(([href, label]) => html`<a href="${href}"${options.active === href ? html` class="on"` : ''}>${label}</a>`)}</nav>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${user.csrf}"><button type="submit">退出</button></form>
</header>`
  : ''}
<main>
${body}
</main>
</body>
</html>`;
}

/** A table in a sideways-scrolling box; `numeric` marks right-aligned columns. */
export function table(head: readonly string[], rows: readonly (readonly (Html | string | number)[])[], options: { numeric?: readonly number[]; total?: readonly (Html | string | number)[]; id?: string } = {}): Html {
  const n = new Set(options.numeric ?? []);
  const cell = (value: Html | string | number, i: number) => html`<td${n.has(i) ? html` class="n"` : ''}>${value}</td>`;
  return html`<div class="table"${options.id ? html` id="${options.id}"` : ''}><table>
<thead><tr>${head.map((h, i) => html`<th${n.has(i) ? html` class="n"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map(cell)}</tr>`)}${options.total ? html`<tr class="total">${options.total.map(cell)}</tr>` : ''}</tbody>
</table></div>`;
}
