// Loaded with `node --import`: writes every module the process loads (ES modules through a load hook,
// CommonJS from require.cache at exit) to the file named by JXC_MODULE_TRACE, one path per line.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(process.env.JXC_MODULE_TRACE, `${Object.keys(require.cache).join('\n')}\n`));
