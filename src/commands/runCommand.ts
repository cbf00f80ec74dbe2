import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { SubscriptionStore } from '../alerts/subscriptionStore.js';
import type { DrawIndex } from '../core/drawIndex.js';
import { formatDate } from '../core/format.js';
import type { Reply } from '../core/reply.js';
import { UserError } from '../domain/userError.js';
import type { SyncStatus } from '../feed/feedPoller.js';
import type { Logger } from '../lib/log.js';
import { argsToInput } from './argsToInput.js';
import type { AnyCommand, ChatContext } from './defineCommand.js';
import { MAX_COMMAND_LENGTH, parseCommandLine } from './parseCommandLine.js';

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
}

/** What belongs to one command call rather than to the bot (deps are shared by every call). */
export interface CallContext {
  /** The chat it was typed in; absent in the console. */
  chat?: ChatContext;
}

export const APOLOGY = 'Sorry — something went wrong on our side while answering. It has been logged; please try again in a moment.';

export function errorReply(message: string): Reply {
  return { kind: 'error', title: 'Not quite', lines: [message], private: true };
}

export function freshness(data: DrawIndex): string {
  return `IRCC data to round #${data.newest.round} (${formatDate(data.newest.date)})`;
}

function validationMessage(command: AnyCommand, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const sentence = issue.code === 'unrecognized_keys' ? `/${command.name} has no option "${String(issue.keys[0]).slice(0, 30)}"` : issue.message;
  const ended = /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  return `${ended} For example: ${command.examples[0]}`;
}

/**
 * Validates raw options with the command's schema and runs it. Never throws: a user error becomes
 * an error reply meant for the asker; anything else is logged and becomes an apology.
 */
export async function runCommand(command: AnyCommand, rawInput: Record<string, unknown>, deps: CommandDeps, call: CallContext = {}): Promise<Reply> {
  const data = deps.data();
  let reply: Reply;
  try {
    const parsed = command.options.safeParse(rawInput);
    reply = parsed.success
      ? await command.run(parsed.data, {
          data,
          now: deps.clock(),
          commands: deps.commands,
          status: deps.status,
          subscriptions: deps.subscriptions,
          chat: call.chat,
        })
      : errorReply(validationMessage(command, parsed.error));
  } catch (error) {
    if (error instanceof UserError) reply = errorReply(error.message);
    else {
      deps.log.error({ err: error, command: command.name }, 'command failed');
      reply = { kind: 'error', title: 'Sorry', lines: [APOLOGY], private: true };
    }
  }
  return { ...reply, freshness: freshness(data) };
}

export function findCommand(commands: readonly AnyCommand[], name: string): AnyCommand | undefined {
  return commands.find((c) => c.name === name);
}

/**
 * Answers a text command as typed in Telegram or the console ("/check 470 healthcare"). Returns
 * undefined when the text is not meant for us: not a command, or "/cmd@OtherBot".
 */
export async function runText(
  text: string,
  deps: CommandDeps,
  options: { requireSlash: boolean; botUsername?: string; chat?: ChatContext },
): Promise<Reply | undefined> {
  const refuse = (message: string): Reply => ({ ...errorReply(message), freshness: freshness(deps.data()) });
  if (text.length > MAX_COMMAND_LENGTH) return refuse('That is too long to be a command; try /help for the list, e.g. /latest healthcare.');
  const line = parseCommandLine(text, options);
  if (!line) {
    return options.requireSlash ? undefined : refuse('Type a command such as /latest healthcare or /check 470 cec; /help lists them all.');
  }
  if (line.mention && options.botUsername && line.mention.toLowerCase() !== options.botUsername.toLowerCase()) return undefined;
  const command = findCommand(deps.commands, line.name);
  if (!command) return refuse(`There is no /${line.name.slice(0, 32)} command; /help lists them all, e.g. /latest healthcare.`);
  let input: Record<string, string>;
  try {
    input = argsToInput(command, line.args);
  } catch (error) {
    if (error instanceof UserError) return refuse(error.message);
    throw error;
  }
  return runCommand(command, input, deps, { chat: options.chat });
}
