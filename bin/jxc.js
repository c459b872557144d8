#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), so `npm install && npm start` is all it takes.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
