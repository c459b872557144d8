import type { EntryView } from '../../core/ports.ts';
import type { IncomingMessage } from '../engine.ts';
import { refusalText } from '../refusals.ts';
import { correctionReply, undoReply } from '../replies.ts';
import type { Handler, HandlerServices } from './handler.ts';

/** How long staff may undo their own entries. */
export const UNDO_HOURS = 24;

/** 撤销: the entry named, the message replied to, or the sender's last one. */
export const undoHandler: Handler<'undo'> = async (command, { message, shop, access, now, source, reply, bot }) => {
  const replyTo = command.entryNo === undefined ? undoTarget(message) : undefined;
  if (command.entryNo === undefined && replyTo === undefined) {
    const last = await lastUndo(bot, shop.id, source.actorId, now);
    // A redelivered 撤销 was applied already: the ledger says so (duplicate), not the second-undo rule.
    // Asked after reading the last undo, not before: another process may apply this very message in
    // between, and an undo seen above is then found here, in the same or a later commit.
    if (last !== undefined && await bot.store.read((uow) => uow.findMessage(source)) === undefined) {
      return reply(refusalText({ code: 'SECOND_UNDO', lastSeq: last.seq }));
    }
  }
  const result = await bot.service.undo(
    shop.id,
    { entryNo: command.entryNo, messageOfEntry: replyTo?.entryNo, replyTo: replyTo?.message, limit: access.limit },
    source,
  );
  if (!result.ok) return reply(await bot.refusal(result, shop.id, 'undo'));
  return reply(undoReply(result.value), result.value.reversals.map((e) => e.seq), result.value.duplicate);
};

/** 改 #12 数量 3: a reversal and a replacement. */
export const correctHandler: Handler<'correct'> = async (command, { shop, access, source, seeCost, reply, bot }) => {
  const value = command.field === 'quantity' ? command.value : Math.round(command.value);
  const other = command.changes?.find((c) => c.field !== command.field);
  const also = other === undefined ? undefined : { field: other.field, value: other.field === 'quantity' ? other.value : Math.round(other.value) };
  const result = await bot.service.correct(shop.id, { entryNo: command.entryNo, field: command.field, value, also, limit: access.limit }, source);
  if (!result.ok) return reply(await bot.refusal(result, shop.id, 'correct'));
  const v = result.value;
  return reply(correctionReply(v, seeCost), [v.reversal.seq, v.replacement.seq], v.duplicate);
};

/** Replying 「撤销」 to a bot confirmation undoes the message it confirms (all its entries); to a user message, that message's entries. */
function undoTarget(message: IncomingMessage): { entryNo?: number; message?: { platform: string; chatId: string; messageId: string } } | undefined {
  const target = message.replyTo;
  if (!target) return undefined;
  if (target.fromBot) {
    const seq = /#(\d+)/.exec(target.text ?? '')?.[1];
    return seq ? { entryNo: Number(seq) } : undefined;
  }
  return { message: { platform: message.platform, chatId: message.chatId, messageId: target.messageId } };
}

/**
 * The sender's undo, when their latest entry is one (not a correction): a second plain 撤销 would
 * walk back into older history, which is never what was meant.
 */
async function lastUndo(bot: HandlerServices, shopId: number, actorId: string, now: Date): Promise<EntryView | undefined> {
  const recent = await bot.store.entries(shopId, { from: new Date(now.getTime() - UNDO_HOURS * 3_600_000) });
  let latest: EntryView | undefined;
  for (const e of recent) if (e.actorId === actorId && (latest === undefined || e.seq > latest.seq)) latest = e;
  if (latest === undefined || latest.kind !== 'reversal') return undefined;
  const message = latest.messageId;
  const correction = message !== null && recent.some((e) => e.messageId === message && e.replacesId !== null);
  return correction ? undefined : latest;
}
