import type { Command } from '../command.ts';
import type { CatalogueProduct } from './catalogue.ts';
import { MAX_QUANTITY, parseError, tooLarge } from './errors.ts';
import { parseMoney } from './money.ts';
import { parseNumber, readNumberAt } from './numbers.ts';
import { canonicalTimeZone } from '../../core/zoned-time.ts';
import { commandResult, type IntentParser, type ParseResult, type ParserInput } from './types.ts';
import { conversionFactor, readUnitAt } from './units.ts';
import { INTENT_VERBS, verbPattern } from './verbs.ts';
import { wordBoundaryParser } from './word-boundary.ts';

/**
 * 设置: per-product levels, price, lead time, mode, unit conversion and code, and the shop-wide
 * digest time and time zone. `设置 T恤 预警 10`, `设置 可乐 1箱=24瓶`, `设置 日报 21:00`.
 */

type SettingCommand = Extract<Command, { intent: 'setting' }>;
type Key = SettingCommand['key'];

const PATTERN = verbPattern(INTENT_VERBS.setting);
const DIGEST = /^(?:日报时间|日报推送|推送时间|日报)\s*[:=]?\s*(.+)$/;
const ZONE = /^(?:时区|timezone|time zone)\s*[:=]?\s*(.+)$/i;
const CONVERSION = /^(.*?)\s*(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)?\s*([^\s\d=.]{1,3})\s*=\s*(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*([^\s\d=.]{1,3})$/;

const KEY_WORDS: ReadonlyArray<readonly [string, Key]> = (
  [
    ['预警线', 'reorderLevel'], ['预警值', 'reorderLevel'], ['预警', 'reorderLevel'], ['补货线', 'reorderLevel'],
    ['安全库存', 'reorderLevel'], ['最低库存', 'reorderLevel'], ['库存下限', 'reorderLevel'], ['下限', 'reorderLevel'],
    ['积压线', 'overstockLevel'], ['积压', 'overstockLevel'], ['最高库存', 'overstockLevel'], ['库存上限', 'overstockLevel'], ['上限', 'overstockLevel'],
    ['零售价', 'salePrice'], ['销售价', 'salePrice'], ['售价', 'salePrice'], ['卖价', 'salePrice'], ['价格', 'salePrice'],
    ['到货周期', 'leadTime'], ['补货周期', 'leadTime'], ['备货期', 'leadTime'], ['交期', 'leadTime'], ['交货期', 'leadTime'],
    ['编码', 'sku'], ['货号', 'sku'], ['条码', 'sku'], ['sku', 'sku'], ['SKU', 'sku'],
    ['一件代发', 'mode'], ['代发', 'mode'], ['模式', 'mode'], ['预售', 'mode'], ['普通', 'mode'], ['现货', 'mode'], ['正常', 'mode'],
    ['取消代发', 'mode'], ['取消预售', 'mode'],
  ] as const
).slice().sort((a, b) => b[0].length - a[0].length);

const MODES: Readonly<Record<string, string>> = {
  一件代发: 'dropship', 代发: 'dropship', 预售: 'presale', 普通: 'normal', 现货: 'normal', 正常: 'normal',
  取消代发: 'normal', 取消预售: 'normal',
};

// 一件代发's terms after the mode word, in either order: `供应商 老李`, `进价 6`.
const COST_WORDS = '进价|成本价|成本|拿货价|供货价|代发价';
const SUPPLIER_TERM = new RegExp(`^(?:供应商|供货商|厂家|上家)\\s*[:：=]?\\s*(\\S+?)(?=\\s|[,，]|${COST_WORDS}|$)`);
const COST_TERM = new RegExp(`^(?:${COST_WORDS})\\s*[:：=]?\\s*(\\S+)`);

const ZONE_ALIASES: Readonly<Record<string, string>> = {
  北京时间: 'Asia/Shanghai', 北京: 'Asia/Shanghai', 上海: 'Asia/Shanghai', 中国: 'Asia/Shanghai',
  香港: 'Asia/Hong_Kong', 台北: 'Asia/Taipei', 东京: 'Asia/Tokyo', 新加坡: 'Asia/Singapore',
};

const SETTINGS_LIST = '预警 积压 售价 交期 预售/代发/普通 1箱=24瓶 编码，或 日报 21:00、时区 Asia/Shanghai';

function keyAt(text: string, at: number): readonly [string, Key] | undefined {
  for (const entry of KEY_WORDS) if (text.startsWith(entry[0], at)) return entry;
  return undefined;
}

interface Target {
  name: string;
  product?: CatalogueProduct;
  /** Text from the setting word on. */
  rest: string;
}

/** Splits `T恤 白色 L 预警 10` into the product and `预警 10`. */
function splitTarget(text: string, input: ParserInput): Target | undefined {
  const prefix = input.ctx.catalogue.matchPrefix(text);
  if (prefix !== undefined) {
    let i = prefix.end;
    while (text[i] === ' ') i++;
    if (keyAt(text, i) !== undefined) return { name: prefix.product.name, product: prefix.product, rest: text.slice(i) };
  }
  // Otherwise the first setting word that starts a word ends the name.
  for (let i = 1; i < text.length; i++) {
    if (text[i - 1] !== ' ') continue;
    if (keyAt(text, i) !== undefined) {
      const name = text.slice(0, i).trim();
      const product = input.ctx.catalogue.resolve(name);
      return product === undefined ? { name, rest: text.slice(i) } : { name: product.name, product, rest: text.slice(i) };
    }
  }
  return undefined;
}

function setting(key: Key, target: Target | undefined, value: number | string, extra?: { unit: string; factor: number }): ParseResult {
  const command: SettingCommand = { intent: 'setting', key, value };
  if (target !== undefined) {
    command.product = target.name;
    command.known = target.product !== undefined;
  }
  if (extra !== undefined) {
    command.unit = extra.unit;
    command.factor = extra.factor;
  }
  return commandResult(command);
}

const CLOCK = /^(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\s*(\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*(?:[:点时]\s*(\d{1,2}|半|[零一二三四五六七八九十]{1,3})?\s*分?)?$/;

/** `21:00`, `21点`, `晚上9点半` → `21:00`-style; undefined when not a time of day. */
function parseClock(text: string): string | undefined {
  const m = CLOCK.exec(text.trim());
  if (m === null) return undefined;
  let hour = parseNumber(m[2] ?? '');
  const minute = m[3] === undefined ? 0 : m[3] === '半' ? 30 : parseNumber(m[3]);
  if (hour === undefined || minute === undefined || !Number.isInteger(hour) || !Number.isInteger(minute)) return undefined;
  const meridiem = m[1];
  if ((meridiem === '下午' || meridiem === '傍晚' || meridiem === '晚上') && hour < 12) hour += 12;
  if (meridiem === '中午' && hour < 11) hour += 12;
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function level(key: Key, target: Target, value: string): ParseResult {
  const example = `设置 ${target.name} ${key === 'reorderLevel' ? '预警 10' : '积压 200'}`;
  const n = readNumberAt(value, 0);
  const unitText = n === undefined ? '' : value.slice(n.end).trim();
  if (n === undefined || (unitText.length > 0 && readUnitAt(unitText, 0, new Set()) !== unitText && target.product?.units[unitText] === undefined)) {
    return parseError('BAD_SETTING', `「${value || '（空）'}」不是数量，要写一个数字。`, example);
  }
  let factor = 1;
  if (unitText.length > 0 && target.product !== undefined) {
    const conv = conversionFactor(unitText, target.product);
    if (!conv.ok) return parseError('BAD_SETTING', `「${target.name}」不能用「${unitText}」计。`, example);
    factor = conv.factor;
  }
  const v = Math.round(n.value * factor * 1e6) / 1e6;
  if (v > MAX_QUANTITY) return tooLarge('数量', n.raw, example);
  return setting(key, target, v);
}

function productSetting(key: Key, word: string, target: Target, value: string): ParseResult {
  switch (key) {
    case 'reorderLevel':
    case 'overstockLevel':
      return level(key, target, value);
    case 'salePrice': {
      const example = `设置 ${target.name} 售价 59`;
      const money = parseMoney(value);
      if (money === undefined) return parseError('BAD_SETTING', `售价「${value || '（空）'}」不是金额。`, example);
      if (!money.ok) {
        return money.code === 'TOO_LARGE' ? tooLarge('金额', value, example) : parseError('BAD_PRICE', `售价「${value}」不对：不能是负数，最多两位小数。`, example);
      }
      return setting(key, target, money.cents);
    }
    case 'leadTime': {
      const example = `设置 ${target.name} 交期 7`;
      const m = /^(\S+?)\s*(?:天|日)?$/.exec(value);
      const days = m === null ? undefined : parseNumber(m[1] ?? '');
      if (days === undefined || !Number.isInteger(days) || days > 3650) {
        return parseError('BAD_SETTING', `交期「${value || '（空）'}」要写天数（整数），例如 交期 7。`, example);
      }
      return setting(key, target, days);
    }
    case 'sku': {
      if (value.length === 0 || value.length > 64 || /\s/.test(value)) {
        return parseError('BAD_SETTING', '编码要写一个不带空格的代码，例如 编码 TS-001。', `设置 ${target.name} 编码 TS-001`);
      }
      return setting(key, target, value);
    }
    case 'mode': {
      // `设置 T恤 预售`, `设置 T恤 模式 预售`, `设置 手机壳 代发 供应商 老李 进价 6`.
      const [modeWord = '', ...tail] = word === '模式' ? value.split(/\s+/) : [word, value];
      const extra = tail.join(' ').trim();
      const mode = MODES[modeWord];
      if (mode === 'dropship' && extra.length > 0 && extra !== '模式') return dropship(target, extra);
      if (mode === undefined || (extra.length > 0 && extra !== '模式')) {
        return parseError('BAD_SETTING', `看不懂「${word} ${value}」。模式只有 预售、代发、普通。`, `设置 ${target.name} 预售`);
      }
      return setting(key, target, mode);
    }
    default:
      return parseError('BAD_SETTING', `不认识的设置。可以设置：${SETTINGS_LIST}。`, `设置 ${target.name} 预警 10`);
  }
}

/** `代发 供应商 老李 进价 6`: the supplier and the agreed unit cost, each at most once, in any order. */
function dropship(target: Target, terms: string): ParseResult {
  const example = `设置 ${target.name} 代发 供应商 老李 进价 6`;
  let rest = terms.replace(/^模式\s*/, '');
  let supplier: string | undefined;
  let cost: number | undefined;
  while (rest.length > 0) {
    const s = supplier === undefined ? SUPPLIER_TERM.exec(rest) : null;
    const c = s === null && cost === undefined ? COST_TERM.exec(rest) : null;
    if (s !== null) {
      supplier = s[1] ?? '';
      if (supplier.length > 30) return parseError('BAD_SETTING', '供应商名字太长了（最多 30 个字）。', example);
      rest = rest.slice(s[0].length);
    } else if (c !== null) {
      const money = parseMoney(c[1] ?? '');
      if (money === undefined) return parseError('BAD_SETTING', `进价「${c[1] ?? ''}」不是金额。`, example);
      if (!money.ok) {
        return money.code === 'TOO_LARGE' ? tooLarge('金额', c[1] ?? '', example) : parseError('BAD_PRICE', `进价「${c[1] ?? ''}」不对：不能是负数，最多两位小数。`, example);
      }
      cost = money.cents;
      rest = rest.slice(c[0].length);
    } else {
      return parseError('BAD_SETTING', `看不懂「${rest}」。代发可以写供应商和进价。`, example);
    }
    rest = rest.replace(/^[\s,，]+/, '');
  }
  const command: SettingCommand = { intent: 'setting', key: 'mode', value: 'dropship', product: target.name, known: target.product !== undefined };
  if (supplier !== undefined) command.supplier = supplier;
  if (cost !== undefined) command.cost = cost;
  return commandResult(command);
}

function conversion(m: RegExpExecArray, input: ParserInput): ParseResult {
  const name = (m[1] ?? '').trim();
  const example = `设置 ${name.length > 0 ? name : '可乐'} 1箱=24瓶`;
  if (name.length === 0) return parseError('MISSING_PRODUCT', '要写给哪个商品设置换算。', example);
  const product = input.ctx.catalogue.resolve(name);
  const count = m[2] === undefined ? 1 : parseNumber(m[2]);
  const base = parseNumber(m[4] ?? '');
  const unit = m[3] ?? '';
  const baseUnit = m[5] ?? '';
  if (count === undefined || base === undefined || count <= 0 || base <= 0 || unit === baseUnit) {
    return parseError('BAD_SETTING', `换算「${m[0].slice(m[1]?.length ?? 0).trim()}」不对，要写成 1箱=24瓶。`, example);
  }
  const factor = Math.round((base / count) * 1e6) / 1e6;
  if (!(factor > 0) || factor > MAX_QUANTITY) return parseError('BAD_SETTING', '换算的数字不对。', example);
  const target: Target = product === undefined ? { name, rest: '' } : { name: product.name, product, rest: '' };
  return setting('unitConversion', target, baseUnit, { unit, factor });
}

/** See the module comment. */
export const settingParser: IntentParser = wordBoundaryParser({
  intent: 'setting',
  verbs: INTENT_VERBS.setting,
  pattern: PATTERN,
  // `设置日报 21:00` is a command, and a wrong time there is worth a refusal: only some refusals are quiet.
  glued: 'own',
  extract(input, { after, glued }) {
    const text = after.trim();
    const quiet = (r: ParseResult): ParseResult | null => (glued && r.kind === 'error' ? null : r);

    const digest = DIGEST.exec(text);
    if (digest !== null) {
      const clock = parseClock(digest[1] ?? '');
      if (clock === undefined) return parseError('BAD_SETTING', `日报时间「${(digest[1] ?? '').trim()}」看不懂，要写成 21:00。`, '设置 日报 21:00');
      return setting('digestTime', undefined, clock);
    }
    const zone = ZONE.exec(text);
    if (zone !== null) {
      const raw = (zone[1] ?? '').trim();
      const canonical = canonicalTimeZone(ZONE_ALIASES[raw] ?? raw);
      if (canonical === undefined) return parseError('BAD_TIMEZONE', `时区「${raw}」不存在，要写 IANA 名称。`, '设置 时区 Asia/Shanghai');
      return setting('timeZone', undefined, canonical);
    }
    const conv = CONVERSION.exec(text);
    if (conv !== null) return quiet(conversion(conv, input));

    if (text.length === 0) return quiet(parseError('BAD_SETTING', `要写设置什么：${SETTINGS_LIST}。`, '设置 T恤 预警 10'));
    const target = splitTarget(text, input);
    if (target === undefined) {
      const key = keyAt(text, 0);
      if (key !== undefined) return parseError('MISSING_PRODUCT', `要写给哪个商品设置「${key[0]}」。`, `设置 T恤 ${key[0]} 10`);
      return quiet(parseError('BAD_SETTING', `不认识的设置「${text}」。可以设置：${SETTINGS_LIST}。`, '设置 T恤 预警 10'));
    }
    const key = keyAt(target.rest, 0);
    if (key === undefined) return null; // unreachable: splitTarget stops at a key word
    const value = target.rest.slice(key[0].length).trim().replace(/^(?:[:=]|为|是|改成|改为)\s*/, '');
    return quiet(productSetting(key[1], key[0], target, value));
  },
});
