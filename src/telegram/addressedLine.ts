import { type CommandLine, parseCommandLine } from '../commands/parseCommandLine.js';

export interface Asked {
  /** A one-to-one chat with the bot, where everything typed is meant for it. */
  isPrivate: boolean;
  /** The bot's own username, to tell "/cmd@ThisBot" from "/cmd@OtherBot", and to see "@ThisBot" in a message. */
  botUsername: string;
  /** Whether the bot has a command of this name. */
  knows: (name: string) => boolean;
  /** The message replies to one of the bot's own: in a group, that is speaking to it. */
  repliedToBot?: boolean;
}

/** What a message holds for the bot: a command line, or a question in plain words. */
export type Addressed = { line: CommandLine } | { question: string };

/**
 * Whether a text message is for the bot, and what it holds. Undefined: stay silent. A group is
 * shared with people and other bots, so there the bot answers only its own commands or those that
 * name it, and plain words only when they mention it ("@ThisBot latest cec") or reply to it —
 * never group chatter. In a private chat everything is for it. The message is parsed here once;
 * the one reply path answers it.
 */
export function addressedLine(text: string, asked: Asked): Addressed | undefined {
  const line = parseCommandLine(text, { requireSlash: true });
  if (!line) {
    if (asked.isPrivate) return { question: text };
    const unmentioned = withoutMention(text, asked.botUsername);
    if (unmentioned !== undefined) return { question: unmentioned };
    return asked.repliedToBot ? { question: text } : undefined;
  }
  const addressed = line.mention !== undefined;
  if (addressed && line.mention?.toLowerCase() !== asked.botUsername.toLowerCase()) return undefined;
  // Every bot has /start, and other bots' commands share a group: there, only what names this bot
  // or is one of its own commands is for it.
  if (!asked.isPrivate && !addressed && (line.name === 'start' || !asked.knows(line.name))) return undefined;
  return { line };
}

const USERNAME_CHAR = /[A-Za-z0-9_]/;

/** The text with "@botUsername" (any letter case, a whole username) taken out; undefined if it does not mention the bot. */
function withoutMention(text: string, botUsername: string): string | undefined {
  const lower = text.toLowerCase();
  const handle = `@${botUsername.toLowerCase()}`;
  for (let at = lower.indexOf(handle); at >= 0; at = lower.indexOf(handle, at + 1)) {
    const after = text[at + handle.length];
    if (after === undefined || !USERNAME_CHAR.test(after)) {
      return `${text.slice(0, at)} ${text.slice(at + handle.length)}`.replace(/^[\s,:]+/, '').trim();
    }
  }
  return undefined;
}
