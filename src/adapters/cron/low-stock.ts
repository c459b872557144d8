import { reorderCrossings, salesRanges } from '../../core/digest.ts';
import type { DigestQueries } from '../../core/digest-queries.ts';
import type { Clock } from '../../core/ports.ts';
import { lowStockAlertText } from '../../bot/digest.ts';
import type { DigestRunStore } from '../../core/digest-runs.ts';
import type { DigestOutbox, SchedulerLogger } from './digest-scheduler.ts';

/** The part of a chat reply the alert looks at (src/bot/engine.ts BotReply). */
export interface ReplyFacts {
  intent?: string | undefined;
  entrySeqs: readonly number[];
  duplicate: boolean;
}

export interface LowStockAlertDeps {
  queries: DigestQueries;
  runs: Pick<DigestRunStore, 'saleEntries' | 'activeChats' | 'blockChat'>;
  outbox: DigestOutbox;
  clock: Clock;
  logger: SchedulerLogger;
}

/** Sends the optional low-stock alert after a sale; see createLowStockAlerts. */
export interface LowStockAlerts {
  /**
   * Call after a chat message was handled, with the shop and the reply. When the shop has the alert on
   * and the message was a new sale that took a product from above its reorder level to at or below
   * it, every bound chat gets one line. Resolves to the number of chats it reached.
   */
  afterReply(shopId: number, reply: ReplyFacts): Promise<number>;
}

/**
 * The alert the moment a sale crosses a reorder level. It fires once per crossing (a later sale further
 * below the line says nothing), carries no cost figures, so staff groups get it too, and is sent once
 * without retries: the evening digest repeats the shortage anyway.
 */
export function createLowStockAlerts(deps: LowStockAlertDeps): LowStockAlerts {
  return {
    async afterReply(shopId, reply) {
      if (reply.intent !== 'sale' || reply.duplicate || reply.entrySeqs.length === 0) return 0;
      const settings = await deps.queries.settings(shopId);
      if (!settings.lowStockAlert) return 0;
      const sold = await deps.runs.saleEntries(shopId, reply.entrySeqs);
      if (sold.length === 0) return 0;
      const ids = [...new Set(sold.map((e) => e.productId))];
      const asOf = deps.clock.now();
      const sales = await deps.queries.productSales(shopId, salesRanges(settings, asOf), ids);
      const text = lowStockAlertText(reorderCrossings(sold, await deps.queries.products(shopId, ids), sales, settings, asOf));
      if (text === null) return 0;
      let reached = 0;
      for (const chat of await deps.runs.activeChats(shopId)) {
        if (!deps.outbox.has(chat.platform)) continue;
        const result = await deps.outbox.send(chat.platform, chat.chatId, text);
        if (result.ok) reached += 1;
        else if (result.permanent) await deps.runs.blockChat(chat.platform, chat.chatId, deps.clock.now());
        if (!result.ok) deps.logger.warn({ shop: shopId, platform: chat.platform, chat: chat.chatId, error: result.error }, 'low-stock alert not delivered');
      }
      deps.logger.info({ shop: shopId, chats: reached }, 'low-stock alert sent');
      return reached;
    },
  };
}
