import { channelParser } from './channel.ts';
import { counterpartyParser } from './counterparty.ts';
import { barePlaceParser, sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 出货 / 出库 / 销售 / 卖出 / 卖了 / 发货: goods going out to a customer, with an optional price
 * and channel (`卖了 T恤 3件 59元 淘宝`). No price is fine: the handler uses the set sale price.
 */
export const saleParser = writeParser({
  intent: 'sale',
  fields: [sourceLocationParser, counterpartyParser, channelParser, barePlaceParser],
  example: (name, unit) => `出货 ${name} 3${unit} 单价 59`,
});
