// Compiles src/ to dist/ (JavaScript and declarations) with tsc; run by `npm install` from a clone
// (prepare), by `npm pack`, and by `npm run build`. The stamp tells the test set-up dist/ is fresh.
//
// Then esbuild bundles the command line into one CommonJS file, dist/bundle/main.cjs, which
// bin/jxc.cjs loads with a plain synchronous require: one file read and compiled, no ES-module loader
// and no per-file resolution, which is most of a `jxc` start-up. CommonJS (not an ES-module bundle)
// because esbuild keeps what the command line loads lazily lazy only in CommonJS output when it makes
// one file: a lazily imported module's packages (grammy, wechaty, exceljs, node-cron) become require()
// calls run when that module is first used, where an ES-module file would import them all at the top.
// The packages in node_modules and the generated Prisma client stay outside the bundle.
// The export worker is bundled on its own, as an ES module, into dist/bundle/export-worker.js.
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
const prismaReader = join(dist, 'adapters', 'prisma', 'prisma-reader.js');
/**
 * The generated Prisma clients stay where tsc put them (each finds its own files next to itself), and
 * so does the Prisma reader that loads one: the bundle imports dist/adapters/prisma/prisma-reader.js,
 * an ES module, with a real import() when a command first needs Prisma.
 */
const keepPrisma = {
  name: 'keep-prisma-client',
  setup(b) {
    b.onResolve({ filter: /generated\/|prisma-reader/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (!generated.some((dir) => path.startsWith(dir)) && path !== prismaReader) return undefined;
      return { path: `./${relative(outdir, path).split(sep).join('/')}`, external: true };
    });
  },
};
const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', plugins: [keepPrisma], logLevel: 'warning' };
await build({
  ...common,
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile: join(outdir, 'main.cjs'),
  format: 'cjs',
  // The modules ask import.meta.url where they are (the migrations, the export worker, createRequire):
  // in the bundle that is the bundle file.
  define: { 'import.meta.url': '__jxcModuleUrl' },
  banner: { js: "var __jxcModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({ ...common, entryPoints: [join(dist, 'export-worker.js')], outfile: join(outdir, 'export-worker.js'), format: 'esm' });

mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
