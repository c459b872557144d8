import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusalText } from '../../../src/bot/refusals.ts';
import { webCharts } from '../../../src/web-charts.ts';
import { cookieOf, createWebFixture, PUBLIC_URL, type WebFixture } from './harness.ts';

let f: WebFixture;
beforeEach(async () => {
  f = await createWebFixture();
});
afterEach(() => f.close());

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) => f.http.app.request(path, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  f.http.app.request(path, { method: 'POST', body: new URLSearchParams(body), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });

/** Signs in with a fresh link from 「网页」 and returns the session cookie. */
async function signIn(who: 'boss' | 'li'): Promise<string> {
  const response = await post(await f.linkFor(who), {});
  expect(response.status).toBe(303);
  expect(response.headers.get('Location')).toBe('/stock');
  const set = response.headers.get('Set-Cookie') ?? '';
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Lax/);
  expect(set).toMatch(/Secure/);
  return cookieOf(response);
}

describe('signing in by link', () => {
  it('answers 网页 in private chats only, and not to viewers', async () => {
    expect(await f.say('p-boss', 'boss', '网页')).toMatch(new RegExp(`^🌐 网页登录链接（10 分钟内有效，只能用一次）：\\n${PUBLIC_URL}/login/\\S+\\n.*成本`));
    expect(await f.say('p-li', 'li', '网页')).toContain('店员视图');
    expect(await f.say('g1', 'boss', '网页')).toBe(refusalText({ code: 'WEB_PRIVATE_ONLY' }));
    await f.say('g1', 'wang', '你好');
    expect(await f.say('g1', 'boss', '授权 @wang 查看')).toContain('查看');
    expect(await f.say('g1', 'wang', '网页')).toContain('需要「店员」权限');
  });

  it('shows 确认登录 on GET without spending the link; only the POST signs in, once', async () => {
    const link = await f.linkFor('boss');
    for (let i = 0; i < 2; i++) {
      const shown = await get(link);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('Referrer-Policy')).toBe('same-origin');
      expect(await shown.text()).toContain('确认登录');
    }
    const signed = await post(link, {});
    expect(signed.status).toBe(303);
    const replay = await post(link, {});
    expect(replay.status).toBe(410);
    expect(replay.headers.get('Set-Cookie')).toBeNull();
    expect(await replay.text()).toContain('已用过或已过期');
    expect((await get(link)).status).toBe(410);
  });

  it('refuses forged and altered links', async () => {
    const link = await f.linkFor('boss');
    const [id, nonce, sig] = link.slice('/login/'.length).split('.') as [string, string, string];
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [`/login/${id}.${nonce}.${flipped}`, `/login/${Number(id) + 1}.${nonce}.${sig}`, `/login/${id}.${nonce}x.${sig}`, '/login/nonsense']) {
      const response = await post(forged, {});
      expect(response.status, forged).toBe(403);
      expect(response.headers.get('Set-Cookie')).toBeNull();
    }
    // The real link still works afterwards: a forgery spends nothing.
    expect((await post(link, {})).status).toBe(303);
  });

  it('says the web view is off when nothing serves it', async () => {
    f.app.engine.web.unregister(f.issuer);
    expect(await f.say('p-boss', 'boss', '网页')).toBe(refusalText({ code: 'WEB_OFF' }));
  });

  it('refuses a link after 10 minutes', async () => {
    const link = await f.linkFor('boss');
    f.clock.advance(10 * 60_000 + 1);
    expect((await get(link)).status).toBe(410);
    expect((await post(link, {})).status).toBe(410);
  });

  it('refuses a link signed with another key (another installation)', async () => {
    const other = await createWebFixture();
    try {
      const foreign = await other.linkFor('boss');
      expect((await post(foreign, {})).status).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('refuses a sign-in posted from another site', async () => {
    const response = await post(await f.linkFor('boss'), {}, { Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });
});

describe('sessions', () => {
  it('serves nothing without a session: pages redirect to /login, htmx gets 401', async () => {
    for (const path of ['/', '/stock', '/ledger', '/reports', '/export/stock.xlsx', '/export/entries.xlsx']) {
      const response = await get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('Location')).toBe('/login');
    }
    const htmx = await get('/ledger?q=卫衣', undefined, { 'HX-Request': 'true' });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get('HX-Redirect')).toBe('/login');
    expect((await get('/stock', 'jxc_session=made-up.value')).status).toBe(302);
    // The login page and htmx itself are public.
    expect((await get('/login')).status).toBe(200);
    const script = await get('/static/htmx.min.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('htmx');
  });

  it('checks the CSRF token on every POST, and 退出 ends the session', async () => {
    const cookie = await signIn('boss');
    const stock = await (await get('/stock', cookie)).text();
    const csrf = stock.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    expect(csrf).toBeTruthy();
    expect((await post('/logout', {}, { Cookie: cookie })).status).toBe(403);
    expect((await post('/logout', { _csrf: `${csrf}x` }, { Cookie: cookie })).status).toBe(403);
    expect((await post('/logout', { _csrf: csrf }, { Cookie: cookie, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await get('/stock', cookie)).status).toBe(200);
    const out = await post('/logout', { _csrf: csrf }, { Cookie: cookie, Origin: PUBLIC_URL });
    expect(out.status).toBe(303);
    expect((await get('/stock', cookie)).status).toBe(302);
  });

  it('ends a removed person’s session and downgrades a demoted owner at once', async () => {
    const staff = await signIn('li');
    expect((await get('/stock', staff)).status).toBe(200);
    expect(await f.say('g1', 'boss', '移除 @li')).toContain('移出');
    expect((await get('/stock', staff)).status).toBe(302);
    expect(await f.say('g1', 'li', '大家好')).toBeUndefined();
    // A second owner signs in to the owner view, then is made staff: the cost columns go.
    await f.say('g1', 'wang', '你好');
    expect(await f.say('g1', 'boss', '授权 @wang 老板')).toContain('老板');
    const code = (await f.say('p-boss', 'boss', '绑定码'))?.match(/绑定码 (\w+)/)?.[1];
    expect(await f.say('p-wang', 'wang', `绑定 ${code}`)).toContain('老板私聊');
    const cookie = cookieOf(await post(await f.linkFor('wang'), {}));
    expect(await (await get('/stock', cookie)).text()).toContain('金额');
    expect(await f.say('g1', 'boss', '授权 @wang 店员')).toContain('店员');
    const after = await get('/stock', cookie);
    expect(after.status).toBe(200);
    expect(await after.text()).not.toContain('金额');
  });

  it('expires after 7 days', async () => {
    const cookie = await signIn('boss');
    f.clock.advance(7 * 86_400_000 - 1000);
    expect((await get('/stock', cookie)).status).toBe(200);
    f.clock.advance(2000);
    expect((await get('/stock', cookie)).status).toBe(302);
  });
});

describe('pages', () => {
  it('shows the owner stock with value, searchable by name and location', async () => {
    const cookie = await signIn('boss');
    const page = await (await get('/stock', cookie)).text();
    expect(page).toContain('<th class="n">金额</th>');
    // 卫衣 17 × 35.00 = 595.00; 帆布包 8 × 12.00 = 96.00.
    expect(page).toMatch(/卫衣[\s\S]*17件[\s\S]*595\.00/);
    expect(page).toContain('金额 691.00 元');
    const found = await (await get(`/stock?q=${encodeURIComponent('帆布')}`, cookie)).text();
    expect(found).toContain('帆布包');
    expect(found).not.toContain('>卫衣<');
    expect(page).toContain('href="/export/stock.xlsx"');
  });

  it('never shows staff cost, value, purchase prices or profit', async () => {
    const cookie = await signIn('li');
    const stock = await (await get('/stock', cookie)).text();
    expect(stock).toContain('17件');
    expect(stock).not.toContain('金额');
    expect(stock).not.toContain('595.00');
    expect(stock).not.toContain('/export/');
    const ledger = await (await get('/ledger', cookie)).text();
    expect(ledger).toContain('267.00'); // 3 × 89.00: a sale's amount is not cost
    expect(ledger).not.toMatch(/35\.00|700\.00|12\.00|120\.00/); // purchase prices and amounts
    expect(ledger).toContain('「进货 卫衣 20 件 单价 ** 供应商 老张」'); // the original message, masked
    expect(ledger).not.toContain('<th class="n">成本</th>');
    const profit = await (await get('/reports?kind=profit', cookie)).text();
    expect(profit).toContain(refusalText({ code: 'PROFIT_OWNER_ONLY' }));
    const sales = await (await get('/reports?kind=sales', cookie)).text();
    expect(sales).toContain('345.00'); // 267 + 78 revenue
    expect(sales).not.toContain('毛利');
    expect((await get('/export/stock.xlsx', cookie)).status).toBe(403);
    expect((await get('/export/entries.xlsx?period=本月', cookie)).status).toBe(403);
  });

  it('filters the ledger by product, kind, person and period, with the original message, and pages', async () => {
    const cookie = await signIn('boss');
    const ledger = async (query: string) => (await get(`/ledger?${query}`, cookie)).text();
    const all = await ledger('');
    expect(all).toContain('共 4 条');
    expect(all).toContain('「卖了 卫衣 3 件 单价 89 淘宝 顾客要白色的」');
    expect(all).toContain('<th class="n">成本</th>');
    expect(await ledger(`q=${encodeURIComponent('白色')}`)).toContain('共 1 条');
    expect(await ledger('kind=purchase')).toContain('共 2 条');
    expect(await ledger(`actor=${encodeURIComponent('telegram:li')}`)).toContain('共 2 条');
    const products = all.match(/<option value="(\d+)">帆布包<\/option>/)?.[1];
    expect(await ledger(`product=${products}`)).toContain('共 2 条');
    expect(await ledger(`period=${encodeURIComponent('上个月')}`)).toContain('共 0 条');
    expect(await ledger(`period=${encodeURIComponent('本月')}`)).toContain('共 4 条');
    expect(await ledger(`period=${encodeURIComponent('哈哈')}`)).toContain('看不懂时段「哈哈」');
    for (let i = 0; i < 50; i++) expect(await f.say('p-boss', 'boss', `进货 帆布包 1 个 单价 12 第${i}批`)).toContain('✅');
    const first = await ledger('');
    expect(first).toContain('共 54 条');
    expect(first).toContain('第 1 / 2 页');
    const second = await ledger('page=2');
    expect(second).toContain('第 2 / 2 页');
    expect(second).toContain('>#1<');
  });

  it('shows the reports with the chat’s figures', async () => {
    const cookie = await signIn('boss');
    const daily = await (await get('/reports', cookie)).text();
    expect(daily).toContain('销售额');
    expect(daily).toContain('345.00 元');
    expect(daily).toMatch(/淘宝[\s\S]*267\.00/);
    const profit = await (await get(`/reports?kind=profit&period=${encodeURIComponent('本月')}`, cookie)).text();
    // Revenue 345.00, cost 3 × 35 + 2 × 12 = 129.00, gross profit 216.00.
    expect(profit).toMatch(/345\.00[\s\S]*129\.00[\s\S]*216\.00/);
  });

  it('draws the reports’ charts with the pictures’ SVG charts when they are wired in (as jxc start does)', async () => {
    await f.close();
    f = await createWebFixture({ charts: webCharts });
    const cookie = await signIn('boss');
    const daily = await (await get('/reports', cookie)).text();
    expect(daily).toMatch(/<figure class="chart" aria-label="按渠道销售额"><svg[^>]*>[\s\S]*淘宝[\s\S]*<\/svg><\/figure>/);
    const staffCookie = await signIn('li');
    const staff = await (await get(`/reports?kind=profit&period=${encodeURIComponent('本月')}`, staffCookie)).text();
    expect(staff).not.toContain('毛利');
  });

  it('downloads the xlsx exports, streamed', async () => {
    const cookie = await signIn('boss');
    for (const [path, sheetWord] of [
      ['/export/stock.xlsx', '卫衣'],
      [`/export/entries.xlsx?period=${encodeURIComponent('本月')}`, '顾客要白色的'],
    ] as const) {
      const response = await get(path, cookie);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; .*filename\*=UTF-8''/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      const cells = book.worksheets.flatMap((s) => s.getSheetValues().flat().map(String));
      expect(cells.some((c) => c.includes(sheetWord)), path).toBe(true);
    }
    // The entries export starts a worker thread: slow on a busy machine.
  }, 120_000);
});
