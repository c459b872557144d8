import { defineIntent, OWNERS } from '../intent.ts';

/* 应付: what the shop owes its dropship suppliers; cost data, so owners only. */

export const payables = defineIntent({
  intent: 'payables',
  verbs: ['应付账款', '应付款', '应付'],
  label: '应付',
  topicWords: ['代发', '一件代发', '供应商'],
  help: {
    summary: '查欠代发供应商的货款',
    examples: ['应付 老李 本月', '应付', '应付 老李 上月'],
    notes: [
      '先把商品设成代发：设置 手机壳 代发 供应商 老李 进价 6。之后每卖一件都按进价记成本、记在老李名下，不动库存；退货和撤销会扣回。',
      '只算一件代发：进货默认当场付清，不算应付（分不清哪笔进货是赊的，宁可不算也不算错）。',
      '不写时间看本月；时间可写：上月 本周 最近30天 11月1日到11月20日。',
      '成本数据：只有老板可以查看，店员在的群里不显示。',
    ],
  },
  permission: OWNERS,
  writes: false,
});
