import { parsePeriod } from '../../bot/parse/index.ts';
import type { Period } from '../../bot/command.ts';

/** A period typed into a page (本月, 上周, 11月1日到11月20日), read by the chat's own period words. */
export type PeriodInput = { ok: true; period: Period | undefined } | { ok: false; text: string };

/** Empty text is no period; text the chat would not read as a period is an error to show. */
export function readPeriod(text: string | undefined, now: Date, timeZone: string): PeriodInput {
  const t = text?.trim() ?? '';
  if (t === '') return { ok: true, period: undefined };
  const period = parsePeriod(t, now, timeZone);
  return period ? { ok: true, period } : { ok: false, text: t };
}

/** What a page says for a period it could not read. */
export const periodHelp = (text: string): string => `看不懂时段「${text}」。例：今天、昨天、本周、上周、本月、上个月、最近7天、11月1日到11月20日`;
