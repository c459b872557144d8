import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack`, then `npm install` of the tarball into an empty project,
// then plain `node` (no TypeScript loader) runs `npx jxc` and imports `jxc-bot/telegraf`.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jxc-pack-'));
// The installed project holds a whole node_modules (ECharts, resvg…): removing it takes a while on a busy machine.
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

/**
 * The child npm sees the user's npm configuration (cache, registry) but nothing of the `npm test`
 * that may be running this file (npm_package_*, its prefix), nor vitest's loader.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$)/i.test(key) && !/^npm_config_(cache|registry|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, options: { input?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, input: options.input ?? '', encoding: 'utf8', env: cleanEnv(options.env), timeout: 600_000 });
}

/**
 * better-sqlite3 ships no binary in its npm tarball: its install script downloads a prebuilt one from
 * GitHub or compiles SQLite (minutes). Offline, the test hands prebuild-install a local prebuild
 * directory (its `local-prebuilds` option, as a mirror would) holding the binary this checkout's own
 * install built for the same version, Node ABI and platform; the install itself is the ordinary one.
 * If the versions differ, nothing matches and the install compiles, slower but the same result.
 */
function localPrebuilds(): Record<string, string> {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkgDir = join(require.resolve('better-sqlite3/package.json'), '..');
  const binary = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) return {};
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(prebuilds, name), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: prebuilds };
}

/**
 * JXC_PACKAGE_TEST=full: the plain `npm install <tarball>` of a new user, every dependency extracted
 * from the npm cache or registry (a minute or more, hundreds of MB).
 */
const FULL_INSTALL = process.env.JXC_PACKAGE_TEST === 'full';

function installPlain(tarball: string): SpawnSyncReturns<string> {
  writeFileSync(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'shop', private: true }));
  return run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], join(dir, 'app'), { env: localPrebuilds() });
}

/**
 * By default: `npm install` of the tarball with each dependency that the packed package.json lists
 * linked (file:) from this checkout's node_modules, so npm resolves the package against exactly the
 * dependencies it declares, offline, in seconds. A dependency missing from the packed package.json is
 * missing here too, and the optional peers are not installed; install scripts stay off because the
 * linked packages are this checkout's, already built.
 */
function installLinked(tarball: string): SpawnSyncReturns<string> {
  const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as { dependencies: Record<string, string> };
  const modules = realpathSync(join(ROOT, 'node_modules'));
  const dependencies: Record<string, string> = { 'jxc-bot': `file:${tarball}` };
  for (const name of Object.keys(packed.dependencies)) dependencies[name] = `file:${join(modules, name)}`;
  writeFileSync(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'shop', private: true, dependencies }));
  return run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], join(dir, 'app'));
}

describe('the packed package', () => {
  const project = join(dir, 'app');
  let tarball = '';

  it('packs dist/, the generated Prisma client and the migrations, not the TypeScript sources', () => {
    // dist/ is fresh (tests/helpers/build-dist.ts); `npm pack` would run prepare to build it again.
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/jxc.cjs', 'dist/bundle/main.cjs', 'dist/bundle/export-worker.js', 'dist/cli/main.js', 'dist/main.d.ts', 'dist/telegraf.js', 'dist/adapters/prisma/generated/client.js', 'prisma/migrations/20261127000000_init/migration.sql', 'prisma/postgresql/migrations/20261127000000_init/migration.sql', 'assets/fonts/NotoSansSC-subset.ttf', 'assets/fonts/OFL.txt']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('tests/') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    tarball = join(dir, info!.filename);
  });

  it('installs with npm install into an empty project, without the optional chat libraries', () => {
    mkdirSync(project);
    const started = performance.now();
    const installed = FULL_INSTALL ? installPlain(tarball) : installLinked(tarball);
    console.info(`npm install of the packed tarball (${FULL_INSTALL ? 'plain' : 'dependencies linked'}): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(installed.status, installed.stderr).toBe(0);
    for (const name of ['jxc-bot', 'better-sqlite3', '@prisma/client', 'grammy']) expect(existsSync(join(project, 'node_modules', name)), name).toBe(true);
    // Optional peers are not installed (npm installs a required peer, and offline would fail on it).
    for (const name of ['wechaty', 'file-box', 'telegraf', 'prisma', 'tsx', 'typescript']) expect(existsSync(join(project, 'node_modules', name)), name).toBe(false);
  });

  it('runs `npx jxc chat` on a pipe with plain node', () => {
    const env = { DATABASE_URL: `file:${join(project, 'shop.db')}` };
    const chat = run('npx', ['--no-install', 'jxc', 'chat'], project, { env, input: '进货 T恤 5 件 单价 20\n查 T恤\n' });
    expect(chat.stderr).toBe('');
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain('✅ #1 进货 T恤 5件 × 20.00 = 100.00 → 库存 5件');
    expect(chat.stdout).toContain('📦 T恤：5件，均价 20.00，金额 100.00');
  });

  it('draws the digest picture with the font it ships (`npx jxc digest --image`)', () => {
    const env = { DATABASE_URL: `file:${join(project, 'shop.db')}` };
    const drawn = run('npx', ['--no-install', 'jxc', 'digest', '--image', 'digest.png'], project, { env });
    expect(drawn.status, drawn.stderr).toBe(0);
    expect(drawn.stderr).toContain('日报图片已保存到');
    expect([...readFileSync(join(project, 'digest.png')).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('lets a plain-node .mjs file import jxcTelegraf from jxc-bot/telegraf', () => {
    writeFileSync(
      join(project, 'host.mjs'),
      [
        "import { createApp, createConfig, jxcTelegraf } from 'jxc-bot/telegraf';",
        `const app = await createApp(createConfig({ DATABASE_URL: ${JSON.stringify(`file:${join(project, 'host.db')}`)}, LOG_LEVEL: 'silent' }));`,
        'const middleware = jxcTelegraf(app);',
        "console.log(typeof middleware, (await app.shop('网店')).name);",
        'await app.close();',
      ].join('\n'),
    );
    const host = run(process.execPath, ['host.mjs'], project);
    expect(host.stderr).toBe('');
    expect(host.stdout).toBe('function 网店\n');
  });

  it('says how to install wechaty when WeChat is configured without it', () => {
    const start = run(process.execPath, [join(project, 'node_modules', '.bin', 'jxc'), 'start'], project, { env: { DATABASE_URL: `file:${join(project, 'wx.db')}`, WECHATY_PUPPET: 'wechaty-puppet-service' } });
    expect(start.status).toBe(1);
    expect(start.stderr).toContain('请先在 jxc-bot 目录运行：npm install wechaty');
  });
}, 900_000);
