import { performance } from 'node:perf_hooks';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  MessagePayload,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { AnyCommand } from '../commands/defineCommand.js';
import { type OptionMeta, optionMetas } from '../commands/options.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { ChartSpec } from '../core/chartSpec.js';
import type { Reply } from '../core/reply.js';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { autocompleteChoices } from './autocomplete.js';
import { discordChat } from './discordChat.js';
import { type DiscordMessage, renderEmbed, withChart } from './renderEmbed.js';

export interface HandlerOptions {
  /**
   * Discord drops an interaction not acknowledged within 3 s. An answer not ready after this long
   * is deferred ("thinking…") and sent as an edit when it is.
   */
  deferAfterMs?: number;
  /**
   * The token's outgoing budget, shared with the alerts: an answer's edits and follow-ups (which
   * count toward Discord's global limit) wait for their turn in it, before any alert.
   */
  limiter?: RateLimiter;
}

/** Resolves when the answer's next edit or follow-up may go. */
type Turn = () => Promise<void>;

export const DEFER_AFTER_MS = 1500;

/** Which autocomplete each option offers, per command; worked out once per registry. */
const autocompleteKinds = new WeakMap<readonly AnyCommand[], Map<string, Map<string, OptionMeta['autocomplete']>>>();

function autocompleteKind(commands: readonly AnyCommand[], command: string, option: string): OptionMeta['autocomplete'] {
  let kinds = autocompleteKinds.get(commands);
  if (!kinds) {
    kinds = new Map(commands.map((c) => [c.name, new Map(optionMetas(c.options).map((o) => [o.name, o.autocomplete]))]));
    autocompleteKinds.set(commands, kinds);
  }
  return kinds.get(command)?.get(option);
}

/** Context for log lines: never the options, which are what the user typed. */
function logContext(interaction: ChatInputCommandInteraction | AutocompleteInteraction) {
  return { interaction: interaction.id, command: interaction.commandName, guild: interaction.guildId ?? 'dm' };
}

type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction;

/**
 * Context for a press's log lines: never its custom_id or values, which hold what the presser chose;
 * the command only when the registry has one of that name (a forged id could say anything).
 */
function pressContext(interaction: ComponentInteraction, action: string, commands: readonly AnyCommand[]) {
  const name = action.slice(0, Math.max(action.indexOf(':'), 0));
  const command = commands.some((c) => c.name === name) ? name : 'unknown';
  const component = interaction.isButton() ? 'button' : 'menu';
  return { interaction: interaction.id, command, component, guild: interaction.guildId ?? 'dm' };
}

/** Discord sends typed values (numbers stay numbers); the command's schema takes them as they are. */
function commandInput(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const option of interaction.options.data) if (option.value !== undefined) input[option.name] = option.value;
  return input;
}

/** The reply if it settles within `ms`, else undefined; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The reply as a payload discord.js sends as it is. The embed is already in Discord's shape, and
 * resolving a payload looks classes up with require() on every call, which costs about a tenth of
 * an interaction's time when the bot runs under tsx.
 */
function prepared(interaction: ChatInputCommandInteraction | ComponentInteraction, message: DiscordMessage): MessagePayload {
  const payload = new MessagePayload(interaction, {});
  payload.body = {
    embeds: message.embeds,
    allowed_mentions: message.allowedMentions,
    ...(message.flags ? { flags: message.flags } : {}),
    ...(message.components ? { components: message.components } : {}),
  };
  payload.files = [];
  return payload;
}

/**
 * The reply in place of the message a component was on: its components replaced too, by none when
 * the reply has none (a finished step keeps no stale buttons). No flags: an edit cannot make a
 * message ephemeral or public.
 */
function inPlace(interaction: ComponentInteraction, message: DiscordMessage): MessagePayload {
  const payload = new MessagePayload(interaction, {});
  payload.body = { embeds: message.embeds, allowed_mentions: message.allowedMentions, components: message.components ?? [] };
  payload.files = [];
  return payload;
}

/**
 * The chart an answer comes with on Discord. Private answers and user errors are ephemeral and
 * go without one: a private answer sent late travels as a follow-up (below), and keeping charts
 * to the public edit keeps that path as it is.
 */
