import type { Stores } from '../../stores.ts';
import { PgAccessStore } from './pg-access.ts';
import { PgDigestStore } from './pg-digest.ts';
import { PgExportReader } from './pg-export-reader.ts';
import { PgHandledMessages } from './pg-handled.ts';
import { PgLoginLeases } from './pg-login-lease.ts';
import { PgPendingImports } from './pg-pending-imports.ts';
import { openPgPool, type PgPoolOptions } from './pg-pool.ts';
import { PgReports } from './pg-reports.ts';
import { PgStore } from './pg-store.ts';
import { PgLedger, PgWebAuth } from './pg-web.ts';

/** The PostgreSQL stores, with the pool they share. */
export interface PostgresStores extends Stores {
  provider: 'postgresql';
  store: PgStore;
}

/**
 * Every port on the PostgreSQL database at `url`, its migrations applied first: one pool per
 * process; a message is one transaction on one of its connections (see pg-store.ts for the locks
 * that keep several processes exact).
 */
export async function openPostgresStores(url: string, options: PgPoolOptions = {}): Promise<PostgresStores> {
  const pool = await openPgPool(url, options);
  return {
    provider: 'postgresql',
    store: new PgStore(pool),
    access: new PgAccessStore(pool),
    digest: new PgDigestStore(pool),
    reports: new PgReports(pool),
    ledger: new PgLedger(pool),
    webAuth: new PgWebAuth(pool),
    pendingImports: new PgPendingImports(pool),
    handled: new PgHandledMessages(pool),
    reader: new PgExportReader(pool),
    loginLeases: new PgLoginLeases(pool),
    close: () => pool.end(),
  };
}
