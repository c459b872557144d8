import { sourceLocationParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 盘点: the counted stock (`盘点 T恤 45` sets stock to 45); the handler books the difference as
 * 盘盈/盘亏. The number is the new on-hand quantity, not a change.
 */
export const stocktakeParser = writeParser({
  intent: 'stocktake',
  fields: [sourceLocationParser],
  example: (name) => `盘点 ${name} 45`,
});
