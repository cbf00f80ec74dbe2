import type { BotCommand } from 'grammy/types';
import type { AnyCommand } from '../commands/defineCommand.js';

/** Telegram's rules for setMyCommands; a registry that breaks them is a bug, caught at start-up. */
const NAME = /^[a-z0-9_]{1,32}$/;
const MAX_DESCRIPTION = 256;

/**
 * The "/" menu, from the same registry every platform uses, in its order. Telegram shows only the
 * description, so it is the command's own one-line description.
 */
export function telegramMenu(commands: readonly AnyCommand[]): BotCommand[] {
  return commands.map((command) => {
    if (!NAME.test(command.name)) throw new Error(`command name "${command.name}" is not allowed by Telegram ([a-z0-9_]{1,32})`);
    const description = command.description.trim();
    if (description.length < 1 || description.length > MAX_DESCRIPTION) {
      throw new Error(`the description of /${command.name} must be 1-${MAX_DESCRIPTION} characters for Telegram`);
    }
    return { command: command.name, description };
  });
}
