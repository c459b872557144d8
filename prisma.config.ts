import { defineConfig } from 'prisma/config';

// The CLI reads the database from DATABASE_URL; the program itself applies migrations at start-up.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/jxc.db' },
});
