/**
 * WeChat shows a long text as one tall bubble that is hard to read on a phone and that some puppets
 * truncate, so long replies go out as several messages.
 */

/** Characters per message that still read comfortably on a phone screen. */
export const WECHAT_MAX_CHARS = 800;

/**
 * Splits `text` into parts of at most `max` characters (code points), breaking at line ends where it
 * can and inside a line only when the line alone is too long. Parts after the first of a split reply
 * are numbered so readers can tell they belong together; the numbering counts toward the limit.
 */
export function splitForWechat(text: string, max = WECHAT_MAX_CHARS): string[] {
  if (text.length <= max || length(text) <= max) return [text];
  // Room for the `（12/34）` marker that is added to every part.
  const budget = Math.max(1, max - 10);
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (length(candidate) <= budget) {
      current = candidate;
      continue;
    }
    flush();
    let rest = [...line];
    while (rest.length > budget) {
      parts.push(rest.slice(0, budget).join(''));
      rest = rest.slice(budget);
    }
    current = rest.join('');
  }
  flush();
  if (parts.length <= 1) return parts;
  return parts.map((part, i) => `${part}\n（${i + 1}/${parts.length}）`);
}

/** Length in code points, so an emoji counts as one character as it does on screen. */
function length(text: string): number {
  return [...text].length;
}
