import type { FieldParser } from './field.ts';

/** Sales channels staff name in chat; anything else must be introduced by 渠道/平台. */
export const CHANNEL_WORDS = ['淘宝', '天猫', '京东', '拼多多', '抖音', '快手', '小红书', '微店', '线下', '闲鱼', '视频号'] as const;

/**
 * A channel word standing alone (`卖了 T恤 3件 59元 淘宝`, also `淘宝店`) or after 渠道/平台.
 * Standing alone matters: `天猫仓` is a warehouse and `京东同款` a product, not channels.
 */
export const channelParser: FieldParser = {
  pattern: () => CHANNEL,
  extract(m, fields) {
    const name = m[1] ?? m[2];
    if (name === undefined || name.length === 0) return false;
    fields.channel ??= name;
    return true;
  },
};
const CHANNEL = new RegExp(
  `(?<=^|\\s|\\d|元|块|件|个|条)(?:(${CHANNEL_WORDS.join('|')})(?:店|渠道|平台)?|(?:渠道|平台)\\s*[:=]?\\s*([^\\s,;、]+))(?=\\s|$)`,
  'g',
);
