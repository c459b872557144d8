import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from './package-files.ts';

/**
 * The hand-written migration folders, as both database adapters read them: SQLite's
 * prisma/migrations and PostgreSQL's prisma/postgresql/migrations hold one folder per migration,
 * named `<timestamp>_<name>`, with a migration.sql inside. One definition of the order and of the
 * checksum, so the two runners record their history in `_prisma_migrations` exactly as
 * `prisma migrate deploy` would, and a database migrated by either tool is recognised by the other.
 */
export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex: the checksum Prisma records and compares. */
  checksum: string;
}

/**
 * The nearest `<relative>` folder above `from` (the calling module's folder): src/adapters/…,
 * dist/adapters/… or, bundled, dist/bundle/ all find the package's own prisma/ folder.
 */
export function findMigrationsDir(from: string, relative: string): string {
  return packagePath(from, relative) ?? fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** The migration folder names in order (a folder without migration.sql is skipped when read). */
export function migrationNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Whether the folder holds a migration.sql (Prisma skips folders that do not). */
export function hasMigrationSql(dir: string, name: string): boolean {
  return existsSync(join(dir, name, 'migration.sql'));
}

/** One migration's SQL and checksum. */
export function readMigration(dir: string, name: string): MigrationFile {
  const bytes = readFileSync(join(dir, name, 'migration.sql'));
  return { name, sql: bytes.toString('utf8'), checksum: sha256(bytes) };
}

/** The migrations of a folder in order, each with its checksum. */
export function listMigrationFiles(dir: string): MigrationFile[] {
  return migrationNames(dir)
    .filter((name) => hasMigrationSql(dir, name))
    .map((name) => readMigration(dir, name));
}

/** node:crypto is loaded when a migration is read, not at every start-up of an up-to-date database. */
function sha256(bytes: Buffer): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
}
