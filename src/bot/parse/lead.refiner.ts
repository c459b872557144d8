import type { Catalogue } from './catalogue.ts';
import { readChannelAt } from './channel.ts';
import { LOCATION_SOURCE } from './location.ts';
import { LEADING_DATE } from './occurred-at.ts';

/**
 * What staff put before the verb: greetings and chatty openers (`老板，`, `跟大家说下`), adverbs
 * (`刚`, `又`), a date (`25号`, `昨天`), a channel (`京东`, `tb`), a place (`门店`, `从 门店`) or a
 * person (`供应商 老王`, `客户`). They are peeled off in any order and kept as fields that apply to
 * every item; the intent parsers then see the message from its verb on.
 */

/** Fields written before the verb. */
export interface Lead {
  date?: string;
  channel?: string;
  counterparty?: string;
  location?: string;
}

const SEPARATORS = /^[\s,:;!~.、]+/;
const OPENER = /^(?:老板|老大|亲们|亲|各位|大家|跟大家说下|跟大家说一下|说一下|说下|报一下|报下|记一下|记下|帮我记一下|帮忙记一下|麻烦记一下|帮我|帮忙|麻烦|那个|嗯|哦|对了)(?=[\s,:;!~.、]|$)|^(?:刚刚|刚才|刚|又|也|再|已经|今天也)(?=\S)|^(?:帮我|帮忙|麻烦)(?=查|看)/;
const PERSON = /^(?:供应商|供货商|厂家|客户|顾客|买家|客人)\s*[:=]?\s*(?![退要说])([^\s,;、:=]{1,8}?)(?=\s)/;
// `华强 送来 口罩 …`: whoever delivers is the supplier.
const DELIVERED_BY = /^([^\s\d,;、:=]{1,6}?)\s*(?=送来|发来)/;
const PERSON_WORD = /^(?:客户|顾客|买家|客人)(?=退|要退)/;
const SUPPLIER_FROM = /^从\s*([^\s,;、:=]{1,6}?)(?:那里|那边|那儿|家)?\s*(?=进|采购|拿)/;
const PLACE = new RegExp(`^(?:(?:从|在)\\s*)?(${LOCATION_SOURCE})(?=\\s|进|卖|出|退|盘|调|到|入|发)`);
const PLACE_HINT = /[仓库店档]/;
const DATE_TAIL = /(?:([到进卖退发出])?的)\s*$/;

/** Peels the lead off `body`; `body` in the result starts where the lead ends. */
export function peelLead(text: string, catalogue: Catalogue): { body: string; lead: Lead } {
  let body = text;
  const lead: Lead = {};
  for (let k = 0; k < 8; k++) {
    body = body.replace(SEPARATORS, '');
    let m = OPENER.exec(body);
    if (m !== null && m[0].length > 0) {
      body = body.slice(m[0].length);
      continue;
    }
    m = LEADING_DATE.exec(body);
    if (m !== null && lead.date === undefined) {
      const token = m[0].trim();
      const tail = DATE_TAIL.exec(token);
      lead.date = token.slice(0, tail?.index ?? token.length);
      // `昨天到的卫衣`: the 到 is the verb.
      body = (tail?.[1] !== undefined ? `${tail[1]}的` : '') + body.slice(m[0].length);
      continue;
    }
    // A product name may start like a place or a channel; a known name wins.
    if (catalogue.startsName(body[0]) && catalogue.matchPrefix(body) !== undefined) break;
    const channel = readChannelAt(body, 0);
    if (channel !== undefined && lead.channel === undefined && (body[channel.end] === ' ' || isVerbStart(body, channel.end))) {
      lead.channel = channel.name;
      body = body.slice(channel.end);
      continue;
    }
    m = PLACE_HINT.test(body.slice(0, 12)) ? PLACE.exec(body) : null;
    if (m !== null && lead.location === undefined) {
      lead.location = m[1];
      body = body.slice(m[0].length);
      continue;
    }
    m = PERSON_WORD.exec(body);
    if (m !== null) {
      body = body.slice(m[0].length);
      continue;
    }
    m = SUPPLIER_FROM.exec(body) ?? PERSON.exec(body) ?? DELIVERED_BY.exec(body);
    if (m !== null && lead.counterparty === undefined) {
      lead.counterparty = m[1];
      body = body.slice(m[0].length);
      continue;
    }
    break;
  }
  return { body, lead };
}

const VERB_START = /^(?:进|卖|出|退|盘|调|到|入|发|采购|补|销售|售)/;

function isVerbStart(text: string, at: number): boolean {
  return VERB_START.test(text.slice(at, at + 2));
}
