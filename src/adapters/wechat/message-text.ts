/**
 * What WeChat adds around the words people type: `@name` mentions (ended by U+2005, the
 * four-per-em space WeChat puts after a mention) and quoted replies. Pure functions, so the rules can
 * be tested without a puppet.
 */

const SPACES = /[ \u00A0\u2005\u3000]+/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes every `@name` mention of the bot, wherever it is in the message. `names` are the bot's
 * WeChat name and its alias in the room (people mention whichever the room shows). Names may contain
 * spaces, which is why the general mention rule of the parser (`@word `) cannot do this. Mentions of
 * other people stay: `授权 @小李 店员` needs them.
 */
export function stripBotMention(text: string, names: readonly (string | undefined)[]): { text: string; mentioned: boolean } {
  const candidates = [...new Set(names.map((n) => n?.trim() ?? '').filter((n) => n !== ''))].sort((a, b) => b.length - a.length);
  let out = text;
  let mentioned = false;
  for (const name of candidates) {
    // A mention ends at WeChat's U+2005, a space or the end of the text; `@小王2` is not `@小王`.
    const re = new RegExp(`@${escapeRegExp(name)}(?=[ \\u00A0\\u2005\\n]|$)`, 'g');
    out = out.replace(re, () => {
      mentioned = true;
      return ' ';
    });
  }
  if (!mentioned) return { text, mentioned };
  const cleaned = out
    .split('\n')
    .map((line) => line.replace(SPACES, ' ').trim())
    .join('\n')
    .trim();
  return { text: cleaned, mentioned };
}

/** A quoted message as WeChat renders it in the text of a reply. */
export interface WechatQuote {
  /** Display name of the quoted sender. */
  name: string;
  text: string;
}

// 「小王：进货 T恤 50 件」 / a line of dashes / the reply — how WeChat's clients and most puppets render a quote.
const QUOTE = /^「([^：:\n]{1,64})[：:]([\s\S]*)」[ \t]*\n[ \t]*(?:-[ \t]*){3,}\n([\s\S]*)$/;

/**
 * Separates a quoted reply into the quote and what the person wrote. Without this a reply that
 * quotes the bot's confirmation and says 「撤销」 would start with 「 and read as chatter.
 */
export function splitQuote(text: string): { body: string; quote?: WechatQuote } {
  const m = QUOTE.exec(text);
  if (m === null) return { body: text };
  return { body: (m[3] ?? '').trim(), quote: { name: (m[1] ?? '').trim(), text: (m[2] ?? '').trim() } };
}
