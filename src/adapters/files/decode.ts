/**
 * Text encodings of the CSV files people actually have: Excel in China saves "CSV" as GBK (GB18030
 * is its superset), newer tools save UTF-8 with or without a byte-order mark, and a few save UTF-16.
 */

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a text file, detecting its encoding; GBK/GB18030 when the bytes are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: a Chinese CSV that is not UTF-8 is GBK, and GB18030 decodes every GBK file.
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
