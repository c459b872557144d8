import pg from 'pg';

/**
 * The PostgreSQL server the tests use: DATABASE_URL_PG, or the one .ci/run provides (trust
 * authentication, database `test`). Each test file creates its own database next to `test`.
 */
export const PG_TEST_URL = process.env.DATABASE_URL_PG || 'postgresql://postgres@127.0.0.1:5432/test';

/** `host:port` of a URL, for messages (never its password). */
export function pgTarget(url: string): string {
  const u = URL.parse(url);
  return u ? `${u.hostname || 'localhost'}:${u.port || '5432'}` : 'the configured server';
}

/** Whether a server answers within a second; a missing server is a normal state, not an error. */
export async function pgAvailable(url = PG_TEST_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PG_TEST_URL with another database name. */
export function urlFor(database: string, base = PG_TEST_URL): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One statement on the test server's own database (creating and dropping the test databases). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
