import { defineIntent, EVERYONE } from './intent.ts';

/* Stock questions and reports: read only, open to every role (cost and profit are masked elsewhere). */

export const query = defineIntent({
  intent: 'query',
  verbs: ['查询', '查看', '查', '库存', '还有多少', '还剩多少'],
  label: '查库存',
  topicWords: ['缺货', '积压'],
  help: {
    summary: '查库存',
    examples: ['查 T恤', '库存', 'T恤 还有多少', '查 T恤，短裤'],
    notes: ['也可以问：有没有T恤、T恤有货吗、T恤还有几件、看一下库存、查 缺货、查 积压。', '老板可以问「T恤 进价多少」。'],
  },
  permission: EVERYONE,
  writes: false,
});

export const report = defineIntent({
  intent: 'report',
  verbs: ['日报', '报表', '周报', '月报', '销量', '销售额', '利润', '毛利', '畅销', '滞销'],
  label: '报表',
  topicWords: ['报告', '报表'],
  help: {
    summary: '日报和报表',
    examples: ['日报', '周报', '利润 本月', '今天卖了多少'],
    notes: [
      '不写时间时：日报/报表 看今天，周报 看本周，月报/利润/销量 看本月，畅销/滞销 看最近30天。',
      '时间可写：今天 昨天 本周 上周 本月 上个月 今年 去年 最近7天 3月 去年12月 11月1日到11月20日。',
      '也可以问：今天几单、这周卖得最好的、T恤 这个月卖了多少、昨天的流水、销量 本月 按渠道、畅销 最近7天。',
      '后面加「图」发图片：日报 图、销量 本月 图、利润 本月 图（利润只给老板）。老板发「设置 日报 图片」每天的日报就发图片。',
    ],
  },
  permission: EVERYONE,
  writes: false,
});
