import pg from 'pg';
import { migratePostgres, type PgMigrateOptions } from './migrate.ts';
import { jxcPgTypes } from './pg-types.ts';

/** Something a query can be sent to: the pool (one statement, autocommit) or a checked-out client. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** How openPgPool connects; every field has a default fit for one bot process. */
export interface PgPoolOptions extends PgMigrateOptions {
  /**
   * Most connections the process holds. Each write transaction holds one for its length; ten lets a
   * long import, the repost queue and several chats' messages run side by side without taking much
   * of a small server's `max_connections` (100 by default) when several processes share it.
   */
  max?: number;
  /** How long to wait for a connection (new or from the pool), in milliseconds. */
  connectTimeoutMs?: number;
  /** Close a connection left idle this long, in milliseconds. */
  idleTimeoutMs?: number;
  /** Apply pending migrations before returning (the default); false when something else has. */
  migrate?: boolean;
}

/**
 * The process's connection pool to the PostgreSQL database at `url`, with the schema brought up to
 * date first (see migrate.ts), so no store ever runs against an older schema. Integers come back as
 * exact JavaScript numbers (pg-types.ts), and connections say `jxc-bot` in pg_stat_activity.
 */
export async function openPgPool(url: string, options: PgPoolOptions = {}): Promise<pg.Pool> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (options.migrate !== false) await migratePostgres(url, { ...options, connectTimeoutMs });
  const pool = new pg.Pool({
    connectionString: url,
    types: jxcPgTypes,
    max: options.max ?? 10,
    application_name: 'jxc-bot',
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
  });
  // An idle connection the server drops (a restart, a network cut) is reported here; the pool already
  // discards it and opens another on demand, so the process must not crash on the event.
  pool.on('error', () => undefined);
  return pool;
}
