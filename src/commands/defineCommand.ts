import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { DrawIndex } from '../core/drawIndex.js';
import type { Reply } from '../core/reply.js';
import type { SyncStatus } from '../feed/feedPoller.js';

export interface CommandContext {
  data: DrawIndex;
  now: DateTime;
  /** The registry, for commands that describe the others (help). */
  commands: readonly AnyCommand[];
  /** The live sync's state, when the bot polls IRCC's feed (not in console mode). */
  status?: () => SyncStatus;
}

export interface Command<S extends z.ZodObject = z.ZodObject> {
  /** Lower case, as typed after the slash; Discord and Telegram allow [a-z0-9_]{1,32}. */
  name: string;
  /** One line, at most 100 characters (Discord's limit). */
  description: string;
  /** Options in positional order; build each with the helpers in options.ts. */
  options: S;
  /** Correct uses; the first is shown when someone gets it wrong. */
  examples: readonly string[];
  run(input: z.output<S>, ctx: CommandContext): Reply | Promise<Reply>;
}

// biome-ignore lint: the registry holds commands of every option shape
export type AnyCommand = Command<any>;

export function defineCommand<S extends z.ZodObject>(command: Command<S>): Command<S> {
  return command;
}
