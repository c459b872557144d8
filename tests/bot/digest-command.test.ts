import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestCommand } from '../../src/cli/digest-command.ts';
import { createConfig } from '../../src/config.ts';
import { createApp, type App } from '../../src/main.ts';
import { createService, createTestDb, source, TestClock, type TestDb } from '../helpers/db.ts';

// `jxc digest` prints the digest on the terminal: the owner's copy unless --audience staff.

let t: TestDb;
let app: App;
const clock = new TestClock(new Date('2026-11-27T06:00:00Z'));

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(args: string[]) {
  const out = sink();
  const err = sink();
  const code = await digestCommand(app, args, out.stream, err.stream);
  return { code, stdout: out.text(), stderr: err.text() };
}

beforeEach(async () => {
  t = createTestDb();
  app = await createApp(createConfig({ DATABASE_URL: `file:${join(t.dir, 'cli.db')}`, LOG_LEVEL: 'silent', JXC_SHOP: '我的店' }), { clock, logger: pino({ level: 'silent' }) });
});
afterEach(async () => {
  await app.close();
  t.cleanup();
});

describe('jxc digest', () => {
  it('prints the owner’s digest of today by default, and the staff copy on request', async () => {
    const shop = await app.shop();
    const svc = createService(app.store, clock);
    await svc.record(shop.id, { kind: 'purchase', items: [{ product: 'T恤', quantity: 10, unitPrice: 2000 }] }, source());
    await svc.record(shop.id, { kind: 'sale', channel: '淘宝', items: [{ product: 'T恤', quantity: 2, unitPrice: 5900 }] }, source());
    const owner = await run([]);
    expect(owner.code).toBe(0);
    expect(owner.stdout).toContain('📋 我的店 日报 11月27日（截至 14:00）\n📝 今日出入库 1 种：\n· T恤 进10件 出2件\n🛒 销售 1 笔，销售额 118.00 元\n· 淘宝 1 笔 118.00 元');
    expect(owner.stdout).toContain('库存金额 160.00 元');
    expect(owner.stdout).toContain('💰 今日毛利 78.00 元，毛利率 66.1%');
    const staff = await run(['--audience', 'staff']);
    expect(staff.stdout).not.toMatch(/金额 .*按平均成本|成本|毛利/);
    expect(staff.stdout.split('\n').length).toBe(owner.stdout.split('\n').length - 5);
    expect((app.db!.prepare('SELECT COUNT(*) AS n FROM DigestRun').get() as { n: number }).n).toBe(0);
  });

  it('prints a past date and picks the named shop', async () => {
    await app.shop('我的店');
    await app.shop('二店');
    const r = await run(['--shop', '二店', '--date', '2026-11-20']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('📋 二店 日报 11月20日\n这天没有进出库记录。\n');
  });

  it('refuses what it cannot do, saying why', async () => {
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('还没有店铺') });
    await app.shop('我的店');
    expect(await run(['--date', '2026-02-30'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--date 要写成 2026-11-27') });
    expect(await run(['--audience', 'boss'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--audience 只能是 owner 或 staff') });
    expect(await run(['--shop', '没有的店'])).toMatchObject({ code: 2, stderr: expect.stringContaining('没有店铺「没有的店」') });
    await app.shop('二店');
    app.config.shopName = '三店';
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('有多个店铺') });
  });

  it('writes the digest picture with --image, the staff copy on request', async () => {
    const shop = await app.shop();
    const svc = createService(app.store, clock);
    await svc.record(shop.id, { kind: 'purchase', items: [{ product: 'T恤', quantity: 10, unitPrice: 2000 }] }, source());
    await svc.record(shop.id, { kind: 'sale', channel: '淘宝', items: [{ product: 'T恤', quantity: 2, unitPrice: 5900 }] }, source());
    const image = join(t.dir, '日报.png');
    const owner = await run(['--image', image]);
    expect(owner.code).toBe(0);
    expect(owner.stdout).toContain('📋 我的店 日报 11月27日');
    expect(owner.stderr).toMatch(/^🖼 日报图片已保存到 .*日报\.png（\d+ KB）\n$/);
    const png = readFileSync(image);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const staffImage = join(t.dir, 'staff.png');
    expect((await run(['--image', staffImage, '--audience', 'staff'])).code).toBe(0);
    // The staff picture lacks the owner's cards: a different, shorter picture.
    expect(readFileSync(staffImage).readUInt32BE(20)).toBeLessThan(png.readUInt32BE(20));
    const bad = await run(['--image', join(t.dir, '日报.jpg')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--image 要写 PNG 文件名');
  });
});
