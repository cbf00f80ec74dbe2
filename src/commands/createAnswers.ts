import type { DrawIndex } from '../core/drawIndex.js';
import { formatDate } from '../core/format.js';
import type { Reply } from '../core/reply.js';
import { staleness } from '../core/staleness.js';
import { UserError } from '../domain/userError.js';
import { argsToInput } from './argsToInput.js';
import type { Chat } from './chat.js';
import type { AnyCommand } from './defineCommand.js';
import { type CommandLine, parseCommandLine } from './parseCommandLine.js';
import { PLAIN_EXAMPLES, plainQuestion } from './plainQuestion.js';
import { apologyReply, type CommandDeps, errorReply, isApology, runAction, runCommand } from './runCommand.js';
import { welcomeReply } from './welcomeReply.js';

/**
 * The one way every platform gets an answer. Each method returns a finished Reply — the data's
 * freshness line included — and never throws: a mistake is answered as such, a bug with an
 * apology (and logged). Platforms decide only whether a message is for the bot, and render.
 */
export interface Answers {
  /** The registry, in menu order: platforms build their menus from it. */
  readonly commands: readonly AnyCommand[];
  /** The dataset answers come from right now (autocomplete reads it too). */
  data(): DrawIndex;
  /** A command by name, with its options as a platform hands them over (Discord's typed values). */
  command(name: string, input: Record<string, unknown>, chat?: Chat): Promise<Reply>;
  /** A line of text, already parsed (`parseCommandLine`); undefined for text that is no command. */
  line(line: CommandLine | undefined, chat?: Chat): Promise<Reply>;
  /**
   * Text that is no slash command but is meant for the bot (a private chat, a mention, the console):
   * "latest cec", "would 470 have made the last CEC draw?". Read as a command when its first word
   * names one, else as a plain-language question; what cannot be placed gets two examples.
   */
  question(text: string, chat?: Chat): Promise<Reply>;
  /** Text as typed in the console: a command, the slash optional, or a question. */
  text(text: string, chat?: Chat): Promise<Reply>;
  /**
   * A button pressed or a menu choice picked under one of the bot's replies: its action
   * ("crs:…", see ReplyButton), answered by the command that made it. The platform puts the reply
   * in place of the message that carried the button.
   */
  action(action: string, chat?: Chat): Promise<Reply>;
  /** For a failure outside any command (sending the answer failed, say). */
  apology(): Reply;
}

/** A button this version made no more (or one a modified client made up). */
export const STALE_BUTTON = 'That button no longer works; send the command again, e.g. /crs.';
export const NOT_A_COMMAND = 'Send a command such as /latest healthcare or /check 470 cec; /help lists them all.';
const TOO_LONG = 'That is too long to be a command; try /help for the list, e.g. /latest healthcare.';
export const NOT_PLACED = `I could not tell what you are asking; try "${PLAIN_EXAMPLES[0]}" or "${PLAIN_EXAMPLES[1]}", or /help for the commands.`;

/** "IRCC data to round #434 (Aug 7, 2026)": how fresh the data behind an answer is. */
export function freshness(data: DrawIndex): string {
  return `IRCC data to round #${data.newest.round} (${formatDate(data.newest.date)})`;
}