function chartOf(reply: Reply): ChartSpec | undefined {
  return reply.kind === 'answer' && !reply.private ? reply.chart : undefined;
}

/** The chart as a PNG, or undefined (logged) if it cannot be drawn: the answer then goes without it. */
async function chartPng(interaction: ChatInputCommandInteraction, spec: ChartSpec, deps: PlatformDeps): Promise<Buffer | undefined> {
  try {
    return await deps.renderChart(spec);
  } catch (error) {
    deps.log.warn({ ...logContext(interaction), err: safeError(error) }, 'chart failed');
    return undefined;
  }
}

/**
 * Sends an answer that was deferred. The deferral was public, and the first message after it
 * inherits that, so a private answer goes out as a follow-up once the placeholder has been
 * turned into an ordinary message, which is then removed. A public answer with a chart is drawn
 * now and edited in with the PNG as the embed's image; if the chart cannot be drawn or Discord
 * refuses the upload, the embed goes without it. Returns whether a chart went out.
 */
async function sendDeferred(interaction: ChatInputCommandInteraction, reply: Reply, deps: PlatformDeps, turn: Turn): Promise<boolean> {
  const message = renderEmbed(reply);
  const { flags, ...visible } = message;
  if (!flags) {
    const chart = chartOf(reply);
    const png = chart && (await chartPng(interaction, chart, deps));
    if (png) {
      try {
        await turn();
        await interaction.editReply(withChart(visible, png));
        return true;
      } catch (error) {
        deps.log.warn({ ...logContext(interaction), err: safeError(error) }, 'chart not sent');
      }
    }
    await turn();
    await interaction.editReply(visible);
    return false;
  }
  await turn();
  await interaction.editReply({ content: 'Answered privately.', embeds: [], allowedMentions: { parse: [] } });
  await turn();
  await interaction.followUp(message);
  await turn();
  await interaction.deleteReply();
  return false;
}

/** The last resort: whichever of reply, edit and follow-up Discord still accepts. */
async function apologise(interaction: ChatInputCommandInteraction, deps: PlatformDeps, turn: Turn): Promise<void> {
  const message = renderEmbed(deps.answers.apology());
  try {
    if (interaction.replied || interaction.deferred) await turn();
    if (interaction.replied) await interaction.followUp(message);
    else if (interaction.deferred) await interaction.editReply({ embeds: message.embeds, allowedMentions: message.allowedMentions });
    else await interaction.reply(prepared(interaction, message));
  } catch (error) {
    deps.log.warn({ ...logContext(interaction), err: safeError(error) }, 'could not apologise either');
  }
}

async function answerCommand(interaction: ChatInputCommandInteraction, deps: PlatformDeps, options: HandlerOptions): Promise<void> {
  const started = performance.now();
  const { limiter } = options;
  const turn: Turn = async () => limiter?.acquire(interaction.channelId ?? interaction.user.id);
  try {
    const pending = deps.answers.command(interaction.commandName, commandInput(interaction), discordChat(interaction));
    // Rejections are handled below once awaited; this keeps an early failure of reply() from leaving one unobserved.
    pending.catch(() => undefined);
    const early = await within(pending, options.deferAfterMs ?? DEFER_AFTER_MS);
    // Drawing a chart takes milliseconds (the first one, starting the chart thread and loading the
    // canvas and fonts, far longer) and a busy process may take more: too close to Discord's 3 s to risk. So an answer
    // with a chart is deferred as soon as the command has answered, before drawing, and edited in
    // with the image. Deciding from the reply keeps no list of chart commands beside the registry;
    // the commands themselves answer in a millisecond or so.
    const deferred = !early || chartOf(early) !== undefined;
    let chart = false;
    if (early && !deferred) {
      await interaction.reply(prepared(interaction, renderEmbed(early)));
    } else {
      await interaction.deferReply();
      chart = await sendDeferred(interaction, early ?? (await pending), deps, turn);
    }
    deps.log.debug({ ...logContext(interaction), ms: Math.round(performance.now() - started), deferred, chart }, 'answered');
  } catch (error) {
    deps.log.error({ ...logContext(interaction), err: safeError(error) }, 'interaction failed');
    await apologise(interaction, deps, turn);
  }
}

