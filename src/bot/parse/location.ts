import type { FieldParser } from './field.ts';

/**
 * Stock locations: `从 总仓` / `在 天猫仓` name where stock is taken from or kept, `到 天猫仓` names
 * a transfer's destination. Outside a transfer a place must look like a warehouse (ends in 仓 or
 * 库) so everyday words after 在/到 are not mistaken for one.
 */

const WAREHOUSE = '[^\\s,;、]*?(?:仓库|仓|库房|库)';

/** `从 X仓`, `在 X仓` → location. */
export const sourceLocationParser: FieldParser = {
  pattern: () => SOURCE,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.location ??= place;
    return true;
  },
};
const SOURCE = new RegExp(`(?<=^|\\s)(?:从|在)\\s*(${WAREHOUSE})(?=\\s|$)`, 'g');

/** `到 X仓` on a purchase or a return: where the goods arrived, i.e. the location. */
export const arrivalLocationParser: FieldParser = {
  pattern: () => ARRIVAL,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.location ??= place;
    return true;
  },
};
const ARRIVAL = new RegExp(`(?<=^|\\s)(?:到|入|放到|放在)\\s*(${WAREHOUSE})(?=\\s|$)`, 'g');

/** `到 天猫仓`, `调到 B仓`, `-> B仓` on a transfer: the destination, any word. */
export const transferTargetParser: FieldParser = {
  pattern: () => TARGET,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.to ??= place;
    return true;
  },
};
const TARGET = /(?<=^|\s|\d|[件个条箱包盒瓶套双支台])(?:调到|调往|发往|到|至|->|→)\s*([^\s,;、]+)/g;

/** On a transfer, a bare warehouse word after the quantity (`调拨 T恤 20件 天猫仓`) is the target. */
export const bareTargetParser: FieldParser = {
  pattern: () => BARE_TARGET,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || fields.to !== undefined) return false;
    fields.to = place;
    return true;
  },
};
const BARE_TARGET = new RegExp(`(?<=\\s)(${WAREHOUSE})(?=\\s*$)`, 'g');
