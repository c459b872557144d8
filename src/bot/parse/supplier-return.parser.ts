import { counterpartyParser } from './counterparty.ts';
import { barePlaceParser, sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/** 退供 / 退厂: goods sent back to the supplier (`退供 T恤 5件 供应商 老王`). */
export const supplierReturnParser = writeParser({
  intent: 'supplierReturn',
  fields: [sourceLocationParser, counterpartyParser, barePlaceParser],
  example: (name, unit) => `退供 ${name} 5${unit}`,
});
