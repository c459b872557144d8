/**
 * Strips what chat platforms put before a command: `@botname ` mentions (Telegram, WeChat rooms)
 * and the `/command@botname` form, which is mapped onto the Chinese verbs.
 */

const MENTION = /^@[^\s@]+\s+/;

function namesMatch(name: string, botNames: readonly string[] | undefined): boolean {
  if (botNames === undefined) return false;
  const n = name.toLowerCase();
  return botNames.some((b) => b.replace(/^@/, '').toLowerCase() === n);
}

/**
 * Removes leading @mentions. A mention of one of `botNames` may be glued to the command
 * (`@jxcbot进货 …`); any other `@word` needs a space after it. Returns undefined when nothing
 * but mentions is left.
 */
export function stripMentions(text: string, botNames?: readonly string[]): string | undefined {
  let out = text;
  for (let k = 0; k < 5 && out.startsWith('@'); k++) {
    const own = botNames?.find((b) => b.length > 0 && out.toLowerCase().startsWith(`@${b.replace(/^@/, '').toLowerCase()}`));
    if (own !== undefined) {
      out = out.slice(own.replace(/^@/, '').length + 1).trimStart();
      continue;
    }
    const m = MENTION.exec(out);
    if (m === null) return /^@\S*$/.test(out) ? undefined : out;
    out = out.slice(m[0].length);
  }
  return out.length > 0 ? out : undefined;
}

const SLASH = /^\/([A-Za-z][A-Za-z0-9_]*)(?:@(\S+))?(?:\s+([\s\S]*))?$/;

const SLASH_VERBS: Readonly<Record<string, string>> = {
  help: '帮助',
  start: '帮助',
  stock: '库存',
  inventory: '库存',
  digest: '日报',
  daily: '日报',
  report: '日报',
  profit: '利润',
  sales: '销量',
  undo: '撤销',
};

/**
 * Maps `/help`, `/stock`, `/digest` … onto the chat language, and `/进货 …` onto `进货 …`.
 * `/cmd@otherbot` belongs to another bot in the same group and gives undefined, as do
 * slash commands we do not know.
 */
export function rewriteSlashCommand(text: string, botNames?: readonly string[]): string | undefined {
  if (!text.startsWith('/')) return text;
  const second = text.charCodeAt(1);
  if (second >= 0x3400 && second <= 0x9fff) return text.slice(1);
  const m = SLASH.exec(text);
  if (m === null) return undefined;
  const addressee = m[2];
  if (addressee !== undefined && !namesMatch(addressee, botNames)) return undefined;
  const verb = SLASH_VERBS[(m[1] ?? '').toLowerCase()];
  if (verb === undefined) return undefined;
  const args = (m[3] ?? '').trim();
  if (args.length === 0) return verb;
  return verb === '库存' ? `查 ${args}` : `${verb} ${args}`;
}
