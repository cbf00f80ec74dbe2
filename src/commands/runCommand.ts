import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { DrawIndex } from '../core/drawIndex.js';
import type { Reply } from '../core/reply.js';
import { UserError } from '../domain/userError.js';
import type { SyncStatus } from '../feed/feedPoller.js';
import type { Logger } from '../lib/log.js';
import type { ProfileStore } from '../storage/profileStore.js';
import type { Storage } from '../storage/storage.js';
import type { SubscriptionStore } from '../storage/subscriptionStore.js';
import { assumeTypos, withNotes } from './assumeTypos.js';
import type { Chat } from './chat.js';
import type { AnyCommand, CommandContext } from './defineCommand.js';
import { type AlertTopics, optionMetas } from './options.js';

/** What running commands needs, built once by the composition root and shared by every call. */
export interface CommandDeps {
  /** The current dataset; a function so that a live sync can swap it. */
  data: () => DrawIndex;
  clock: () => DateTime;
  log: Logger;
  commands: readonly AnyCommand[];
  /** The live sync's state, when the feed poller runs. */
  status?: () => SyncStatus;
  /** Alert subscriptions, when the alerts engine runs. */
  subscriptions?: SubscriptionStore;
  /** Users' private profiles, when the alerts engine runs. */
  profiles?: ProfileStore;
  /** /forget's one transaction, when the storage is there. */
  forget?: Storage['forget'];
  /**
   * Nothing keeps this copy of the data in sync (the console): the footer says when it may be out
   * of date, and how to refresh it.
   */
  unsynced?: boolean;
  /** Told of every answer the reply path gives (the bot's metrics); it must not throw. */
  onAnswer?: (event: AnswerEvent) => void;
}

/** One answer given: to which command, on which platform, of what kind, how fast. */
export interface AnswerEvent {
  /** A command of the registry; 'start' for the welcome, 'unknown' for a name that is none, 'none' for text that is no command. */
  command: string;
  /** The Chat's platform; 'console' without a chat. */
  platform: string;
  /** 'answer'; 'error': the asker's mistake, answered as such; 'apology': a bug of ours (logged). */
  kind: 'answer' | 'error' | 'apology';
  /** From the question to the finished Reply (sending it is the platform's), in milliseconds. */
  ms: number;
}

export const APOLOGY = 'Sorry — something went wrong on our side while answering. It has been logged; please try again in a moment.';

/** A mistake of the asker's: one sentence with an example, shown only to them where a platform can. */
export function errorReply(message: string): Reply {
  return { kind: 'error', title: 'Not quite', lines: [message], private: true };
}

/** The answer to a bug: the asker learns only that it was ours and logged. */
export function apologyReply(): Reply {
  return { kind: 'error', title: 'Sorry', lines: [APOLOGY], private: true };
}

/** Whether a reply is the apology for a bug (apologyReply), rather than an answer or a mistake's explanation. */
export function isApology(reply: Reply): boolean {
  return reply.kind === 'error' && reply.lines?.length === 1 && reply.lines[0] === APOLOGY;
}

export const NO_CHAT = 'Alerts work in a Telegram or Discord chat: add the bot there and send /subscribe healthcare.';
const NO_ALERTS = 'Draw alerts are not switched on for this bot at the moment; the other commands work as usual.';
export const NO_PROFILES = 'Profiles need the bot in a chat: send /profile 470 cec to it in a private Telegram chat or on Discord.';
export const NO_USER = 'I cannot tell who you are here (you post as the group); send /profile 470 cec to me in a private chat.';

function validationMessage(command: AnyCommand, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const sentence =
    issue.code === 'unrecognized_keys' ? `/${command.name} has no option "${String(issue.keys[0]).slice(0, 30)}"` : issue.message;
  const ended = /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  return `${ended} For example: ${command.examples[0]}`;
}

/** The command as the asker gave it, from its validated options: "/subscribe healthcare cec". */
export function commandAsGiven(command: AnyCommand, input: Record<string, unknown>): string {
  const words = optionMetas(command.options).flatMap(({ name }) => {
    const value = input[name];
    if (value === undefined) return [];
    if (isAlertTopics(value)) {
      const categories = value.categories === 'all' ? ['all'] : (value.categories ?? []);
      return [...categories, ...(value.pool ? ['pool'] : [])];
    }
    return Array.isArray(value) ? value.map(String) : [String(value)];
  });
  return [`/${command.name}`, ...words].join(' ');
}

function isAlertTopics(value: unknown): value is AlertTopics {
  return typeof value === 'object' && value !== null && 'pool' in value;
}

/** Checks what the command declares it needs; throws the UserError the asker should see. */
async function contextFor(command: AnyCommand, input: Record<string, unknown>, context: CommandContext): Promise<CommandContext> {
  const requires = command.requires ?? {};
  const { chat } = context;
  if (requires.profiles && (!chat || !context.profiles)) throw new UserError(NO_PROFILES);
  if (requires.profiles && !chat!.userId) throw new UserError(NO_USER);
  if ((requires.chat || requires.permission || requires.posting) && !chat) throw new UserError(NO_CHAT);
  if (requires.subscriptions && !context.subscriptions) throw new UserError(NO_ALERTS);
  if (requires.permission === 'manage-alerts' && !chat!.isPrivate && !(await chat!.canManage())) {
    throw new UserError(chat!.notManager(commandAsGiven(command, input)));
  }
  const cannotPost = requires.posting ? chat!.cannotPost?.() : undefined;
  if (cannotPost) throw new UserError(cannotPost);
  return context;
}

/**
 * Validates raw options with the command's schema, checks its requirements and runs it. Never
 * throws: a user error becomes an error reply meant for the asker; anything else is logged (the
 * command's name, never what was typed) and becomes an apology. The data-freshness line is the
 * caller's (createAnswers) to add.
 */
export async function runCommand(
  command: AnyCommand,
  rawInput: Record<string, unknown>,
  deps: CommandDeps,
  data: DrawIndex,
  chat?: Chat,
): Promise<Reply> {
  try {
    const { input, notes } = assumeTypos(command, rawInput);
    const parsed = command.options.safeParse(input);
    if (!parsed.success) return errorReply(validationMessage(command, parsed.error));
    const context = await contextFor(command, parsed.data, contextOf(deps, data, chat));
    return withNotes(await command.run(parsed.data, context), notes);
  } catch (error) {
    if (error instanceof UserError) return errorReply(error.message);
    deps.log.error({ err: error, command: command.name }, 'command failed');
    return apologyReply();
  }
}

/**
 * Runs a command's answer to a button it made (Command.act), as runCommand runs the command: never
 * throws; a UserError (a stale or forged button) is answered as such, anything else logged (the
 * command's name, never the payload, which may hold what the asker chose) and apologised for.
 */
export async function runAction(command: AnyCommand, payload: string, deps: CommandDeps, data: DrawIndex, chat?: Chat): Promise<Reply> {
  try {
    if (!command.act) throw new UserError(`That button no longer does anything; send /${command.name} again.`);
    return await command.act(payload, await contextFor(command, {}, contextOf(deps, data, chat)));
  } catch (error) {
    if (error instanceof UserError) return errorReply(error.message);
    deps.log.error({ err: error, command: command.name }, 'button failed');
    return apologyReply();
  }
}

function contextOf(deps: CommandDeps, data: DrawIndex, chat: Chat | undefined): CommandContext {
  return {
    data,
    now: deps.clock(),
    commands: deps.commands,
    status: deps.status,
    subscriptions: deps.subscriptions,
    profiles: deps.profiles,
    forget: deps.forget,
    chat,
  };
}
