// The load hook of module-trace.mjs (module hooks run on their own thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  appendFileSync(process.env.JXC_MODULE_TRACE, `${url}\n`);
  return next(url, context);
}
