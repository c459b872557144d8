/**
 * How big a spreadsheet the bot and the command line agree to read. Files come from chat, so they
 * are untrusted: an .xlsx is a zip, and 6.8 MB of zip can expand to gigabytes in memory. The limits
 * are checked before any parsing — for an xlsx from the sizes its zip directory declares, for a CSV
 * from its byte size and line count — and leave room for a 200,000-row ledger (about 64 MB unpacked).
 */
export { TABLE_LIMITS, type TableLimits } from '../../core/limits.ts';
import type { TableLimits } from '../../core/limits.ts';

const MB = 1024 * 1024;
const mb = (bytes: number): string => (bytes >= 10 * MB ? String(Math.round(bytes / MB)) : (bytes / MB).toFixed(1));
const rowsText = (n: number): string => n.toLocaleString('en-US');
const SPLIT = '请拆成几个文件再导入（例如每个文件一个月的流水），或删掉不用的工作表和列。';

/** The refusal of a file over a limit, with the limits in it. */
export function tooBigMessage(what: { unpackedBytes: number } | { csvBytes: number } | { rows: number }, limits: TableLimits): string {
  const all = `上限：最多 ${rowsText(limits.maxRows)} 行，xlsx 解压后最多 ${mb(limits.maxUnpackedBytes)} MB，CSV 最多 ${mb(limits.maxCsvBytes)} MB。`;
  if ('unpackedBytes' in what) return `这个 xlsx 解压后有 ${mb(what.unpackedBytes)} MB，太大了。${all}${SPLIT}`;
  if ('csvBytes' in what) return `这个 CSV 文件有 ${mb(what.csvBytes)} MB，太大了。${all}${SPLIT}`;
  return `表格有 ${rowsText(what.rows)} 行以上，太多了。${all}${SPLIT}`;
}

/**
 * The sum of the uncompressed sizes an xlsx (zip) declares in its central directory, without
 * inflating anything; undefined when the directory cannot be read (the file is then not a zip we read).
 * A ZIP64 size (0xFFFFFFFF) counts as 4 GiB: no spreadsheet we accept needs one.
 */
export function declaredUnpackedBytes(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(at + 24, true);
    total += size === 0xffffffff ? 4 * 1024 * MB : size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

/** Lines in a CSV's bytes (an upper bound of its records), counted without decoding. */
export function lineCount(bytes: Uint8Array): number {
  let n = 0;
  let from = 0;
  for (;;) {
    const i = bytes.indexOf(0x0a, from);
    if (i < 0) break;
    n++;
    from = i + 1;
  }
  return from < bytes.length ? n + 1 : n;
}
