import type { Intent } from './command.ts';
import { INTENT_ORDER, intentDefinition } from './intents/index.ts';
import { INTENT_LABELS, INTENT_VERBS, intentForWord } from './parse/verbs.ts';

/**
 * The Chinese help the bot answers `帮助` / `?` / `/help` with. Every line is a message that
 * parses as written — help that teaches a phrasing the parser refuses would be worse than none.
 */

/** The intents the general help lists, one example each, in the registry's order. */
const GENERAL: readonly Intent[] = INTENT_ORDER.filter((i) => intentDefinition(i).help.general !== false);

function general(): string {
  const lines = ['📦 怎么用：每条消息写一件事，动词在前（进货、卖了、查…），前面可以加日期（昨天、25号）和渠道（京东）。'];
  for (const intent of GENERAL) {
    const t = intentDefinition(intent).help;
    lines.push(`• ${INTENT_LABELS[intent]}：${t.examples[0] ?? ''}  — ${t.summary}`);
  }
  lines.push('一条可以记多件商品，用逗号或换行隔开。发「帮助 进货」看详细说明。');
  lines.push('店铺管理（老板）：开店 店名 · 绑定码 / 绑定 码（接入别的群）· 关联码 / 关联 码（私聊里关联你在另一个平台的账号）· 解绑 · 成员 · 授权 @某人 店员|查看|老板 · 移除 @某人 · 设置 群成员 店员 · 记录 T恤 · 设置 缺货提醒 开 · 设置 滞销天数 30');
  lines.push('表格（老板私聊；Telegram、微信、控制台都可以）：发 .xlsx/.csv 文件导入（控制台写「导入 文件路径」），回复「确认导入」；发「导出 本月」「导出 上月」或「导出 库存」收到 xlsx。');
  lines.push(
    '平台订单（淘宝/天猫、拼多多、抖店、京东、微店、快手、小红书后台导出的订单表）也直接发给我：已付款的记销售（渠道就是平台，日期是付款时间），退款成功的再记退货，交易关闭、已取消、未付款的不记；金额记店铺实收（淘宝 买家实付金额、拼多多 商家实收金额、抖店 订单应付金额、京东 结算金额按行分摊）；按商家编码或商品名/别名对商品，对不上的列出来不记；同一订单行只记一次，重复导入不会重复记账。',
  );
  return lines.join('\n');
}

function detailed(intent: Intent): string {
  const t = intentDefinition(intent).help;
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
  const intent = (GENERAL as readonly string[]).includes(key) ? (key as Intent) : intentForWord(key);
  return intent === undefined ? general() : detailed(intent);
}
