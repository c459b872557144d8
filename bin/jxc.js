#!/usr/bin/env node
// The `jxc` command: runs the compiled JavaScript in dist/ (built by `npm install` from a clone, or
// shipped in the package): the bundle in dist/bundle/ when the build made one (a few files load much
// faster than the ~90 modules of dist/), else dist/cli/main.js. Settings come from the environment and
// from .env in the working directory.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const main = existsSync(bundle) ? bundle : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('jxc 还没有编译：请在 jxc-bot 目录运行 npm run build（或重新 npm install）。\njxc is not built yet: run `npm run build` in the jxc-bot directory.\n');
  process.exit(1);
}
await import('dotenv/config');
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
