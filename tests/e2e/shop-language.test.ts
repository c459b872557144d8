import { beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../helpers/both-stores.ts';
import { jxc } from '../helpers/cli.ts';

// A day of a small shop's group, written the way staff write (channels before the verb, glued
// verbs, notes, order numbers, locations), through the real console chat on a real database (SQLite and PostgreSQL);
// the books are then read back through the export, as the accountant would.

interface EntryJson {
  id: number;
  kind: string;
  product: string;
  location: string | null;
  quantity: number;
  unitPrice: string | null;
  amount: string;
  channel: string | null;
  counterparty: string | null;
  note: string | null;
  reverses: number | null;
}

forEachStore((store) => {
  describe('a shop day in everyday words, checked by the export', () => {
    let databaseUrl = '';
    beforeAll(() => {
      databaseUrl = store.url();
    });
    const lines = [
      '老板，今天到了50件卫衣，单价35',
      '帆布包入库 100个 12 供应商 老王',
      '卖卫衣2件89',
      '京东 卖了 帆布包 1个 39',
      '卖了 卫衣 1件 89 tb 单号 778899',
      '卖了 卫衣 1件 89 淘宝 顾客要白色的，帆布包 2个 35 得物',
      '卫衣 2件 89',
      '好的收到',
      '调拨 帆布包 10个 到 门店',
      '门店 卖了 帆布包 1个 39',
      '客户退了 卫衣 1件',
      '改 #3 数量 3 单价 85',
      '撤销',
      '撤销',
      '帆布包还有几个',
    ];
    let out = '';

    it('answers each line', async () => {
      const r = await jxc(['chat', '--shop', '小店', '--user', '小王'], { databaseUrl, input: `${lines.join('\n')}\n` });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      out = r.stdout;
      expect(out).toContain('✅ #1 进货 卫衣 50件 × 35.00 = 1,750.00 → 库存 50件');
      expect(out).toContain('✅ #3 出货 卫衣 2件 × 89.00 = 178.00 → 库存 48件');
      expect(out).toContain('✅ #4 出货 帆布包 1个 × 39.00 = 39.00 京东 → 库存 99个');
      expect(out).toContain('💡 「卫衣 2件 89」是进货还是卖出？');
      expect(out).toContain('门店 库存 9个');
      expect(out).toMatch(/⛔ 刚才已经撤销过一次/);
      expect(out).toMatch(/📦 帆布包：\d+个（默认仓 \d+个，门店 9个）/);
    });

    it('leaves the books the conversation describes', async () => {
      const entries = JSON.parse((await jxc(['export', 'entries', '--format', 'json', '--shop', '小店'], { databaseUrl })).stdout) as EntryJson[];
      const rows = entries.map((e) => [e.id, e.kind, e.product, e.location, e.quantity, e.unitPrice, e.channel, e.counterparty, e.note, e.reverses]);
      expect(rows).toEqual([
        [1, 'purchase', '卫衣', '默认仓', 50, '35.00', null, null, null, null],
        [2, 'purchase', '帆布包', '默认仓', 100, '12.00', null, '老王', null, null],
        [3, 'sale', '卫衣', '默认仓', -2, '89.00', null, null, null, null],
        [4, 'sale', '帆布包', '默认仓', -1, '39.00', '京东', null, null, null],
        [5, 'sale', '卫衣', '默认仓', -1, '89.00', '淘宝', null, '单号 778899', null],
        [6, 'sale', '卫衣', '默认仓', -1, '89.00', '淘宝', null, '顾客要白色的', null],
        [7, 'sale', '帆布包', '默认仓', -2, '35.00', '得物', null, null, null],
        [8, 'transfer_out', '帆布包', '默认仓', -10, null, null, null, null, null],
        [9, 'transfer_in', '帆布包', '门店', 10, null, null, null, null, null],
        [10, 'sale', '帆布包', '门店', -1, '39.00', null, null, null, null],
        [11, 'customer_return', '卫衣', '默认仓', 1, null, null, null, null, null],
        [12, 'reversal', '卫衣', '默认仓', 2, '89.00', null, null, null, 3],
        [13, 'sale', '卫衣', '默认仓', -3, '85.00', null, null, null, null],
        [14, 'reversal', '卫衣', '默认仓', 3, '85.00', null, null, null, 13],
      ]);
    });
  });
});
