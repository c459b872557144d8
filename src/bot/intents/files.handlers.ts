import type { Command } from '../command.ts';
import type { BotReply } from '../engine.ts';
import { FILES_UNAVAILABLE } from '../files/file-replies.ts';
import type { HandlerContext } from './handler.ts';

/** Files need the asynchronous path (ChatGateway.respond); a caller without it gets told. */
export function filesUnavailable(_command: Command, { reply }: HandlerContext): BotReply {
  return reply(FILES_UNAVAILABLE);
}
