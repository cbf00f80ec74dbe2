import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { DrawIndex } from '../core/drawIndex.js';
import type { Reply } from '../core/reply.js';
import type { SyncStatus } from '../feed/feedPoller.js';
import type { ProfileStore } from '../storage/profileStore.js';
import type { Storage } from '../storage/storage.js';
import type { SubscriptionStore } from '../storage/subscriptionStore.js';
import type { Chat } from './chat.js';

/** What every command is handed, whoever asked and wherever. */
export interface CommandContext {
  data: DrawIndex;
  now: DateTime;
  /** The registry, for commands that describe the others (help). */
  commands: readonly AnyCommand[];
  /** The live sync's state, when the bot polls IRCC's feed (not in console mode). */
  status?: () => SyncStatus;
  /** The chat the command was typed in; absent in the console. */
  chat?: Chat;
  /** Who gets new-draw alerts, when the alerts engine runs (a bot, not the console). */
  subscriptions?: SubscriptionStore;
  /** Users' private profiles (/profile), when the alerts engine runs: they share its storage. */
  profiles?: ProfileStore;
  /** Deletes everything stored about a user in one transaction (/forget), when the storage is there. */
  forget?: Storage['forget'];
}

/**
 * What a command needs beyond its options, checked by the runner before `run` (like Sapphire's
 * preconditions), which then receives a context where what was required is present:
 * - chat: typed in a chat (not the console);
 * - subscriptions: the alerts engine runs;
 * - permission 'manage-alerts': in a shared chat, the asker may change its alerts;
 * - posting: the bot may post alerts in the chat;
 * - profiles: the profile store is there and the chat says who is asking (chat.userId).
 * Each unmet requirement gets its own sentence for the asker, in this order.
 */
export interface Requirements {
  chat?: true;
  subscriptions?: true;
  permission?: 'manage-alerts';
  posting?: true;
  profiles?: true;
}

/** The context `run` receives: the required parts are no longer optional. */
export type ContextFor<R extends Requirements> = CommandContext &
  (R extends { chat: true } ? { chat: Chat } : unknown) &
  (R extends { subscriptions: true } ? { subscriptions: SubscriptionStore } : unknown) &
  (R extends { profiles: true } ? { profiles: ProfileStore; chat: Chat & { userId: string } } : unknown);

export interface Command<S extends z.ZodObject = z.ZodObject, R extends Requirements = Requirements> {
  /** Lower case, as typed after the slash; Discord and Telegram allow [a-z0-9_]{1,32}. */
  name: string;
  /** One line, at most 100 characters (Discord's limit). */
  description: string;
  /** Options in positional order; build each with the helpers in options.ts. */
  options: S;
  /** Correct uses; the first is shown when someone gets it wrong. */
  examples: readonly string[];
  requires?: R;
  run(input: z.output<S>, ctx: ContextFor<R>): Reply | Promise<Reply>;
  /**
   * Answers a press of a button (or a menu pick) that one of its replies carried, `payload` being the
   * action after "<name>:" (see ReplyButton). The platform sends it back as it was made, but a
   * modified client can send anything: validate it, and answer a stale one with a UserError.
   * Requirements are checked as for `run`.
   */
  act?(payload: string, ctx: ContextFor<R>): Reply | Promise<Reply>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every option shape
export type AnyCommand = Command<any, any>;

export function defineCommand<S extends z.ZodObject, const R extends Requirements = Record<never, never>>(
  command: Command<S, R>,
): Command<S, R> {
  return command;
}
