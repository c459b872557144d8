import { defineIntent, OWNERS, RECORDERS } from './intent.ts';

/* Product settings and aliases: they change the catalogue, not the ledger. */

export const setting = defineIntent({
  intent: 'setting',
  verbs: ['设置', '设定'],
  label: '设置',
  topicWords: ['预警', '售价', '换算', '时区'],
  help: {
    summary: '设置预警、售价、换算等',
    examples: ['设置 T恤 预警 10', '设置 T恤 售价 59', '设置 可乐 1箱=24瓶', '设置 日报 21:00'],
    notes: [
      '还可以设置：积压 200、交期 7（天）、预售/代发/普通、编码 TS-001、时区 Asia/Shanghai。',
      '一件代发：设置 手机壳 代发 供应商 老李 进价 6（新商品会自动建档）；每卖一件按进价记成本、记在老李名下，不动库存，发「应付 老李」查看。改回：设置 手机壳 取消代发。',
    ],
  },
  permission: OWNERS,
  writes: false,
});

export const alias = defineIntent({
  intent: 'alias',
  verbs: ['别名'],
  label: '别名',
  help: {
    summary: '给商品起别名',
    examples: ['别名 T恤 白T tshirt'],
  },
  permission: RECORDERS,
  writes: false,
});
