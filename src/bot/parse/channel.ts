import type { FieldParser } from './field.ts';

/**
 * Sales channels. Known ones are written one way in the books whatever staff type (`tb`, `淘宝网`
 * → 淘宝); others that shops sell through (`微信`, `朋友圈`, `得物`) are kept as written, and any
 * word after 渠道/平台 counts too. A channel is never dropped because it is not on a list.
 */
export const CHANNEL_WORDS = ['淘宝', '天猫', '京东', '拼多多', '抖音', '快手', '小红书', '微店', '线下', '闲鱼', '视频号'] as const;

/** Other channel words, kept as written. */
const OTHER_CHANNELS = ['微信', '朋友圈', '得物', '唯品会', '有赞', '1688', '阿里巴巴', '美团', '饿了么', '微商', '直播间', '社群', 'QQ群'];

/** Spellings of the known channels → the one written in the books. */
const SPELLINGS: Readonly<Record<string, string>> = {
  tb: '淘宝', taobao: '淘宝', 淘宝网: '淘宝', 淘宝店: '淘宝',
  tm: '天猫', tmall: '天猫', 天猫店: '天猫',
  jd: '京东', 京东商城: '京东', 狗东: '京东', 京东店: '京东',
  pdd: '拼多多', 多多: '拼多多', 拼夕夕: '拼多多', 拼多多店: '拼多多',
  dy: '抖音', douyin: '抖音', 抖店: '抖音', 抖音店: '抖音', 抖音小店: '抖音',
  ks: '快手', 快手小店: '快手',
  xhs: '小红书', 红书: '小红书',
  wd: '微店',
  xy: '闲鱼', 咸鱼: '闲鱼',
  wx: '微信', vx: '微信', 朋友圈: '朋友圈',
};

const WORDS: ReadonlyArray<readonly [string, string]> = [
  ...CHANNEL_WORDS.map((w) => [w, w] as const),
  ...OTHER_CHANNELS.map((w) => [w, w] as const),
  ...Object.entries(SPELLINGS),
].sort((a, b) => b[0].length - a[0].length);

// Words by their first character (lower case), longest first: one Map lookup per call.
const BY_FIRST = new Map<string, Array<readonly [string, string]>>();
for (const [word, name] of WORDS) {
  const lower = word.toLowerCase();
  const list = BY_FIRST.get(lower[0] ?? '') ?? [];
  list.push([lower, name]);
  BY_FIRST.set(lower[0] ?? '', list);
}

function isAsciiAlnum(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * The channel word starting at `at`, if any, with its name in the books. An ASCII spelling must
 * be a whole word (`tb`, not the start of `tbox`); a trailing 店/渠道/平台 is part of it.
 */
export function readChannelAt(text: string, at: number): { name: string; end: number } | undefined {
  const list = BY_FIRST.get((text[at] ?? '').toLowerCase());
  if (list === undefined) return undefined;
  const lower = text.slice(at, at + 8).toLowerCase();
  for (const [word, name] of list) {
    if (!lower.startsWith(word)) continue;
    let end = at + word.length;
    if (isAsciiAlnum(word[word.length - 1]) && isAsciiAlnum(text[end])) continue;
    if (isAsciiAlnum(word[0]) && isAsciiAlnum(text[at - 1])) continue;
    for (const tail of ['渠道', '平台', '店']) {
      if (text.startsWith(tail, end)) {
        end += tail.length;
        break;
      }
    }
    return { name, end };
  }
  return undefined;
}

/** The name in the books for a channel written after 渠道/平台. */
export function channelName(written: string): string {
  return SPELLINGS[written.toLowerCase()] ?? written;
}

const BEFORE = /[\s\d元块件个条双包箱盒瓶支台套斤)]/;

/**
 * A channel word standing alone (`卖了 T恤 3件 59元 淘宝`, also `淘宝店`) or after 渠道/平台.
 * Standing alone matters: `天猫仓` is a warehouse and `京东同款` a product, not channels.
 */
export const channelParser: FieldParser = {
  hint: /[渠平淘天京拼抖快小微线闲视朋得唯有阿美饿直社咸狗红]|(?<![A-Za-z])(?:tb|tm|jd|pdd|dy|ks|xhs|wd|xy|wx|vx|taobao|tmall|douyin|qq|1688)(?![A-Za-z])/i,
  pattern: () => CHANNEL,
  extract(m, fields) {
    const marked = m[1];
    if (marked !== undefined) {
      fields.channel ??= channelName(marked);
      return true;
    }
    const at = m.index;
    if (at > 0 && !BEFORE.test(m.input[at - 1] ?? '')) return false;
    const found = readChannelAt(m.input, at);
    if (found === undefined) return false;
    const after = m.input[found.end];
    if (after !== undefined && after !== ' ' && after !== '\n') return false;
    if (found.end !== at + m[0].length) return false;
    fields.channel ??= found.name;
    return true;
  },
};
const CHANNEL = new RegExp(
  `(?:渠道|平台)\\s*[:=]?\\s*([^\\s,;、]+)|(?:${WORDS.map(([w]) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:渠道|平台|店)?`,
  'gi',
);
