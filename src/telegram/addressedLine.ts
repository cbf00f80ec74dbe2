import { type CommandLine, parseCommandLine } from '../commands/parseCommandLine.js';

export interface Asked {
  /** A one-to-one chat with the bot, where everything typed is meant for it. */
  isPrivate: boolean;
  /** The bot's own username, to tell "/cmd@ThisBot" from "/cmd@OtherBot". */
  botUsername: string;
  /** Whether the bot has a command of this name. */
  knows: (name: string) => boolean;
}

/**
 * Whether a text message is for the bot, and the command line it holds (`line` undefined: text that
 * is no command, in a private chat). Undefined: stay silent. A group is shared with people and other
 * bots, so there the bot answers only its own commands or those that name it; in a private chat it
 * answers everything. The message is parsed here once; the one reply path answers the line.
 */
export function addressedLine(text: string, asked: Asked): { line: CommandLine | undefined } | undefined {
  const line = parseCommandLine(text, { requireSlash: true });
  if (!line) return asked.isPrivate ? { line: undefined } : undefined;
  const addressed = line.mention !== undefined;
  if (addressed && line.mention?.toLowerCase() !== asked.botUsername.toLowerCase()) return undefined;
  // Every bot has /start, and other bots' commands share a group: there, only what names this bot
  // or is one of its own commands is for it.
  if (!asked.isPrivate && !addressed && (line.name === 'start' || !asked.knows(line.name))) return undefined;
  return { line };
}
