/** Character tests shared by the parsers, on code units for speed. */

/** ASCII letters and CJK ideographs: characters that continue a word. */
export function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/**
 * Whether the text after a verb is glued to it (`查一下`, `改天`, `到货了吗`). Staff type commands
 * with a space or a number after the verb, or a product name; a verb run into other words is
 * usually just a sentence, which the parsers use to stay quiet instead of refusing.
 */
export function gluedAfterVerb(rest: string): boolean {
  return isWordChar(rest[0]);
}
