import { beforeAll, describe, expect, it } from 'vitest';
import { forEachStore } from '../helpers/both-stores.ts';
import { jxc } from '../helpers/cli.ts';

interface StockJson {
  product: string;
  location: string;
  quantity: number;
  avgCost: string | null;
  value: string;
}
interface EntryJson {
  id: number;
  kind: string;
  product: string;
  quantity: number;
  unitPrice: string | null;
  amount: string;
  cost: string;
  channel: string | null;
  counterparty: string | null;
  actor: string;
  reverses: number | null;
}

forEachStore((store) => {
  describe('a conversation through the console chat on a real database', () => {
    let databaseUrl = '';
    beforeAll(() => {
      databaseUrl = store.url();
    });
    const lines = [
      '进货 T恤 50 件 单价 20',
      '入库 短裤 30条 15元，袜子 100双 共 250 元',
      '出货 T恤 3 件 单价 59',
      '卖了 T恤 2件 59元 淘宝',
      '出货 T恤 100 件 单价 59',
      '出货 T血 1 件 单价 59',
      '今天天气不错',
      '撤销',
      '查 T恤',
      '设置 T恤 预警 60',
      '查 缺货',
      '盘点 短裤 28',
      '调拨 T恤 10 件 到 天猫仓',
      '利润 本月',
    ];
    let out = '';

    it('answers each line', async () => {
      const r = await jxc(['chat', '--shop', '测试店', '--user', '小王'], { databaseUrl, input: `${lines.join('\n')}\n` });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      out = r.stdout;
      const replies = out.trimEnd().split('\n');
      expect(replies[0]).toBe('✅ #1 进货 T恤 50件 × 20.00 = 1,000.00 → 库存 50件（回复「撤销」可撤回）');
      expect(out).toContain('✅ #2 进货 短裤 30条 × 15.00 = 450.00 → 库存 30条');
      expect(out).toContain('✅ #3 进货 袜子 100双 × 2.50 = 250.00 → 库存 100双');
      expect(out).toContain('新商品已建档：短裤、袜子');
      expect(out).toContain('✅ #4 出货 T恤 3件 × 59.00 = 177.00 → 库存 47件');
      expect(out).toContain('✅ #5 出货 T恤 2件 × 59.00 = 118.00 淘宝 → 库存 45件');
      expect(out).toContain('❌ T恤 库存不足：默认仓 现有 45件，需要 100件');
      expect(out).toMatch(/❌ 没有找到商品「T血」。你是不是要找：T恤/);
      expect(out).toContain('没看懂');
      expect(out).toContain('↩️ 已撤销 #5 出货 T恤 2件（撤销记录 #6） → 库存 47件');
      expect(out).toContain('📦 T恤：47件，均价 20.00，金额 940.00');
      expect(out).toContain('✅ T恤 预警线：60件');
      expect(out).toMatch(/缺货\/低库存 1 种：\n· T恤 47件/);
      expect(out).toContain('✅ #7 盘点 短裤（盘亏 2条） → 库存 28条');
      expect(out).toContain('✅ #8 调拨 T恤 10件 默认仓 → 天猫仓（默认仓 余 37件，天猫仓 10件）');
      expect(out).toMatch(/💰 利润 本月.*\n销售额 177\.00 元，1 笔\n毛利 117\.00 元（成本 60\.00，毛利率 66\.1%）/);
    });

    it('leaves exactly the ledger the conversation describes', async () => {
      const stock = JSON.parse((await jxc(['export', 'stock', '--format', 'json', '--shop', '测试店'], { databaseUrl })).stdout) as StockJson[];
      expect(stock.map((s) => [s.product, s.location, s.quantity, s.avgCost, s.value])).toEqual([
        ['T恤', '天猫仓', 10, '20.00', '200.00'],
        ['T恤', '默认仓', 37, '20.00', '740.00'],
        ['短裤', '默认仓', 28, '15.00', '420.00'],
        ['袜子', '默认仓', 100, '2.50', '250.00'],
      ]);
      const entries = JSON.parse((await jxc(['export', 'entries', '--format', 'json'], { databaseUrl })).stdout) as EntryJson[];
      expect(entries.map((e) => [e.id, e.kind, e.product, e.quantity, e.amount, e.cost, e.reverses])).toEqual([
        [1, 'purchase', 'T恤', 50, '1000.00', '0.00', null],
        [2, 'purchase', '短裤', 30, '450.00', '0.00', null],
        [3, 'purchase', '袜子', 100, '250.00', '0.00', null],
        [4, 'sale', 'T恤', -3, '177.00', '60.00', null],
        [5, 'sale', 'T恤', -2, '118.00', '40.00', null],
        [6, 'reversal', 'T恤', 2, '-118.00', '-40.00', 5],
        [7, 'adjustment', '短裤', -2, '0.00', '30.00', null],
        [8, 'transfer_out', 'T恤', -10, '0.00', '0.00', null],
        [9, 'transfer_in', 'T恤', 10, '0.00', '0.00', null],
      ]);
      expect(entries[4]?.channel).toBe('淘宝');
      expect(new Set(entries.map((e) => e.actor))).toEqual(new Set(['小王']));
    });

    it('lets a staff member record but never shows cost', async () => {
      const r = await jxc(['chat', '--shop', '测试店', '--user', '小李', '--role', 'staff'], {
        databaseUrl,
        input: '进货 T恤 5 件 单价 20\n查 T恤\n利润 本月\n库存\n',
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('✅ #10 进货 T恤 5件 → 库存 42件');
      expect(r.stdout).not.toMatch(/@20\.00|均价|金额|毛利|成本/);
      expect(r.stdout).toContain('⛔ 利润只有「老板」可以查看');
    });

    it('lets a viewer query but not record', async () => {
      const r = await jxc(['chat', '--shop', '测试店', '--user', '访客', '--role', 'viewer'], { databaseUrl, input: '出货 T恤 1 件 单价 59\n查 T恤\n' });
      expect(r.stdout).toContain('⛔ 你的身份是「查看」，这个操作需要「店员」权限。');
      expect(r.stdout).toContain('📦 T恤：52件');
    });

    it('runs shop administration and the audit trail from the terminal', async () => {
      const r = await jxc(['chat', '--shop', '测试店', '--user', '小王'], { databaseUrl, input: '成员\n记录 #1\n设置 缺货提醒 开\n' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/成员 3 人[\s\S]*小王 @小王 — 老板[\s\S]*小李 @小李 — 店员[\s\S]*访客 @访客 — 查看/);
      expect(r.stdout).toMatch(/#1 \d\d-\d\d \d\d:\d\d 小王 进货 T恤 50件 @20\.00\n {3}来自 控制台 「进货 T恤 50 件 单价 20」/);
      expect(r.stdout).toContain('✅ 缺货提醒：开');
    });
  });

  // Each test starts the console on a database of its own, as a new user does: on SQLite a file that
  // is not there yet (the app creates and migrates it), on PostgreSQL the emptied test database.
  describe('the console as a tool', () => {
    it('calls the console user 控制台 whoever is logged in, and makes them the owner of a new database', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      const r = await jxc(['chat'], { databaseUrl, input: '进货 T恤 5 件 单价 20\n成员\n' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/成员 1 人[\s\S]*控制台 @控制台 — 老板/);
      const entries = JSON.parse((await jxc(['export', 'entries', '--format', 'json'], { databaseUrl })).stdout) as EntryJson[];
      expect(entries.map((e) => e.actor)).toEqual(['控制台']);
    });

    it('gives --role to a new console user only; a stored role changes only by 授权', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      expect((await jxc(['chat', '--user', '老王'], { databaseUrl, input: '进货 T恤 5 件 单价 20\n' })).code).toBe(0);
      const li = await jxc(['chat', '--user', '小李', '--role', 'viewer'], { databaseUrl, input: '出货 T恤 1 件\n' });
      expect(li.stdout).toContain('⛔ 你的身份是「查看」');
      // The flag does not promote a stored viewer…
      const again = await jxc(['chat', '--user', '小李', '--role', 'owner'], { databaseUrl, input: '出货 T恤 1 件\n' });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('⛔ 你的身份是「查看」');
      expect(again.stderr).toContain('「小李」在「我的店」已经是「查看」，--role 只给第一次进入的人设身份');
      expect(again.stderr).toContain('授权 @小李 老板');
      // …nor demote the owner.
      const wang = await jxc(['chat', '--user', '老王', '--role', 'viewer'], { databaseUrl, input: '出货 T恤 1 件 单价 59\n' });
      expect(wang.stdout).toContain('✅ #2 出货 T恤 1件');
      // The owner changes it in the chat.
      const grant = await jxc(['chat', '--user', '老王'], { databaseUrl, input: '授权 @小李 店员\n' });
      expect(grant.stdout).toContain('小李');
      const now = await jxc(['chat', '--user', '小李'], { databaseUrl, input: '出货 T恤 1 件 单价 59\n' });
      expect(now.stdout).toContain('✅ #3 出货 T恤 1件');
    });

    it('refuses an unknown --shop once shops exist, listing them; --create opens it', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      expect((await jxc(['chat', '--shop', '一店'], { databaseUrl, input: '进货 T恤 5 件 单价 20\n' })).code).toBe(0);
      const typo = await jxc(['chat', '--shop', '一点'], { databaseUrl, input: '进货 T恤 5 件 单价 20\n' });
      expect(typo.code).toBe(2);
      expect(typo.stdout).toBe('');
      expect(typo.stderr).toContain('没有店铺「一点」。现有店铺：「一店」');
      expect(typo.stderr).toContain('jxc chat --shop 一点 --create');
      expect(typo.stderr).toContain('开店 一点');
      const created = await jxc(['chat', '--shop', '二店', '--create'], { databaseUrl, input: '查 T恤\n' });
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('没有找到商品「T恤」');
      // Two shops and none named: the chat does not guess.
      const none = await jxc(['chat'], { databaseUrl, input: '查 T恤\n' });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('「一店」、「二店」');
      expect((await jxc(['chat'], { databaseUrl, input: '查 T恤\n', env: { JXC_SHOP: '一店' } })).stdout).toContain('📦 T恤：5件');
    });

    it('with --paragraph, an empty line ends a message, so a pasted block is one message', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      const r = await jxc(['chat', '--paragraph'], { databaseUrl, input: '进货\nT恤 5 件 单价 20\n\n查 T恤\n' });
      expect(r.code).toBe(0);
      const entries = JSON.parse((await jxc(['export', 'entries', '--format', 'json'], { databaseUrl })).stdout) as EntryJson[];
      expect(entries.map((e) => [e.kind, e.product, e.quantity])).toEqual([['purchase', 'T恤', 5]]);
      expect(r.stdout).toContain('📦 T恤：5件');
      // Line by line, the same input is three messages and the first is not understood.
      const lines = await jxc(['chat'], { databaseUrl: await store.fresh({ migrated: false }), input: '进货\nT恤 5 件 单价 20\n\n查 T恤\n' });
      expect(lines.stdout.trimEnd().split('\n').length).toBeGreaterThanOrEqual(3);
      expect(lines.stdout).not.toContain('✅ #1 进货 T恤');
    });

    it('keeps routine log lines out of a piped chat unless LOG_LEVEL asks for them', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      const input = '进货 T恤 5 件 单价 20\n今天天气不错\n';
      const quiet = await jxc(['chat'], { databaseUrl, input, env: { LOG_LEVEL: '' } });
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toBe('');
      expect(quiet.stdout).toContain('✅ #1 进货 T恤');
      const verbose = await jxc(['chat'], { databaseUrl, input: '查 T恤\n', env: { LOG_LEVEL: 'debug' } });
      expect(verbose.stderr).toMatch(/"level":\d+/);
      expect(verbose.stdout).not.toMatch(/"level":\d+/);
    });

    it('shows a welcome line and prompt on a terminal, none with --quiet', async () => {
      const databaseUrl = await store.fresh({ migrated: false });
      const tty = await jxc(['chat'], { databaseUrl, input: '查 T恤\n', tty: true });
      expect(tty.stdout).toContain('jxc-bot 控制台 · 店铺「我的店」· 控制台');
      expect(tty.stdout).toContain('> ');
      const quiet = await jxc(['chat', '--quiet'], { databaseUrl, input: '查 T恤\n', tty: true });
      expect(quiet.stdout).not.toContain('jxc-bot 控制台');
      expect(quiet.stdout).toContain('没有找到商品「T恤」');
    });
  });
});
