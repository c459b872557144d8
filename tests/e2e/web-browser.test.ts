import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebFixture, type WebFixture } from '../adapters/web/harness.ts';

/**
 * The web view in a real browser: Debian's chromium, headless, driven by playwright-core. Signs in by
 * the link 「网页」 answers with, searches the ledger (htmx swaps the results in), downloads the xlsx
 * and checks it opens, and takes the README's screenshot. .ci/run installs chromium; elsewhere the
 * test is skipped when it is not installed.
 */

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && !process.env.CI) console.warn(`web-browser.test.ts skipped: ${CHROMIUM} is not installed (apt-get install -y chromium fonts-wqy-microhei).`);

const SCREENSHOT = new URL('../../docs/web-example.png', import.meta.url);

describe.skipIf(!present && !process.env.CI)('the web view in chromium', () => {
  let f: WebFixture;
  let context: BrowserContext;
  let base: string;
  let profile: string;

  beforeAll(async () => {
    f = await createWebFixture({ publicUrl: 'http://127.0.0.1' });
    const { port } = await f.http.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    profile = mkdtempSync(join(tmpdir(), 'jxc-chromium-'));
    // A new, empty profile directory for this run (playwright passes it as --user-data-dir).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 760 },
      locale: 'zh-CN',
      acceptDownloads: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await f?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in by link, searches the ledger, downloads the xlsx and takes a screenshot', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const link = await f.linkFor('boss');

    await page.goto(`${base}${link}`);
    await expect.poll(() => page.textContent('h1')).toBe('确认登录');
    await page.click('button:has-text("确认登录")');
    await page.waitForURL(`${base}/stock`);
    expect(await page.textContent('header')).toContain('小店');
    expect(await page.textContent('#results')).toContain('691.00');

    // The same link a second time: refused.
    const again = await context.newPage();
    const response = await again.goto(`${base}${link}`);
    expect(response?.status()).toBe(410);
    await again.close();

    await page.click('nav a:has-text("流水")');
    await page.waitForURL(`${base}/ledger`);
    await page.fill('input[name="q"]', '白色');
    // htmx replaces the results without a page load and puts the search in the address.
    await page.waitForURL(/q=%E7%99%BD%E8%89%B2/);
    await expect.poll(() => page.textContent('#results')).toContain('共 1 条');
    expect(await page.textContent('#results')).toContain('卖了 卫衣 3 件 单价 89 淘宝 顾客要白色的');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("下载流水 xlsx")')]);
    const file = join(profile, 'download.xlsx');
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const cells = book.worksheets.flatMap((s) => s.getSheetValues().flat().map(String));
    expect(cells.some((c) => c.includes('顾客要白色的'))).toBe(true);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    await page.fill('input[name="q"]', '');
    await expect.poll(() => page.textContent('#results')).toContain('共 4 条');
    mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  }, 180_000);
});
