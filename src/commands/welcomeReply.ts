import type { Reply } from '../core/reply.js';
import type { AnyCommand } from './defineCommand.js';

/**
 * What /start answers: Telegram sends it when someone opens the bot, so it says what the bot is
 * for and shows one tappable example per command that takes options (the others are in /help).
 */
export function welcomeReply(commands: readonly AnyCommand[]): Reply {
  const examples = commands
    .filter((command) => Object.keys(command.options.shape).length > 0)
    .map((command) => `${command.examples[0]} — ${command.description}`);
  return {
    kind: 'answer',
    title: 'Welcome! I answer questions about Express Entry draws',
    lines: [
      "Cut-offs, invitations, tie-breaks, and whether your CRS score would have been invited — from IRCC's own rounds feed. Try:",
      ...examples,
      '/help lists every command. Options go in order or as name=value, e.g. /check 470 healthcare since=2025-01-01.',
      'Not legal advice; not affiliated with IRCC.',
    ],
  };
}
