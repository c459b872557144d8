import { mkdirSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src') + sep;
const DIST = join(ROOT, 'dist');

/**
 * The sources a script imports, as the compiled modules in dist/ (rebuilt from them before every test
 * run by tests/helpers/build-dist.ts): the script is bundled alone, and the application code it runs
 * is exactly what `jxc` runs.
 */
const sourcesFromDist: Plugin = {
  name: 'sources-from-dist',
  setup(b) {
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (!path.startsWith(SRC)) return undefined;
      return { path: join(DIST, relative(SRC, path)).replace(/\.ts$/, '.js'), external: true };
    });
  },
};

const made = new Map<string, Promise<string>>();

/**
 * A TypeScript script that tests start as a process of its own (a writer killed midway, a bot
 * process), compiled to one JavaScript file for plain `node`: its own code and the test helpers it
 * imports bundled, the application modules taken from dist/, packages from node_modules. Starting it
 * costs a bare Node start-up, where tsx would first compile every source module the script reaches
 * (most of a second of CPU per process).
 */
export function compiledScript(script: URL): Promise<string> {
  const source = fileURLToPath(script);
  let out = made.get(source);
  if (!out) {
    // Inside the repository, so that the packages it imports resolve from its node_modules.
    const dir = join(ROOT, 'node_modules', '.cache', 'jxc-test-scripts', String(process.pid));
    if (made.size === 0) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `${basename(source, '.ts')}-${made.size}.mjs`);
    out = build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [sourcesFromDist],
      logLevel: 'warning',
    }).then(() => outfile);
    made.set(source, out);
  }
  return out;
}
