/** Telegram refuses messages longer than this many UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Telegram refuses photo captions longer than this. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/**
 * Splits a long reply into messages Telegram accepts, at line boundaries so no stock line is cut
 * in half. Only a single line longer than the limit is cut inside, never between a surrogate pair.
 * Joining the parts with `\n` gives the original text back unless a line had to be cut or a part
 * would have been blank (Telegram refuses empty messages).
 */
export function splitMessage(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (current !== undefined && current.length + 1 + line.length <= limit) {
      current += `\n${line}`;
      continue;
    }
    if (current !== undefined) parts.push(current);
    current = undefined;
    let rest = line;
    while (rest.length > limit) {
      let cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current !== undefined) parts.push(current);
  // Telegram refuses empty messages; blank runs between long blocks carry nothing.
  return parts.filter((part) => part.trim() !== '');
}
