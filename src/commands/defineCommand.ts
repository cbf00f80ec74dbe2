import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { SubscriptionStore } from '../alerts/subscriptionStore.js';
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
  /** The chat the command was typed in; absent in the console. */
  chat?: ChatContext;
  /** Who gets new-draw alerts, when the alerts engine runs (a bot, not the console). */
  subscriptions?: SubscriptionStore;
}

/** Where a command was typed, for commands that act on the chat itself (alerts). */
export interface ChatContext {
  platform: 'telegram' | 'discord';
  /** Telegram's chat id as text; Discord's channel id. */
  id: string;
  /** A one-to-one chat with the bot. */
  isPrivate: boolean;
  /**
   * Whether the asker may change the chat's settings (a group admin, a member with Manage
   * Channels; anyone in a private chat). A function: it may cost an API call, made only when asked.
   */
  canManage: () => Promise<boolean>;
  /**
   * Whether the bot itself may post alerts there (Discord tells its permissions in the channel with
   * each interaction); absent: it can. An alert it cannot post would only end the subscription.
   */
  canPost?: () => boolean;
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
