import { errorReply, findCommand, freshness, runText, type CommandDeps } from '../commands/runCommand.js';
import type { ChatContext } from '../commands/defineCommand.js';
import { parseCommandLine } from '../commands/parseCommandLine.js';
import type { Reply } from '../core/reply.js';
import { welcomeReply } from './welcomeReply.js';

export const PRIVATE_HINT = 'Send a command such as /latest healthcare or /check 470 cec; /help lists them all.';

export interface Asked {
  /** A one-to-one chat with the bot, where everything typed is meant for it. */
  isPrivate: boolean;
  /** The bot's own username, to tell "/cmd@ThisBot" from "/cmd@OtherBot". */
  botUsername: string;
  /** The chat, for commands that act on it (alerts). */
  chat?: ChatContext;
}

/**
 * What the bot answers to a text message, or undefined to stay silent. A group is shared with
 * people and other bots, so there the bot answers only its own commands or those that name it; in
 * a private chat it answers everything. Options are parsed by runText, as on every platform; the
 * command line is looked at here only to decide who it is for.
 */
export async function answerText(text: string, asked: Asked, deps: CommandDeps): Promise<Reply | undefined> {
  const line = parseCommandLine(text, { requireSlash: true });
  if (!line) return asked.isPrivate ? errorReply(PRIVATE_HINT) : undefined;
  const addressed = line.mention !== undefined;
  if (addressed && line.mention?.toLowerCase() !== asked.botUsername.toLowerCase()) return undefined;
  // Every bot has /start, and other bots' commands share a group: there, only what names this bot
  // or is one of its own commands is for it.
  if (!asked.isPrivate && !addressed && (line.name === 'start' || !findCommand(deps.commands, line.name))) return undefined;
  if (line.name === 'start') return { ...welcomeReply(deps.commands), freshness: freshness(deps.data()) };
  return runText(text, deps, { requireSlash: true, botUsername: asked.botUsername, chat: asked.chat });
}
