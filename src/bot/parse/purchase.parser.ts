import { channelParser } from './channel.ts';
import { counterpartyParser } from './counterparty.ts';
import { arrivalLocationParser, barePlaceParser, sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 进货 / 入库 / 采购 / 到货 / 补货 / 买入: goods coming in, usually with a unit cost and a supplier
 * (`采购 T恤 x50 @20 供应商 老王`). An unknown name is allowed — the handler creates the product.
 */
export const purchaseParser = writeParser({
  intent: 'purchase',
  fields: [sourceLocationParser, arrivalLocationParser, counterpartyParser, channelParser, barePlaceParser],
  example: (name, unit) => `进货 ${name} 50${unit} 单价 20`,
});
