import { arrowTransferParser, bareTargetParser, sourceLocationParser, transferTargetParser } from './location.ts';
import { writeParser } from './write-command.ts';

/**
 * 调拨: moves stock between locations (`调拨 T恤 20件 从 总仓 到 天猫仓`). The destination is
 * required; the source defaults to the main location.
 */
export const transferParser = writeParser({
  intent: 'transfer',
  fields: [arrowTransferParser, sourceLocationParser, transferTargetParser, bareTargetParser],
  example: (name, unit) => `调拨 ${name} 20${unit} 到 天猫仓`,
});
