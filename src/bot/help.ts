import type { Intent } from './command.ts';
import { INTENT_LABELS, INTENT_VERBS, intentForWord } from './parse/verbs.ts';

/**
 * The Chinese help the bot answers `帮助` / `?` / `/help` with. Every line is a message that
 * parses as written — help that teaches a phrasing the parser refuses would be worse than none.
 */

interface Topic {
  /** One line of what it does. */
  summary: string;
  examples: readonly string[];
  /** Extra rules worth knowing, shown only in the detailed help. */
  notes?: readonly string[];
}

const TOPICS: Readonly<Record<Intent, Topic>> = {
  purchase: {
    summary: '进货入库（可写单价、总价、供应商）',
    examples: ['进货 T恤 50件 单价 20', '采购 T恤 x50 @20 供应商 老王', '进货 T恤 50件 20元，短裤 30条 15元', '昨天 进货 T恤 五十件 共 1000 元'],
    notes: [
      '单价可写 单价 20、20元、@20、¥20、每件 20；总价写 共/总价/合计 1000。',
      '新商品名会自动建档；名字和已有商品很像时会先问一句，确实是新商品就写「进货 新品 卫衣衣 10件 35」。',
      '平常的说法也行：「老板，今天到了50件T恤，单价20」「T恤到货50件 20一件」「进T恤50件20」。',
    ],
  },
  sale: {
    summary: '出货卖出（不写价格就用设置的售价）',
    examples: ['出货 T恤 3件 单价 59', '卖了 T恤 3件 59元 淘宝', '出库 T恤 3'],
    notes: [
      '渠道：淘宝 天猫 京东 拼多多 抖音 快手 小红书 微店 线下（tb pdd dy jd 也认），微信、朋友圈、得物等照写的记。',
      '每个商品可以有自己的渠道和客户：「卖了 T恤 1件 59 淘宝，短裤 1条 39 京东」；写在最前面或最后的对所有商品有效。',
      '后面多写的话记成备注：「卖了 T恤 1件 59 顾客要白色的」「… 单号 778899」（单号不会当成价格）。',
      '日期、渠道可以写在前面：「25号 拼多多 卖出 T恤 2件 59」；也可以写「京东卖了T恤2件59」。',
      '库存不够会拒绝，预售和代发商品除外。',
    ],
  },
  customerReturn: {
    summary: '客户退货回库',
    examples: ['退货 T恤 1件', '退货 T恤 1件 退款 59', '客退 T恤 2件 每件 59'],
    notes: ['「退款 59」是退给客户的总金额；按件退写「每件 59」。'],
  },
  supplierReturn: {
    summary: '退回给供应商',
    examples: ['退供 T恤 5件', '退厂 T恤 5件 供应商 老王'],
  },
  stocktake: {
    summary: '盘点，把库存改成实际数量（自动记盘盈/盘亏）',
    examples: ['盘点 T恤 45', '盘点 可乐 3箱', '盘点 T恤 45 在 门店'],
    notes: ['同一商品放在几个地方时，要写盘的是哪里（在 门店），不写会先问。'],
  },
  transfer: {
    summary: '在仓库之间调拨',
    examples: ['调拨 T恤 20件 到 天猫仓', '调拨 T恤 20件 从 总仓 到 天猫仓', '调拨 T恤 5件 门店→仓库'],
    notes: ['「仓库」「总仓」指默认仓（店里没有叫这个名字的地方时）。'],
  },
  query: {
    summary: '查库存',
    examples: ['查 T恤', '库存', 'T恤 还有多少', '查 T恤，短裤'],
    notes: ['也可以问：有没有T恤、T恤有货吗、T恤还有几件、看一下库存、查 缺货、查 积压。', '老板可以问「T恤 进价多少」。'],
  },
  undo: {
    summary: '撤销记录（回复某条记录发「撤销」也可以）',
    examples: ['撤销', '撤销 #123'],
    notes: ['撤销不会删除记录，而是记一笔相反的账。', '连发两次「撤销」不会接着往前撤；要撤更早的一条，写「撤销 #单号」。'],
  },
  correct: {
    summary: '改一条记录的数量或单价',
    examples: ['改 #123 数量 4', '改 #123 单价 25', '改 #123 数量 4 单价 25'],
    notes: ['改过的记录再改，会改最新的那一笔。'],
  },
  report: {
    summary: '日报和报表',
    examples: ['日报', '周报', '利润 本月', '今天卖了多少'],
    notes: [
      '不写时间时：日报/报表 看今天，周报 看本周，月报/利润/销量 看本月，畅销/滞销 看最近30天。',
      '时间可写：今天 昨天 本周 上周 本月 上个月 今年 去年 最近7天 3月 去年12月 11月1日到11月20日。',
      '也可以问：今天几单、这周卖得最好的、T恤 这个月卖了多少、昨天的流水、销量 本月 按渠道、畅销 最近7天。',
    ],
  },
  setting: {
    summary: '设置预警、售价、换算等',
    examples: ['设置 T恤 预警 10', '设置 T恤 售价 59', '设置 可乐 1箱=24瓶', '设置 日报 21:00'],
    notes: [
      '还可以设置：积压 200、交期 7（天）、预售/代发/普通、编码 TS-001、时区 Asia/Shanghai。',
    ],
  },
  alias: {
    summary: '给商品起别名',
    examples: ['别名 T恤 白T tshirt'],
  },
  help: {
    summary: '看帮助',
    examples: ['帮助', '帮助 进货'],
  },
  export: {
    summary: '导出流水和利润或库存为 xlsx（老板私聊）',
    examples: ['导出 本月', '导出 上月', '导出 库存', '导出'],
    notes: [
      '不写时间就是本月；时间写法同报表：本周 上周 本月 上个月 最近7天 11月1日到11月20日。',
      'Telegram 和微信里直接收到文件；控制台里文件保存在本机，回复里写明路径。',
    ],
  },
  importFile: {
    summary: '导入期初库存或流水表格（老板私聊）',
    examples: ['导入 /home/me/期初库存.xlsx'],
    notes: [
      'Telegram 和微信里把 .xlsx 或 .csv 文件直接发给机器人；控制台里写「导入 文件路径」。',
      '先试导入、列出有问题的行，什么都不写；回复「确认导入」才写入账本（10 分钟内有效，重启也不丢）。',
    ],
  },
  confirmImport: {
    summary: '确认试导入过的表格，写入账本',
    examples: ['确认导入', '确认导入 跳过'],
    notes: ['「确认导入 跳过」只导入没问题的行，有问题的行列出来不导入。'],
  },
  cancelImport: {
    summary: '放弃试导入过的表格',
    examples: ['取消'],
  },
};

