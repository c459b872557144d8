import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jxc } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'jxc-orders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/orders/${name}`, import.meta.url));

describe('jxc import orders: the same order file imported twice', () => {
  const databaseUrl = `file:${join(dir, 'orders.db')}`;
  const opening = file('期初库存.csv', ['商品,编码,单位,数量,成本,售价', 'T恤,TS-01,件,50,20,59', '短裤,DK-01,件,30,15,39', '袜子,,双,100,2.5,9.9', ''].join('\n'));
  // The 拼多多 export as Excel in China saves it: GBK.
  const orders = file('拼多多订单.csv', iconv.encode(fixture('pinduoduo.csv').toString('utf8').replace(/^\uFEFF/, ''), 'gbk'));
  const entries = async () => (await jxc(['export', 'entries', '--format', 'json', '--shop', '网店'], { databaseUrl })).stdout;
  const stock = async () =>
    (JSON.parse((await jxc(['export', 'stock', '--format', 'json', '--shop', '网店'], { databaseUrl })).stdout) as { product: string; quantity: number }[]).map((s) => [s.product, s.quantity]);

  it('refuses orders for a shop that does not exist yet', async () => {
    const r = await jxc(['import', 'orders', orders, '--shop', '网店'], { databaseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('还没有店铺「网店」');
  });

  it('previews, imports, and the second import writes nothing', async () => {
    // Opening stock dated before the orders, so every sale finds its goods at the time it happened.
    expect((await jxc(['import', 'stock', opening, '--shop', '网店', '--date', '2026-11-01'], { databaseUrl })).code).toBe(0);
    const opened = await entries();

    const preview = await jxc(['import', 'orders', orders, '--shop', '网店', '--dry-run'], { databaseUrl });
    expect(preview.stderr).toBe('');
    expect(preview.stdout).toContain('🔍 试导入拼多多订单：拼多多订单.csv（csv，编码 GB18030）');
    expect(preview.stdout).toContain('✅ 将记销售 3 行：数量 4，金额 185.00 元（渠道 拼多多）');
    expect(preview.stdout).toContain('（试导入，没有写入任何数据）');
    expect(await entries()).toBe(opened);

    const first = await jxc(['import', 'orders', orders, '--shop', '网店'], { databaseUrl });
    // One title matched no product: listed, not recorded, so the exit code says not everything was.
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('✅ 已记销售 3 行：数量 4，金额 185.00 元（渠道 拼多多）');
    expect(first.stdout).toContain('↩️ 已记退货 1 行（退款成功的订单）：数量 1，退款 59.00 元');
    expect(first.stdout).toContain('⏭️ 跳过 1 行：已取消 1 行（没有成交，不记账）');
    expect(first.stdout).toContain('❓ 没对上商品，没有记账 1 行：\n  「冰丝袖套防晒 浅灰」（第 6 行）');
    expect(first.stdout).toContain('金额：拼多多按「商家实收金额」记');
    expect(await stock()).toEqual([['T恤', 49], ['短裤', 28], ['袜子', 100]]);
    const recorded = await entries();
    const all = JSON.parse(recorded) as { kind: string; channel: string | null }[];
    // 3 opening lines without a channel, then 3 sales and 1 return on 拼多多.
    expect(all.map((e) => e.channel)).toEqual([null, null, null, '拼多多', '拼多多', '拼多多', '拼多多']);

    const again = await jxc(['import', 'orders', orders, '--shop', '网店'], { databaseUrl });
    expect(again.stdout).toContain('之前已导入过 4 笔（同一平台、订单号和商品行），这次没有重复记录。');
    expect(again.stdout).toContain('没有要导入的新内容，账本没有变化。');
    expect(await entries()).toBe(recorded);
    expect(await stock()).toEqual([['T恤', 49], ['短裤', 28], ['袜子', 100]]);
  });

  it('explains an unknown platform and a file that is not an order export', async () => {
    const r = await jxc(['import', 'orders', orders, '--shop', '网店', '--platform', '亚马逊'], { databaseUrl });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('❌ 不认识平台「亚马逊」');
    const notOrders = await jxc(['import', 'orders', opening, '--shop', '网店'], { databaseUrl });
    expect(notOrders.stdout).toContain('❌ 认不出这是哪个平台的订单导出');
    expect(notOrders.stdout).toContain('没有写入任何数据。');
  });
});
