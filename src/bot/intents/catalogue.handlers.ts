import type { ProductSetting } from '../../core/catalogue.service.ts';
import type { ProductMode, ShopRecord } from '../../core/ports.ts';
import type { Command } from '../command.ts';
import { yuanGrouped } from '../format.ts';
import { conversionReply } from '../replies.ts';
import type { Handler, HandlerServices } from './handler.ts';

/** 设置: digest time, time zone, unit conversions and product settings. */
export const settingHandler: Handler<'setting'> = (command, { shop, reply, bot }) => reply(setting(bot, shop, command));

/** 别名 T恤 = 短袖: more names for a product. */
export const aliasHandler: Handler<'alias'> = (command, { shop, reply, bot }) => {
  const added = bot.catalogueService.addAliases(shop.id, command.product, command.aliases);
  if (!added.ok) return reply(bot.catalogueRefusal(added.failure, shop.id));
  bot.invalidate(shop.id);
  const { product, all, taken } = added.value;
  return reply(`✅ ${product.name} 的别名：${all.join('、') || '（无）'}` + (taken.length > 0 ? `\n（已被占用，未添加：${taken.join('、')}）` : ''));
};

function setting(bot: HandlerServices, shop: ShopRecord, command: Extract<Command, { intent: 'setting' }>): string {
  if (command.key === 'digestTime') {
    bot.catalogueService.setShop(shop.id, { digestTime: String(command.value) });
    return `✅ 日报时间已设为每天 ${command.value}（${shop.timeZone}）`;
  }
  if (command.key === 'timeZone') {
    bot.catalogueService.setShop(shop.id, { timeZone: String(command.value) });
    return `✅ 时区已设为 ${command.value}`;
  }
  const name = command.product ?? '';
  if (command.key === 'unitConversion') {
    const result = bot.service.setUnitConversion(shop.id, { product: name, unit: command.unit ?? '', factor: command.factor ?? 1, base: String(command.value) });
    if (!result.ok) return bot.refusal(result, shop.id, 'query');
    bot.invalidate(shop.id);
    return conversionReply(result.value);
  }
  const setting: ProductSetting =
    command.key === 'mode'
      ? { key: 'mode', value: String(command.value) as ProductMode }
      : command.key === 'sku'
        ? { key: 'sku', value: String(command.value) }
        : { key: command.key, value: typeof command.value === 'number' ? command.value : Number(command.value) };
  const result = bot.catalogueService.setProduct(shop.id, name, setting);
  if (!result.ok) return bot.catalogueRefusal(result.failure, shop.id);
  const { product, setting: set } = result.value;
  switch (set.key) {
    case 'reorderLevel':
      return `✅ ${product.name} 预警线：${set.value}${product.unit}（库存不高于它时提醒补货）`;
    case 'overstockLevel':
      return `✅ ${product.name} 积压线：${set.value}${product.unit}`;
    case 'salePrice':
      return `✅ ${product.name} 售价：${yuanGrouped(set.value)} 元/${product.unit}`;
    case 'leadTime':
      return `✅ ${product.name} 补货周期：${set.value} 天`;
    case 'mode': {
      const label = { normal: '普通（不许超卖）', presale: '预售（允许负库存，显示待发）', dropship: '一件代发（只记收入和成本，不动库存）' }[set.value];
      return `✅ ${product.name} 模式：${label ?? set.value}`;
    }
    case 'sku':
      bot.invalidate(shop.id); // the code is a name the parser accepts from now on
      return `✅ ${product.name} 编码：${set.value}`;
  }
}
