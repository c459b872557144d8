// Generates the Prisma clients at install time: SQLite's from prisma/schema.prisma (into
// src/adapters/prisma/generated) and PostgreSQL's from prisma/postgresql/schema.prisma (into
// src/adapters/postgres/generated); each provider needs a client of its own. `prisma generate` needs no schema engine, but the CLI
// tries to download one unless PRISMA_SCHEMA_ENGINE_BINARY names an executable, so point it at a
// harmless one when none is configured (offline installs, CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync('/bin/true') ? '/bin/true' : process.execPath;
const cli = require.resolve('prisma/build/index.js');
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], { stdio: 'inherit', env, cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
