import { channelParser } from './channel.ts';
import { counterpartyParser } from './counterparty.ts';
import { arrivalLocationParser, barePlaceParser, sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 退货 / 客退: a customer sends goods back. `退款 59` is the amount refunded and is kept as the
 * exact `total`; a per-piece refund is written `每件 59` or `单价 59`.
 */
export const customerReturnParser = writeParser({
  intent: 'customerReturn',
  fields: [sourceLocationParser, arrivalLocationParser, counterpartyParser, channelParser, barePlaceParser],
  example: (name, unit) => `退货 ${name} 1${unit} 退款 59`,
});
