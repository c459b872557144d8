import type { ProductSetting } from '../../core/catalogue.service.ts';
import type { ProductMode, ProductRecord, ShopRecord } from '../../core/ports.ts';
import type { Command } from '../command.ts';
import { qty, yuanGrouped } from '../format.ts';
import { conversionReply } from '../replies.ts';
import type { Handler, HandlerServices } from './handler.ts';

/** 设置: digest time, time zone, unit conversions and product settings. */
export const settingHandler: Handler<'setting'> = async (command, { shop, reply, bot, now, seeCost }) => reply(await setting(bot, shop, command, now, seeCost));

/** 别名 T恤 = 短袖: more names for a product. */
export const aliasHandler: Handler<'alias'> = async (command, { shop, reply, bot }) => {
  const added = await bot.catalogueService.addAliases(shop.id, command.product, command.aliases);
  if (!added.ok) return reply(await bot.catalogueRefusal(added.failure, shop.id));
  bot.invalidate(shop.id);
  const { product, all, taken } = added.value;
  return reply(`✅ ${product.name} 的别名：${all.join('、') || '（无）'}` + (taken.length > 0 ? `\n（已被占用，未添加：${taken.join('、')}）` : ''));
};

async function setting(bot: HandlerServices, shop: ShopRecord, command: Extract<Command, { intent: 'setting' }>, now: Date, seeCost: boolean): Promise<string> {
  if (command.key === 'digestTime') {
    await bot.catalogueService.setShop(shop.id, { digestTime: String(command.value) });
    return `✅ 日报时间已设为每天 ${command.value}（${shop.timeZone}）`;
  }
  if (command.key === 'timeZone') {
    await bot.catalogueService.setShop(shop.id, { timeZone: String(command.value) });
    return `✅ 时区已设为 ${command.value}`;
  }
  const name = command.product ?? '';
  if (command.key === 'unitConversion') {
    const result = await bot.service.setUnitConversion(shop.id, { product: name, unit: command.unit ?? '', factor: command.factor ?? 1, base: String(command.value) });
    if (!result.ok) return await bot.refusal(result, shop.id, 'query');
    bot.invalidate(shop.id);
    return conversionReply(result.value);
  }
  const setting: ProductSetting =
    command.key === 'mode'
      ? {
        key: 'mode',
        value: String(command.value) as ProductMode,
        ...(command.supplier !== undefined ? { supplier: command.supplier } : {}),
        ...(command.cost !== undefined ? { cost: command.cost } : {}),
      }
      : command.key === 'sku'
        ? { key: 'sku', value: String(command.value) }
        : { key: command.key, value: typeof command.value === 'number' ? command.value : Number(command.value) };
  const result = await bot.catalogueService.setProduct(shop.id, name, setting, now);
  if (!result.ok) return await bot.catalogueRefusal(result.failure, shop.id);
  const { product, setting: set, created } = result.value;
  if (created) bot.invalidate(shop.id); // a new name the parser accepts from now on
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
      const head = `✅ ${product.name} 模式：${label ?? set.value}`;
      if (set.value !== 'dropship') return head;
      // Stock already on hand is not sold from any more: say so rather than let it sit unnoticed.
      const onHand = (await bot.store.stock(shop.id, product.id)).reduce((sum, r) => sum + r.qtyMilli, 0);
      const left = onHand > 0 ? `\n⚠️ 现有库存 ${qty(onHand, product.unit)} 不会随代发销售减少；要清掉请发「退供 ${product.name} ${qty(onHand, product.unit)}」或「盘点 ${product.name} 0」。` : '';
      return `${head}${dropshipTerms(product, seeCost)}${left}${created ? '\n（新商品已建档）' : ''}`;
    }
    case 'sku':
      bot.invalidate(shop.id); // the code is a name the parser accepts from now on
      return `✅ ${product.name} 编码：${set.value}`;
  }
}

/** The supplier and agreed cost a dropship product is recorded with, and how to set what is missing. */
function dropshipTerms(product: ProductRecord, seeCost: boolean): string {
  const parts: string[] = [];
  if (product.dropshipSupplier) parts.push(`供应商 ${product.dropshipSupplier}`);
  if (product.dropshipCost !== null && product.dropshipCost !== undefined) {
    parts.push(seeCost ? `进价 ${yuanGrouped(product.dropshipCost)} 元/${product.unit}` : '进价已记下（店员看不到）');
  }
  const missing: string[] = [];
  if (!product.dropshipSupplier) missing.push('供应商');
  if (product.dropshipCost === null || product.dropshipCost === undefined) missing.push('进价');
  const hint =
    missing.length > 0
      ? `\n还没设${missing.join('和')}：设置 ${product.name} 代发 供应商 老李 进价 6${missing.includes('进价') ? '（不设进价时按最近一次进价算成本）' : ''}`
      : '\n每卖一件按进价记成本、记在供应商名下（发「应付」查看）。';
  return `${parts.length > 0 ? `，${parts.join('，')}` : ''}${hint}`;
}
