import { createRequire } from 'node:module';
import type * as Hans from 'chrono-node/zh/hans';

const load = createRequire(import.meta.url);
let hans: typeof Hans | undefined;

/**
 * chrono's simplified-Chinese parsers, loaded the first time a date word needs them: most lines
 * carry no date, and loading chrono costs about 40 ms of every `jxc` start-up.
 */
export function chronoHans(): typeof Hans {
  hans ??= load('chrono-node/zh/hans') as typeof Hans;
  return hans;
}
