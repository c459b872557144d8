import type { FieldParser } from './field.ts';

/**
 * Stock locations: `从 总仓` / `在 门店` name where stock is taken from or kept, `到 天猫仓` names
 * a transfer's destination. Outside a transfer a place must look like one — a warehouse word
 * (`…仓`, `…库`) or a shop word (`门店`, `店里`, `档口`) — so everyday words after 在/到 are not
 * mistaken for one.
 */

/** A place name as a regex source (no groups). */
export const LOCATION_SOURCE = '(?:[^\\s,;、从在到至]{0,6}?(?:仓库|仓|库房)|[^\\s,;、从在到至]{0,4}?(?:门店|分店|总店|实体店|档口)|店里|店面|店铺|仓库)';
const PLACE = `(${LOCATION_SOURCE})`;
// What may follow a place: the end of a word, or a verb glued to it (`从门店调到仓库`).
const PLACE_END = '(?=\\s|$|调|卖|出|发|盘|→|->|-)';

/** `从 X仓`, `在 门店` → location. */
export const sourceLocationParser: FieldParser = {
  hint: /[从在]/,
  pattern: () => SOURCE,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.location ??= place;
    return true;
  },
};
const SOURCE = new RegExp(`(?<=^|\\s|\\d|[件个条箱包盒瓶套双支台元块])(?:从|在)\\s*${PLACE}${PLACE_END}`, 'g');

/** `到 X仓`, `放门店` on a purchase or a return: where the goods arrived, i.e. the location. */
export const arrivalLocationParser: FieldParser = {
  hint: /[到入放]/,
  pattern: () => ARRIVAL,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.location ??= place;
    return true;
  },
};
const ARRIVAL = new RegExp(`(?<=^|\\s|\\d|[件个条箱包盒瓶套双支台元块])(?:到|入|放到|放在|放)\\s*${PLACE}(?=\\s|$)`, 'g');

/** `到 天猫仓`, `调到 B仓`, `-> B仓` on a transfer: the destination, any word. */
export const transferTargetParser: FieldParser = {
  hint: /[调发到至>→]/,
  pattern: () => TARGET,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || place.length === 0) return false;
    fields.to ??= place;
    return true;
  },
};
const TARGET = /(?<=^|\s|\d|[件个条箱包盒瓶套双支台店仓库])(?:调到|调回|调往|发往|到|至|->|→)\s*([^\s,;、]+)/g;

/** `门店→仓库`, `门店->仓库`: both ends of a transfer in one word. */
export const arrowTransferParser: FieldParser = {
  hint: /[>→]/,
  pattern: () => ARROW,
  extract(m, fields) {
    const from = m[1];
    const to = m[2];
    if (from === undefined || to === undefined) return false;
    fields.location ??= from;
    fields.to ??= to;
    return true;
  },
};
const ARROW = new RegExp(`(?<=^|\\s)(?:从\\s*)?${PLACE}\\s*(?:->|→|-->|=>)\\s*([^\\s,;、]+)`, 'g');

/** On a transfer, a bare place word after the quantity (`调拨 T恤 20件 天猫仓`) is the target. */
export const bareTargetParser: FieldParser = {
  hint: /[仓库店档]/,
  pattern: () => BARE_TARGET,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || fields.to !== undefined) return false;
    fields.to = place;
    return true;
  },
};
const BARE_TARGET = new RegExp(`(?<=\\s)${PLACE}(?=\\s*$)`, 'g');

/** Outside a transfer, a place word standing alone after the item (`补货 核桃 30斤 14 门店`). */
export const barePlaceParser: FieldParser = {
  hint: /[仓库店档]/,
  pattern: () => BARE_PLACE,
  extract(m, fields) {
    const place = m[1];
    if (place === undefined || fields.location !== undefined) return false;
    fields.location = place;
    return true;
  },
};
const BARE_PLACE = new RegExp(`(?<=\\s)${PLACE}(?=\\s|$)`, 'g');
