#!/usr/bin/env node
'use strict';
// The `jxc` command: runs the compiled JavaScript in dist/ (built by `npm install` from a clone, or
// shipped in the package): the one-file bundle dist/bundle/main.cjs when the build made it, else the
// plain tsc output dist/cli/main.js. This file is CommonJS, as the bundle is, so that a start-up reads
// and compiles two files synchronously and never starts Node's ES-module loader for them. Settings
// come from the environment and from .env in the working directory (variables already set win).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'main.cjs');
const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');

function loadEnv() {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if (error.code !== 'ENOENT') process.stderr.write(`.env 读取失败，已跳过：${error.message}\n`);
  }
}

async function main() {
  if (!existsSync(bundle) && !existsSync(compiled)) {
    process.stderr.write('jxc 还没有编译：请在 jxc-bot 目录运行 npm run build（或重新 npm install）。\njxc is not built yet: run `npm run build` in the jxc-bot directory.\n');
    return 1;
  }
  loadEnv();
  const { runCli } = existsSync(bundle) ? require(bundle) : await import(require('node:url').pathToFileURL(compiled).href);
  return runCli(process.argv.slice(2));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = 1;
    throw error;
  },
);
