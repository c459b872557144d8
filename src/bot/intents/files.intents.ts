import { defineIntent, OWNERS } from './intent.ts';

/* Spreadsheets carry cost and profit, and an import writes many entries at once: owners only (and
   only in their private chat, see src/bot/files). The general help covers them in one closing line. */

export const exportFile = defineIntent({
  intent: 'export',
  verbs: ['导出'],
  label: '导出表格',
  help: {
    summary: '导出流水和利润或库存为 xlsx（老板私聊）',
    examples: ['导出 本月', '导出 上月', '导出 库存', '导出'],
    notes: [
      '不写时间就是本月；时间写法同报表：本周 上周 本月 上个月 最近7天 11月1日到11月20日。',
      'Telegram 和微信里直接收到文件；控制台里文件保存在本机，回复里写明路径。',
    ],
    general: false,
  },
  permission: OWNERS,
  writes: false,
});

export const importFile = defineIntent({
  intent: 'importFile',
  verbs: ['导入'],
  label: '导入表格',
  help: {
    summary: '导入期初库存或流水表格（老板私聊）',
    examples: ['导入 /home/me/期初库存.xlsx'],
    notes: [
      'Telegram 和微信里把 .xlsx 或 .csv 文件直接发给机器人；控制台里写「导入 文件路径」。',
      '先试导入、列出有问题的行，什么都不写；回复「确认导入」才写入账本（10 分钟内有效，重启也不丢）。',
    ],
    general: false,
  },
  permission: OWNERS,
  writes: false,
});

export const confirmImport = defineIntent({
  intent: 'confirmImport',
  verbs: ['确认导入'],
  label: '确认导入',
  help: {
    summary: '确认试导入过的表格，写入账本',
    examples: ['确认导入', '确认导入 跳过'],
    notes: ['「确认导入 跳过」只导入没问题的行，有问题的行列出来不导入。'],
    general: false,
  },
  permission: OWNERS,
  writes: false,
});

export const cancelImport = defineIntent({
  intent: 'cancelImport',
  verbs: ['取消'],
  label: '取消导入',
  help: {
    summary: '放弃试导入过的表格',
    examples: ['取消'],
    general: false,
  },
  permission: OWNERS,
  writes: false,
});
