import type { ShopRecord, SourceInput } from '../../core/ports.ts';
import type { Command, Intent } from '../command.ts';
import type { BotReply, ChatAccess, IncomingMessage } from '../engine.ts';

/** What a handler gets besides its command: the message, the shop, who asks and the reply builder. */
export interface HandlerContext {
  message: IncomingMessage;
  shop: ShopRecord;
  access: ChatAccess;
  now: Date;
  /** Where written entries come from (chat, message, actor). */
  source: SourceInput;
  /** True when cost, value and profit may be shown in this chat to this person. */
  seeCost: boolean;
  /** A reply for this command's intent. */
  reply(text: string, entrySeqs?: number[], duplicate?: boolean): BotReply;
}

/** Runs one intent's command. */
export type Handler<I extends Intent> = (command: Extract<Command, { intent: I }>, context: HandlerContext) => BotReply;

/** One handler per intent: an intent without one fails to compile, so dispatch is exhaustive. */
export type IntentHandlers = { [I in Intent]: Handler<I> };
