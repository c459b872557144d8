import { describe, it } from 'vitest';
import type { Command } from '../../../src/bot/command.ts';
import { expectCommand } from './fixtures.ts';

const settings: Array<[string, Command]> = [
  ['设置 T恤 预警 10', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 10 }],
  ['设置 T恤 预警线 10', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 10 }],
  ['设置 T恤 安全库存 十', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 10 }],
  ['设置 T恤 预警 0', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 0 }],
  ['设置 可乐 预警 2箱', { intent: 'setting', key: 'reorderLevel', product: '可乐', known: true, value: 48 }],
  ['设置 T恤 白色 L 预警 3', { intent: 'setting', key: 'reorderLevel', product: 'T恤 白色 L', known: true, value: 3 }],
  ['设置 卫衣 预警 5', { intent: 'setting', key: 'reorderLevel', product: '卫衣', known: false, value: 5 }],
  ['设置T恤预警10', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 10 }],
  ['设置 T恤 积压 200', { intent: 'setting', key: 'overstockLevel', product: 'T恤', known: true, value: 200 }],
  ['设置 T恤 上限 200件', { intent: 'setting', key: 'overstockLevel', product: 'T恤', known: true, value: 200 }],
  ['设置 T恤 售价 59', { intent: 'setting', key: 'salePrice', product: 'T恤', known: true, value: 5900 }],
  ['设置 T恤 售价 59.9元', { intent: 'setting', key: 'salePrice', product: 'T恤', known: true, value: 5990 }],
  ['设置 T恤 零售价 ¥59', { intent: 'setting', key: 'salePrice', product: 'T恤', known: true, value: 5900 }],
  ['设置 T恤 交期 7', { intent: 'setting', key: 'leadTime', product: 'T恤', known: true, value: 7 }],
  ['设置 T恤 交期 7天', { intent: 'setting', key: 'leadTime', product: 'T恤', known: true, value: 7 }],
  ['设置 T恤 到货周期 十五天', { intent: 'setting', key: 'leadTime', product: 'T恤', known: true, value: 15 }],
  ['设置 T恤 预售', { intent: 'setting', key: 'mode', product: 'T恤', known: true, value: 'presale' }],
  ['设置 T恤 代发', { intent: 'setting', key: 'mode', product: 'T恤', known: true, value: 'dropship' }],
  ['设置 T恤 一件代发', { intent: 'setting', key: 'mode', product: 'T恤', known: true, value: 'dropship' }],
  ['设置 T恤 普通', { intent: 'setting', key: 'mode', product: 'T恤', known: true, value: 'normal' }],
  ['设置 T恤 模式 预售', { intent: 'setting', key: 'mode', product: 'T恤', known: true, value: 'presale' }],
  ['设置 可乐 1箱=24瓶', { intent: 'setting', key: 'unitConversion', product: '可乐', known: true, value: '瓶', unit: '箱', factor: 24 }],
  ['设置 可乐 1 箱 = 24 瓶', { intent: 'setting', key: 'unitConversion', product: '可乐', known: true, value: '瓶', unit: '箱', factor: 24 }],
  ['设置 可乐 箱=24瓶', { intent: 'setting', key: 'unitConversion', product: '可乐', known: true, value: '瓶', unit: '箱', factor: 24 }],
  ['设置 可乐 2箱=48瓶', { intent: 'setting', key: 'unitConversion', product: '可乐', known: true, value: '瓶', unit: '箱', factor: 24 }],
  ['设置 T恤 一箱=二十件', { intent: 'setting', key: 'unitConversion', product: 'T恤', known: true, value: '件', unit: '箱', factor: 20 }],
  ['设置 T恤 编码 TS-001', { intent: 'setting', key: 'sku', product: 'T恤', known: true, value: 'TS-001' }],
  ['设置 T恤 SKU TS-001', { intent: 'setting', key: 'sku', product: 'T恤', known: true, value: 'TS-001' }],
  ['设置 T恤 货号 A1002', { intent: 'setting', key: 'sku', product: 'T恤', known: true, value: 'A1002' }],
  ['设置 日报 21:00', { intent: 'setting', key: 'digestTime', value: '21:00' }],
  ['设置 日报 9:30', { intent: 'setting', key: 'digestTime', value: '09:30' }],
  ['设置 日报 晚上9点', { intent: 'setting', key: 'digestTime', value: '21:00' }],
  ['设置 日报 20点半', { intent: 'setting', key: 'digestTime', value: '20:30' }],
  ['设置 日报时间 21：00', { intent: 'setting', key: 'digestTime', value: '21:00' }],
  ['设置 时区 Asia/Shanghai', { intent: 'setting', key: 'timeZone', value: 'Asia/Shanghai' }],
  ['设置 时区 asia/tokyo', { intent: 'setting', key: 'timeZone', value: 'Asia/Tokyo' }],
  ['设置 时区 America/New_York', { intent: 'setting', key: 'timeZone', value: 'America/New_York' }],
  ['设置 时区 北京时间', { intent: 'setting', key: 'timeZone', value: 'Asia/Shanghai' }],
  ['设定 T恤 预警 10', { intent: 'setting', key: 'reorderLevel', product: 'T恤', known: true, value: 10 }],
];

const aliases: Array<[string, Command]> = [
  ['别名 T恤 白T tshirt', { intent: 'alias', product: 'T恤', known: true, aliases: ['白T', 'tshirt'] }],
  ['别名 T恤 短袖、半袖', { intent: 'alias', product: 'T恤', known: true, aliases: ['短袖', '半袖'] }],
  ['别名 T恤 白色 L 白L 大白', { intent: 'alias', product: 'T恤 白色 L', known: true, aliases: ['白L', '大白'] }],
  ['别名 卫衣 hoodie', { intent: 'alias', product: '卫衣', known: false, aliases: ['hoodie'] }],
  ['别名 T恤 = 汗衫', { intent: 'alias', product: 'T恤', known: true, aliases: ['汗衫'] }],
  ['别名 T恤 汗衫 汗衫', { intent: 'alias', product: 'T恤', known: true, aliases: ['汗衫'] }],
];

const help: Array<[string, Command]> = [
  ['帮助', { intent: 'help' }],
  ['?', { intent: 'help' }],
  ['？', { intent: 'help' }],
  ['/help', { intent: 'help' }],
  ['/start', { intent: 'help' }],
  ['help', { intent: 'help' }],
  ['怎么用', { intent: 'help' }],
  ['帮助 进货', { intent: 'help', topic: 'purchase' }],
  ['帮助 出货', { intent: 'help', topic: 'sale' }],
  ['帮助 查', { intent: 'help', topic: 'query' }],
  ['帮助 撤销', { intent: 'help', topic: 'undo' }],
  ['帮助 设置', { intent: 'help', topic: 'setting' }],
  ['帮助 利润', { intent: 'help', topic: 'report' }],
  ['帮助进货', { intent: 'help', topic: 'purchase' }],
  ['? 退货', { intent: 'help', topic: 'customerReturn' }],
  ['/help 调拨', { intent: 'help', topic: 'transfer' }],
  ['帮助 xyz', { intent: 'help' }],
];

describe('setting', () => {
  it.each(settings)('%s', (text, command) => expectCommand(text, command));
});

describe('alias', () => {
  it.each(aliases)('%s', (text, command) => expectCommand(text, command));
});

describe('help', () => {
  it.each(help)('%s', (text, command) => expectCommand(text, command));
});
