// Compiles src/ to dist/ (JavaScript and declarations) with tsc; run by `npm install` from a clone
// (prepare), by `npm pack`, and by `npm run build`. The stamp tells the test set-up dist/ is fresh.
//
// Then the command line and the export worker are bundled with esbuild into dist/bundle/: Node loads
// a handful of files instead of about 90 modules one by one, which is most of a `jxc` start-up. The
// packages in node_modules and the generated Prisma client stay outside the bundle; what the command
// line loads lazily (dynamic import) stays lazy, in chunks of its own. bin/jxc.js runs the bundle
// when it is there, and the plain tsc output otherwise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));
const tsc = require.resolve('typescript/bin/tsc');
rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);

const { build } = await import('esbuild');
const outdir = join(dist, 'bundle');
const generated = ['prisma', 'postgres'].map((store) => join(dist, 'adapters', store, 'generated') + sep);
/** The generated Prisma clients stay where tsc put them (each finds its own files next to itself). */
const keepGenerated = {
  name: 'keep-generated-prisma-client',
  setup(b) {
    b.onResolve({ filter: /generated\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (!generated.some((dir) => path.startsWith(dir))) return undefined;
      return { path: `./${relative(outdir, path).split(sep).join('/')}`, external: true };
    });
  },
};
await build({
  entryPoints: { main: join(dist, 'cli', 'main.js'), 'export-worker': join(dist, 'export-worker.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  plugins: [keepGenerated],
  logLevel: 'warning',
});

mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