export function createAnswers(deps: CommandDeps): Answers {
  const byName = new Map(deps.commands.map((command) => [command.name, command]));
  const finish = (reply: Reply, data: DrawIndex): Reply => {
    const stale = deps.unsynced ? staleness(data, deps.clock()) : undefined;
    return { ...reply, freshness: stale ? `${freshness(data)} — ${stale}` : freshness(data) };
  };
  /** The command an answer counts under: never what was typed, unless the registry has it. */
  const labelOf = (name: string): string => (byName.has(name) || name === 'start' ? name : 'unknown');

  /** Tells deps.onAnswer (the metrics) of an answer given; an observer's failure never costs the answer. */
  function observed(command: string, chat: Chat | undefined, started: number, reply: Reply): Reply {
    if (!deps.onAnswer) return reply;
    try {
      const kind = isApology(reply) ? 'apology' : reply.kind;
      deps.onAnswer({ command, platform: chat?.platform ?? 'console', kind, ms: performance.now() - started });
    } catch (error) {
      deps.log.warn({ err: error }, 'the answer observer failed');
    }
    return reply;
  }

  async function run(
    name: string,
    input: Record<string, unknown> | readonly string[],
    chat: Chat | undefined,
    unknown: string,
  ): Promise<Reply> {
    // One dataset per answer, even if a live sync swaps it meanwhile.
    const data = deps.data();
    const command = byName.get(name);
    if (!command) return finish(errorReply(unknown), data);
    let raw: Record<string, unknown>;
    try {
      raw = Array.isArray(input) ? argsToInput(command, input) : (input as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return finish(errorReply(error.message), data);
    }
    return finish(await runCommand(command, raw, deps, data, chat), data);
  }

  async function answerLine(parsed: CommandLine | undefined, chat?: Chat): Promise<Reply> {
    try {
      if (!parsed) return finish(errorReply(NOT_A_COMMAND), deps.data());
      if (parsed.tooLong) return finish(errorReply(TOO_LONG), deps.data());
      // Telegram sends /start when someone opens the bot; the console takes it too. A deep link's
      // /start crs (a group pointing someone to a private chat) runs that command.
      if (parsed.name === 'start' && !byName.has('start')) {
        const linked = parsed.args.length === 1 ? byName.get(parsed.args[0]!.toLowerCase()) : undefined;
        if (linked) return await run(linked.name, [], chat, '');
        return finish(welcomeReply(deps.commands), deps.data());
      }
      const unknown = `There is no /${parsed.name.slice(0, 32)} command; /help lists them all, e.g. /latest healthcare.`;
      return await run(parsed.name, parsed.args, chat, unknown);
    } catch (error) {
      deps.log.error({ err: error }, 'answering a line failed');
      return finish(apologyReply(), deps.data());
    }
  }

  async function line(parsed: CommandLine | undefined, chat?: Chat): Promise<Reply> {
    const started = performance.now();
    const label = !parsed ? 'none' : parsed.tooLong ? 'unknown' : labelOf(parsed.name);
    return observed(label, chat, started, await answerLine(parsed, chat));
  }

  /** A slash-less line: a command by its first word, else a plain-language question. */
  async function answerQuestion(text: string, chat: Chat | undefined): Promise<{ label: string; reply: Reply }> {
    const asCommand = parseCommandLine(text, { requireSlash: false });
    if (asCommand?.tooLong) return { label: 'unknown', reply: await answerLine(asCommand, chat) };
    const plain = plainQuestion(text);
    if (asCommand && (byName.has(asCommand.name) || asCommand.name === 'start')) {
      const reply = await answerLine(asCommand, chat);
      // "check my score 470": a command's name opening a loose sentence reads better as the question.
      if (reply.kind !== 'error' || isApology(reply) || !plain || !byName.has(plain.name)) return { label: labelOf(asCommand.name), reply };
    }
    if (!plain || !byName.has(plain.name)) return { label: 'none', reply: finish(errorReply(NOT_PLACED), deps.data()) };
    return { label: plain.name, reply: await answerLine({ name: plain.name, args: plain.args }, chat) };
  }

  async function question(text: string, chat?: Chat): Promise<Reply> {
    const started = performance.now();
    try {
      const { label, reply } = await answerQuestion(text, chat);
      return observed(label, chat, started, reply);
    } catch (error) {
      deps.log.error({ err: error }, 'answering a question failed');
      return observed('none', chat, started, finish(apologyReply(), deps.data()));
    }
  }

  async function command(name: string, input: Record<string, unknown>, chat?: Chat): Promise<Reply> {
    try {
      // Discord may still list a command this version no longer has (registered by an older release).
      return await run(name, input, chat, `/${name.slice(0, 32)} is not a command of this bot any more; /help lists the ones there are.`);
    } catch (error) {
      deps.log.error({ err: error, command: name }, 'answering a command failed');
      return finish(apologyReply(), deps.data());
    }
  }

  async function action(action: string, chat?: Chat): Promise<Reply> {
    const data = deps.data();
    const colon = action.indexOf(':');
    const command = colon > 0 ? byName.get(action.slice(0, colon)) : undefined;
    if (!command) return finish(errorReply(STALE_BUTTON), data);
    return finish(await runAction(command, action.slice(colon + 1), deps, data, chat), data);
  }

  return {
    commands: deps.commands,
    data: () => deps.data(),
    async command(name, input, chat) {
      const started = performance.now();
      return observed(byName.has(name) ? name : 'unknown', chat, started, await command(name, input, chat));
    },
    line,
    question,
    text: (text, chat) =>
      text.trimStart().startsWith('/') ? line(parseCommandLine(text, { requireSlash: false }), chat) : question(text, chat),
    async action(text, chat) {
      const started = performance.now();
      const colon = text.indexOf(':');
      const name = colon > 0 ? text.slice(0, colon) : '';
      try {
        return observed(labelOf(name), chat, started, await action(text, chat));
      } catch (error) {
        deps.log.error({ err: error }, 'answering a button failed');
        return observed(labelOf(name), chat, started, finish(apologyReply(), deps.data()));
      }
    },
    apology: () => finish(apologyReply(), deps.data()),
  };
}