const ORDER: readonly Intent[] = [
  'purchase', 'sale', 'customerReturn', 'supplierReturn', 'stocktake', 'transfer',
  'query', 'undo', 'correct', 'report', 'setting', 'alias', 'help',
];

function general(): string {
  const lines = ['📦 怎么用：每条消息写一件事，动词在前（进货、卖了、查…），前面可以加日期（昨天、25号）和渠道（京东）。'];
  for (const intent of ORDER) {
    const t = TOPICS[intent];
    lines.push(`• ${INTENT_LABELS[intent]}：${t.examples[0] ?? ''}  — ${t.summary}`);
  }
  lines.push('一条可以记多件商品，用逗号或换行隔开。发「帮助 进货」看详细说明。');
  lines.push('店铺管理（老板）：开店 店名 · 绑定码 / 绑定 码（接入别的群）· 关联码 / 关联 码（私聊里关联你在另一个平台的账号）· 解绑 · 成员 · 授权 @某人 店员|查看|老板 · 移除 @某人 · 设置 群成员 店员 · 记录 T恤 · 设置 缺货提醒 开 · 设置 滞销天数 30');
  lines.push('表格（老板私聊；Telegram、微信、控制台都可以）：发 .xlsx/.csv 文件导入（控制台写「导入 文件路径」），回复「确认导入」；发「导出 本月」「导出 上月」或「导出 库存」收到 xlsx。');
  return lines.join('\n');
}

function detailed(intent: Intent): string {
  const t = TOPICS[intent];
  const verbs = (INTENT_VERBS[intent] as readonly string[]).filter((v) => v !== '?').join(' ');
  const lines = [`📖 ${INTENT_LABELS[intent]}：${t.summary}`, `动词：${verbs}`, '例子：'];
  for (const e of t.examples.slice(0, 4)) lines.push(`  ${e}`);
  for (const n of t.notes ?? []) lines.push(n);
  return lines.join('\n');
}

/**
 * Help text. Without a topic, every intent with one example; with a topic (an intent name such
 * as `purchase`, or a word such as 进货 / 出货 / 查 / 撤销 / 设置) that intent with 2–4
 * examples. An unknown topic gets the general list.
 */
export function helpText(topic?: string): string {
  if (topic === undefined || topic.trim().length === 0) return general();
  const key = topic.trim();
  const intent = (ORDER as readonly string[]).includes(key) ? (key as Intent) : intentForWord(key);
  return intent === undefined ? general() : detailed(intent);
}
