import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { WebLinkIssuer } from '../../bot/web/web.port.ts';
import { entriesCaption } from '../../bot/files/file-replies.ts';
import type { FileContent } from '../../bot/files/files.port.ts';
import { parsePeriod } from '../../bot/parse/index.ts';
import { LINK_MINUTES, SESSION_DAYS, WebAuth, sameSecret } from './auth.ts';
import type { Viewer, WebViewDeps } from './deps.ts';
import { APP_CSS, page, type Html } from './layout.ts';
import { ledgerPage } from './ledger.page.ts';
import { reportsPage } from './reports.page.ts';
import { stockPage } from './stock.page.ts';

/** The session cookie: a random id, signed; its hash names the session row. */
export const SESSION_COOKIE = 'jxc_session';

const require = createRequire(import.meta.url);
let htmxSource: string | undefined;
/** htmx from the installed htmx.org package, served by this app (no CDN). */
const htmx = (): string => (htmxSource ??= readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'));

type Env = { Variables: { viewer: Viewer; cookie: string } };

/** Headers on every page: no framing, no outside scripts or styles, no sniffing. */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/**
 * Mounts the owner's web view on a Hono app (the one HTTP server of `jxc start`) and returns the
 * issuer of its sign-in links, for 「网页」. Nothing but the login pages and the static files is served
 * without a session; every POST must come from this site (Origin) and carry the session's CSRF token.
 */
export function mountWebView(app: Hono, deps: WebViewDeps): WebLinkIssuer {
  const auth = new WebAuth(deps.auth, { publicUrl: deps.publicUrl, secret: deps.secret });
  const secure = deps.publicUrl.startsWith('https://');
  const allowedOrigins = (c: Context) => new Set([new URL(deps.publicUrl).origin, new URL(c.req.url).origin]);
  const key = () => auth.secret(deps.clock.now());
  const web = app as unknown as Hono<Env>;

  const headers: MiddlewareHandler = async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
  /** A POST from another site is refused whatever it carries. */
  const sameOrigin: MiddlewareHandler = async (c, next) => {
    const origin = c.req.header('Origin');
    if (c.req.method === 'POST' && origin !== undefined && !allowedOrigins(c).has(origin)) return c.html(page('拒绝', notice('⛔ 请求不是从本网站发出的，已拒绝。', true)), 403);
    await next();
    return undefined;
  };
  /** The signed-in session, or the way to sign in: a redirect for pages, 401 for htmx requests. */
  const session: MiddlewareHandler<Env> = async (c, next) => {
    const now = deps.clock.now();
    const cookie = await getSignedCookie(c, await key(), SESSION_COOKIE);
    const found = cookie ? await auth.session(cookie, now) : undefined;
    const shop = found ? await deps.store.shopById(found.shopId) : undefined;
    const role = found ? await deps.currentRole(found.shopId, found.actorId) : null;
    if (cookie && found && (role === null || role === 'viewer')) await auth.signOut(cookie, now);
    if (!cookie || !found || !shop || role === null || role === 'viewer') {
      if (c.req.header('HX-Request')) {
        c.header('HX-Redirect', '/login');
        return c.text('请先登录', 401);
      }
      return c.redirect('/login', 302);
    }
    // An owner view only while the person is still an owner; staff never see cost.
    c.set('viewer', { session: found, shop, seeCost: found.view === 'owner' && role === 'owner' });
    c.set('cookie', cookie);
    c.header('Cache-Control', 'no-store');
    if (c.req.method === 'POST') {
      const form = c.req.header('Content-Type')?.includes('form') ? await c.req.parseBody() : {};
      const token = c.req.header('X-CSRF-Token') ?? (typeof form._csrf === 'string' ? form._csrf : undefined);
      if (!token || !sameSecret(token, found.csrf)) return c.html(page('拒绝', notice('⛔ 表单已过期或不是从本网站发出的，请刷新页面再试。', true)), 403);
    }
    await next();
    return undefined;
  };
  const user = (c: Context<Env>) => {
    const v = c.get('viewer');
    return { shopName: v.shop.name, actorName: v.session.actorName, owner: v.seeCost, csrf: v.session.csrf };
  };
  const render = async (c: Context<Env>, title: string, active: string, body: Html) => c.html(await page(title, body, { user: user(c), active }));

  web.use('/login', headers);
  web.use('/login/*', headers, sameOrigin);
  for (const path of ['/', '/stock', '/ledger', '/reports', '/logout', '/export/*']) web.use(path, headers, sameOrigin);

  web.get('/static/htmx.min.js', (c) => c.body(htmx(), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }));
  web.get('/static/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));

  web.get('/login', (c) =>
    c.html(page('登录', html`<div class="login"><h1>登录网页版</h1><p>在和机器人的<strong>私聊</strong>里发「网页」，会收到一个登录链接（${LINK_MINUTES} 分钟内有效，只能用一次）。用这台设备打开它，再点「确认登录」。</p></div>`)),
  );
  // The link's page sends its address (with the token) to nobody else: same-origin referrers only, and it
  // loads nothing from elsewhere (CSP). Not no-referrer: the browser would then send `Origin: null`.
  web.get('/login/:token', async (c) => {
    c.header('Cache-Control', 'no-store');
    const checked = await auth.check(c.req.param('token'), deps.clock.now());
    if (!checked.ok) return refused(c, checked.reason);
    return c.html(
      page(
        '确认登录',
        html`<div class="login"><h1>确认登录</h1><p>${checked.view === 'owner' ? '老板视图：能看到成本、库存金额和利润。' : '店员视图：不显示成本、库存金额和利润。'}</p>
<p class="muted">只有点下面的按钮才会登录；登录后这个链接就失效了。登录保持 ${SESSION_DAYS} 天，可随时「退出」。</p>
<form method="post" action="/login/${c.req.param('token')}"><button class="primary" type="submit">确认登录</button></form></div>`,
      ),
    );
  });
  web.post('/login/:token', async (c) => {
    const now = deps.clock.now();
    const signed = await auth.signIn(c.req.param('token'), now);
    if (!signed.ok) return refused(c, signed.reason);
    await setSignedCookie(c, SESSION_COOKIE, signed.cookie, await key(), {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/',
      // Max-Age, not Expires: the browser's clock need not agree with ours; the database row ends it anyway.
      maxAge: SESSION_DAYS * 86_400,
    });
    deps.logger.info({ shop: signed.session.shopId, actor: signed.session.actorId, view: signed.session.view }, 'web sign-in');
    return c.redirect('/stock', 303);
  });
  web.post('/logout', session, async (c) => {
    await auth.signOut(c.get('cookie'), deps.clock.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
    return c.redirect('/login', 303);
  });

  web.get('/', session, (c) => c.redirect('/stock', 302));
  web.get('/stock', session, async (c) => render(c, '库存', '/stock', await stockPage(deps, c.get('viewer'), c.req.query())));
  web.get('/ledger', session, async (c) => render(c, '流水', '/ledger', await ledgerPage(deps, c.get('viewer'), c.req.query())));
  web.get('/reports', session, async (c) => render(c, '报表', '/reports', await reportsPage(deps, c.get('viewer'), c.req.query())));

  // The spreadsheets carry cost and profit: owners only, as 导出 in the chat.
  web.get('/export/stock.xlsx', session, async (c) => {
    const viewer = c.get('viewer');
    if (!viewer.seeCost) return ownersOnly(c);
    const file = await deps.spreadsheets.exportStock(viewer.shop);
    return new Response(bodyOf(file), { status: 200, headers: download(file.name) });
  });
  web.get('/export/entries.xlsx', session, async (c) => {
    const viewer = c.get('viewer');
    if (!viewer.seeCost) return ownersOnly(c);
    const shop = viewer.shop;
    const period = parsePeriod(c.req.query('period') ?? '本月', deps.clock.now(), shop.timeZone);
    if (!period) return c.text('看不懂这个时段，例：本月、上周、11月1日到11月20日', 400);
    const file = await deps.spreadsheets.exportEntries(shop, period);
    deps.logger.info({ shop: shop.id, rows: file.rows, caption: entriesCaption(shop.name, period.label, file.rows) }, 'web export');
    return new Response(bodyOf(file), { status: 200, headers: download(file.name) });
  });

  return auth;
}

const notice = (text: string, bad = false): Html => html`<div class="login"><p class="notice${bad ? ' bad' : ''}">${text}</p><p><a href="/login">怎么登录？</a></p></div>`;

function refused(c: Context, reason: 'forged' | 'spent'): Response | Promise<Response> {
  const text =
    reason === 'forged'
      ? '❌ 这个登录链接不对（可能复制时少了一截）。请在和机器人的私聊里重新发「网页」。'
      : `❌ 这个登录链接已用过或已过期（${LINK_MINUTES} 分钟内有效，只能用一次）。请在和机器人的私聊里重新发「网页」。`;
  return c.html(page('链接无效', notice(text, true)), reason === 'forged' ? 403 : 410);
}

function ownersOnly(c: Context): Response | Promise<Response> {
  return c.html(page('不能下载', notice('⛔ 表格含成本和利润，只有老板可以下载。', true)), 403);
}

/** Download headers; the name is in UTF-8 (RFC 6266) with an ASCII fallback. */
function download(name: string): Record<string, string> {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  };
}

/** A file's bytes, or its chunks as a web stream read as the browser takes them (a long export is never held whole). */
function bodyOf(file: FileContent): Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> {
  if ('bytes' in file) return file.bytes as Uint8Array<ArrayBuffer>;
  const it = file.stream[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}
