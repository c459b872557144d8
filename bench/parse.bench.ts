import { buildCatalogue, parseMessage, type CatalogueProduct, type ParseContext } from '../src/bot/parse/index.ts';

/**
 * Parse throughput on a mixed corpus of distinct generated messages (writes with prices, dates
 * and several items, queries, reports, settings, refusals and chatter), next to a floor measured
 * in the same run: a whitespace split plus one regex test per message. The ratio is what to
 * watch; absolute numbers depend on the machine. Times are CPU times of this process.
 */

const COLOURS = ['白色', '黑色', '灰色', '红色', '蓝色'];
const SIZES = ['S', 'M', 'L', 'XL'];

function catalogueProducts(): CatalogueProduct[] {
  const products: CatalogueProduct[] = [
    { name: 'T恤', aliases: ['白T', 'tshirt'], unit: '件', units: {} },
    { name: '短裤', aliases: ['裤子'], unit: '条', units: {} },
    { name: '可乐', aliases: ['可口可乐'], unit: '瓶', units: { 箱: 24 } },
    { name: '苹果', aliases: [], unit: '斤', units: {} },
    { name: '袜子', aliases: [], unit: '双', units: { 包: 5 } },
  ];
  for (const c of COLOURS) for (const s of SIZES) products.push({ name: `T恤 ${c} ${s}`, aliases: [], unit: '件', units: {} });
  // A realistic catalogue size, so name lookups are not measured on a toy index.
  for (let i = 0; i < 2000; i++) products.push({ name: `商品${i}号`, aliases: [`SKU${i}`], unit: '件', units: { 箱: 12 } });
  return products;
}

/** A small deterministic PRNG so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Builds at least `size` distinct messages. */
export function buildCorpus(size = 3000): string[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const verbs = ['进货', '入库', '采购', '到货', '出货', '出库', '卖了', '发货', '退货', '退供', '盘点', '调拨'];
  const names = ['T恤', '白T', '短裤', '可乐', '苹果', '袜子', 'T恤 白色 L', 'T恤 黑色 M', '卫衣 黑色', '商品17号', 'SKU5', '新款外套'];
  const quantities = ['3', '5件', '50 件', 'x20', '×12', '五十件', '两百件', '2箱', '1.5公斤', '数量 8', '一百二十个', '３０件'];
  const prices = ['', ' 单价 20', ' 20元', ' @59', ' ¥35.5', ' 每件 18', ' 二十块五', ' 共 1000 元', ' 三十四块七毛五', ' 8毛'];
  const tails = ['', ' 淘宝', ' 供应商 老王', ' 客户 张三', ' 京东', ' 从 总仓', ''];
  const dates = ['', '', '', '昨天 ', '前天 ', '上周五 ', '11月20日 '];
  const chatter = ['你好', '今天天气不错', '谁进货了吗？', '到货了吗', '老板在吗', '哈哈哈', '好的收到', '明天几点开会', '发货了没', '👍👍', "'; DROP TABLE items; --", '这个颜色好看', 'ok', '收到，谢谢'];
  const other = ['查 T恤', '库存', 'T恤 还有多少', '查 缺货', '查 积压', '撤销', '撤销 #12', '改 #123 数量 4', '改 #88 单价 25', '日报', '利润 本月', '销量 上周', '畅销 最近7天', '销量 本月 按渠道', '设置 T恤 预警 10', '设置 可乐 1箱=24瓶', '别名 T恤 白T tshirt', '帮助', '帮助 进货', '/help', '/stock'];
  const out = new Set<string>();
  let guard = 0;
  while (out.size < size && guard++ < size * 50) {
    const roll = r();
    if (roll < 0.2) {
      out.add(`${pick(chatter)}${r() < 0.5 ? '' : pick(['', '!', '～', ' 😀', ` ${Math.floor(r() * 100)}`])}${out.size % 7 === 0 ? ` #${out.size}` : ''}`);
    } else if (roll < 0.32) {
      out.add(`${pick(other)}${r() < 0.5 ? '' : ` ${pick(['', 'T恤', '本月', '#5'])}`}${out.size % 5 === 0 ? '' : ' '.repeat(1 + (out.size % 3))}`.trim() + (out.size % 11 === 0 ? '' : ''));
    } else {
      const verb = pick(verbs);
      const items = r() < 0.2 ? 2 : 1;
      const parts: string[] = [];
      for (let i = 0; i < items; i++) parts.push(`${pick(names)} ${pick(quantities)}${pick(prices)}`);
      const target = verb === '调拨' ? ' 到 天猫仓' : '';
      out.add(`${pick(dates)}${verb} ${parts.join('，')}${target}${pick(tails)}`);
    }
  }
  return [...out];
}

/** CPU milliseconds used by this process so far (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `fn` over the corpus until `budgetMs` of CPU time is spent; returns calls per CPU second.
 * CPU time rather than wall time because the target is "per core", and on a shared machine wall
 * time also counts the moments this process waited for a core.
 */
function timeLoop(corpus: readonly string[], budgetMs: number, fn: (text: string) => unknown): number {
  let n = 0;
  let sink = 0;
  const start = cpuMs();
  let elapsed = 0;
  do {
    for (const text of corpus) {
      if (fn(text) !== undefined) sink++;
      n++;
    }
    elapsed = cpuMs() - start;
  } while (elapsed < budgetMs);
  if (sink < 0) throw new Error('unreachable');
  return (n / elapsed) * 1000;
}

/** Parse throughput (messages/s) and a floor measured in the same run over the same corpus. */
export async function benchParse(): Promise<{ corpusSize: number; messagesPerSecond: number; floorPerSecond: number }> {
  const corpus = buildCorpus(3000);
  const ctx: ParseContext = {
    now: new Date('2026-11-27T04:00:00Z'),
    timeZone: 'Asia/Shanghai',
    catalogue: buildCatalogue(catalogueProducts()),
    botNames: ['jxcbot'],
  };
  const verb = /^(?:进货|出货|查|库存|日报)/;
  const floor = (text: string): boolean => text.split(/\s+/).length > 0 && verb.test(text);
  const parse = (text: string): unknown => parseMessage(text, ctx);
  // Warm both paths so the JIT has compiled them before measuring.
  timeLoop(corpus, 200, floor);
  timeLoop(corpus, 400, parse);
  const floorPerSecond = timeLoop(corpus, 500, floor);
  const messagesPerSecond = timeLoop(corpus, 1500, parse);
  return { corpusSize: corpus.length, messagesPerSecond: Math.round(messagesPerSecond), floorPerSecond: Math.round(floorPerSecond) };
}
