/**
 * What the bot says about spreadsheets: refusals, hints and captions, the same on every chat.
 */

/** Files larger than this are refused (the Telegram Bot API lets bots download up to 20 MB). */
export { MAX_IMPORT_BYTES } from '../../core/limits.ts';
import { MAX_IMPORT_BYTES } from '../../core/limits.ts';

/** A previewed import waits this long for 「确认导入」. */
export const PENDING_MINUTES = 10;

export const CONFIRM_HINT = '回复「确认导入」导入，或发「取消」';
export const SKIP_HINT = '回复「确认导入 跳过」只导入没问题的行';
/** Shown inside the import report next to the rows with problems. */
export const SKIP_BAD_HINT = '回复「确认导入 跳过」';
export const OWNER_ONLY_IMPORT = '📄 只有老板在与机器人的私聊里才能导入表格。';
export const NOT_A_SPREADSHEET = '❌ 只能导入 .xlsx 或 .csv 表格。例：把「期初库存.xlsx」发给我。';
export const TOO_BIG = `❌ 文件太大（最多 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）。请拆成几个文件，或用命令行 jxc import 导入。`;
export const NOTHING_PENDING = `没有待确认的导入（${PENDING_MINUTES} 分钟内有效）。请重新发送表格。`;
export const NOTHING_TO_CANCEL = '没有待确认的导入，不用取消。';
export const CANCELLED = '已取消导入，没有写入任何数据。';
export const EXPORT_IN_PRIVATE = '🔒 导出含成本和利润，请在与机器人的私聊里发「导出」。';
export const DOWNLOAD_FAILED = '⚠️ 下载文件失败，请稍后重发。';
export const FILE_FAILED = '⚠️ 处理表格时出错了，没有写入任何数据。请稍后再试；如果一直这样，请联系管理员。';
/** `导入` as text where files are sent as files. */
export const SEND_THE_FILE = '📄 把 .xlsx 或 .csv 表格文件直接发给我就能导入（先试导入，回复「确认导入」才写入）。';
/** An adapter that cannot send files (yet) answers a file with this. */
export const FILES_UNAVAILABLE = '📄 这个聊天还不能收发文件。请在 Telegram、微信或控制台里与机器人私聊。';

/** The console could not open the path given to 导入. */
export function fileNotFound(path: string): string {
  return `❌ 打不开文件「${path}」。请写完整路径，例：导入 /home/me/期初库存.xlsx`;
}

/** What the preview asks for: confirm, or confirm skipping the bad rows. */
export function previewHint(problems: number): string {
  return `${problems > 0 ? `${SKIP_HINT}，或发「取消」` : CONFIRM_HINT}（${PENDING_MINUTES} 分钟内有效）`;
}

export function stockCaption(shopName: string): string {
  return `📦 「${shopName}」当前库存`;
}

export function entriesCaption(shopName: string, periodLabel: string, rows: number): string {
  return `📊 「${shopName}」${periodLabel}：流水 ${rows} 条，含利润表`;
}

/** The console's line for a file it saved instead of sending. */
export function savedFileText(caption: string, path: string): string {
  return `${caption}\n📁 已保存到 ${path}`;
}

/** The console could not write the file (a full disk, a folder without permission). */
export function fileNotSaved(caption: string, reason: string): string {
  return `${caption}\n⚠️ 文件没有保存：${reason}。请换个目录再试。`;
}
