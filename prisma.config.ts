import { defineConfig } from 'prisma/config';
import { databaseProviderOf } from './src/config.ts';

// The CLI reads the database from DATABASE_URL; the program itself applies migrations at start-up.
// A postgresql:// URL points the CLI at the PostgreSQL schema and its own migrations folder, so that
// `prisma migrate status|deploy` on a PostgreSQL database reads the PostgreSQL history.
const url = process.env.DATABASE_URL ?? 'file:./data/jxc.db';
const postgres = databaseProviderOf(url) === 'postgresql';

export default defineConfig({
  schema: postgres ? 'prisma/postgresql/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: postgres ? 'prisma/postgresql/migrations' : 'prisma/migrations' },
  datasource: { url },
});
