/**
 * What a failed Bot API call says, fit for the log: name, message, stack, and Telegram's error code,
 * description and method when there are some. Nested causes are left out on purpose: a network
 * error's cause names the request URL, and that URL contains the bot token.
 */
export function apiFailure(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { name?: unknown; message?: unknown; stack?: unknown; error_code?: unknown; description?: unknown; method?: unknown };
  const info: Record<string, unknown> = { name: e.name, message: e.message, stack: e.stack };
  if (typeof e.error_code === 'number') info.code = e.error_code;
  if (typeof e.description === 'string') info.description = e.description;
  if (typeof e.method === 'string') info.method = e.method;
  return info;
}
