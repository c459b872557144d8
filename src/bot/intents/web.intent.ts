import { defineIntent, RECORDERS } from './intent.ts';

/*
 * 网页: a one-time link to the web view (stock, ledger, reports, downloads) in a browser. Owners in
 * their private chat get the owner's view (cost, value and profit); staff in a private chat get the
 * staff view, which shows none of them; viewers get none. Never in groups: everyone there would see
 * the link.
 */

export const web = defineIntent({
  intent: 'web',
  verbs: ['网页', '网页版', '网页登录', '登录网页'],
  label: '网页',
  topicWords: ['网页', '浏览器', '电脑'],
  help: {
    summary: '在电脑或手机浏览器里看库存、流水和报表（私聊）',
    examples: ['网页'],
    notes: [
      '在和我的私聊里发「网页」，收到一个登录链接（10 分钟内有效，只能用一次），打开后点「确认登录」。',
      '老板看到成本、库存金额和利润，还能下载 xlsx；店员的网页不显示这些。不要转发链接。',
    ],
  },
  permission: RECORDERS,
  writes: false,
});
