import type { BotLogger } from '../../bot/engine.ts';
import type { Role } from '../../bot/permissions.ts';
import type { SpreadsheetService } from '../../bot/files/files.port.ts';
import type { WebAuthStore, WebSessionRecord } from '../../bot/web/web.port.ts';
import type { DigestQueries } from '../../core/digest-queries.ts';
import type { LedgerQueries } from '../../core/ledger-queries.ts';
import type { Clock, InventoryStore, ShopRecord } from '../../core/ports.ts';
import type { ReportQueries } from '../../core/report-queries.ts';
import type { ChartRenderer } from './charts.ts';

/** What the web view reads through: the same stores and queries the chat uses. */
export interface WebViewDeps {
  store: InventoryStore;
  reports: ReportQueries;
  digest: DigestQueries;
  ledger: LedgerQueries;
  auth: WebAuthStore;
  spreadsheets: Pick<SpreadsheetService, 'exportStock' | 'exportEntries'>;
  clock: Clock;
  logger: BotLogger;
  /** PUBLIC_URL (links and the allowed Origin) and WEB_SECRET. */
  publicUrl: string;
  secret?: string | undefined;
  /**
   * The role the person behind a session has now (`platform:userId`), as in their private chat; null
   * when removed. Checked on every request, so removing someone or demoting an owner takes effect at once.
   */
  currentRole(shopId: number, actorId: string): Promise<Role | null>;
  /** Draws the reports page's charts as SVG; without it the page has tables only (see charts.ts). */
  charts?: ChartRenderer | undefined;
}

/** The signed-in browser's session and shop, for one request. */
export interface Viewer {
  session: WebSessionRecord;
  shop: ShopRecord;
  /** Owner view: cost, stock value and profit are shown. */
  seeCost: boolean;
}
