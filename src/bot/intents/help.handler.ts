import { helpText } from '../help.ts';
import type { Handler } from './handler.ts';

/** 帮助 / 帮助 进货: the general or one intent's help. */
export const helpHandler: Handler<'help'> = (command, { reply }) => reply(helpText(command.topic));
