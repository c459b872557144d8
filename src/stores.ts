import type { AccessStore } from './core/access.ts';
import type { DigestQueries } from './core/digest-queries.ts';
import type { DigestRunStore } from './core/digest-runs.ts';
import type { ReportReader } from './core/export-rows.ts';
import type { LedgerQueries } from './core/ledger-queries.ts';
import type { LedgerStore } from './core/ports.ts';
import type { ReportQueries } from './core/report-queries.ts';
import type { PendingImports } from './bot/files/files.port.ts';
import type { WebAuthStore } from './bot/web/web.port.ts';
import type { HandledMessages } from './adapters/wechat/recent-ids.ts';
import type { LoginLeases } from './core/login-lease.ts';

/**
 * Every port of one database, as the application wires them: SQLite (src/adapters/prisma) or
 * PostgreSQL (src/adapters/postgres) implements each, so the whole product runs on either.
 */
export interface Stores {
  provider: 'sqlite' | 'postgresql';
  store: LedgerStore;
  access: AccessStore;
  digest: DigestQueries & DigestRunStore;
  reports: ReportQueries;
  ledger: LedgerQueries;
  webAuth: WebAuthStore;
  pendingImports: PendingImports;
  handled: HandledMessages;
  /** Export reads (spreadsheets), rows streamed one at a time. */
  reader: ReportReader;
  /** Who owns a chat login (WeChat) when several processes share the database. */
  loginLeases: LoginLeases;
  close(): Promise<void>;
}