/**
 * Whether a reply meant for the presser alone (a private answer, a mistake) would replace a message
 * everyone in the channel sees: then it goes to the presser as an ephemeral message of its own and
 * the shared one stays as it was.
 */
function privateOverPublic(interaction: ComponentInteraction, message: DiscordMessage): boolean {
  return Boolean(message.flags) && interaction.guildId !== null && !interaction.message.flags.has(MessageFlags.Ephemeral);
}

/** The last resort for a press: an ephemeral apology, whichever of reply and follow-up Discord still accepts. */
async function apologiseForPress(interaction: ComponentInteraction, deps: PlatformDeps, turn: Turn, context: object): Promise<void> {
  const message: DiscordMessage = { ...renderEmbed(deps.answers.apology()), flags: MessageFlags.Ephemeral };
  try {
    if (interaction.replied || interaction.deferred) {
      await turn();
      await interaction.followUp(prepared(interaction, message));
    } else await interaction.reply(prepared(interaction, message));
  } catch (error) {
    deps.log.warn({ ...context, err: safeError(error) }, 'could not apologise either');
  }
}

/**
 * A button pressed or a menu choice picked: its action (the button's custom_id, the picked option's
 * value) answered by the command that made it, and the answer put in place of the message it was on
 * (UPDATE_MESSAGE), or once deferred (DEFERRED_UPDATE_MESSAGE, the message kept meanwhile) edited in.
 */
async function answerPress(interaction: ComponentInteraction, deps: PlatformDeps, options: HandlerOptions): Promise<void> {
  const started = performance.now();
  const { limiter } = options;
  const turn: Turn = async () => limiter?.acquire(interaction.channelId ?? interaction.user.id);
  const action = interaction.isStringSelectMenu() ? (interaction.values[0] ?? '') : interaction.customId;
  const context = pressContext(interaction, action, deps.answers.commands);
  try {
    const pending = deps.answers.action(action, discordChat(interaction));
    pending.catch(() => undefined);
    const early = await within(pending, options.deferAfterMs ?? DEFER_AFTER_MS);
    if (early) {
      const message = renderEmbed(early);
      if (privateOverPublic(interaction, message)) await interaction.reply(prepared(interaction, message));
      else await interaction.update(inPlace(interaction, message));
    } else {
      await interaction.deferUpdate();
      const message = renderEmbed(await pending);
      await turn();
      // After a deferred update, a follow-up is the only message of its own that may still be ephemeral.
      if (privateOverPublic(interaction, message)) await interaction.followUp(prepared(interaction, message));
      else await interaction.editReply(inPlace(interaction, message));
    }
    deps.log.debug({ ...context, ms: Math.round(performance.now() - started), deferred: !early }, 'answered');
  } catch (error) {
    deps.log.error({ ...context, err: safeError(error) }, 'interaction failed');
    await apologiseForPress(interaction, deps, turn, context);
  }
}

async function answerAutocomplete(interaction: AutocompleteInteraction, deps: PlatformDeps): Promise<void> {
  try {
    const focused = interaction.options.getFocused(true);
    const kind = autocompleteKind(deps.answers.commands, interaction.commandName, focused.name);
    await interaction.respond(autocompleteChoices(kind, String(focused.value), deps.answers.data()));
  } catch (error) {
    // Nothing to apologise with: the list of suggestions just stays empty.
    deps.log.warn({ ...logContext(interaction), err: safeError(error) }, 'autocomplete failed');
  }
}

/**
 * Answers one interaction. Never throws: unexpected errors are logged and the user gets a short
 * apology, so one bad interaction cannot take the client down.
 */
export async function handleInteraction(interaction: Interaction, deps: PlatformDeps, options: HandlerOptions = {}): Promise<void> {
  if (interaction.isChatInputCommand()) {
    await answerCommand(interaction, deps, options);
  } else if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
  else if (interaction.isButton() || interaction.isStringSelectMenu()) await answerPress(interaction, deps, options);
}
