import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { AnyCommand } from '../commands/defineCommand.js';
import { type OptionMeta, optionMetas } from '../commands/options.js';

export type SlashCommand = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord's limit on command and option descriptions. */
const MAX_DESCRIPTION = 100;
/** Discord's limits on a command's options, an option's choices, and a choice's name and value. */
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_CHOICE = 100;
/** Discord's limit on a command's names, descriptions and choice values (and names) added up. */
const MAX_TOTAL = 8000;

function checkedDescription(where: string, description: string): string {
  // Discord refuses the whole registration for one long description; fail where the cause is named.
  if (description.length < 1 || description.length > MAX_DESCRIPTION) {
    throw new Error(`${where}: description must be 1-${MAX_DESCRIPTION} characters, it has ${description.length}`);
  }
  return description;
}

function slashOption(
  commands: readonly AnyCommand[],
  commandName: string,
  option: OptionMeta & { name: string; required: boolean },
): APIApplicationCommandBasicOption {
  const base = {
    name: option.name,
    description: checkedDescription(`/${commandName} ${option.name}`, option.description),
    required: option.required,
  };
  if (option.kind === 'integer') {
    return { ...base, type: ApplicationCommandOptionType.Integer, min_value: option.min, max_value: option.max };
  }
  if (option.choices) return { ...base, type: ApplicationCommandOptionType.String, choices: fixedChoices(commandName, option) };
  // The registry is known when registering: a fixed list (Discord allows 25 choices) rather than autocomplete.
  if (option.autocomplete === 'command') {
    const choices = commands.slice(0, 25).map((command) => ({ name: command.name, value: command.name }));
    return { ...base, type: ApplicationCommandOptionType.String, choices };
  }
  // Dates stay free text: the command's schema checks them and explains a mistake better than Discord's client would.
  if (option.autocomplete) return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
  return { ...base, type: ApplicationCommandOptionType.String };
}

/** An option's fixed values as Discord's choices, each shown as it is sent; refused where Discord would refuse them. */
function fixedChoices(commandName: string, option: OptionMeta & { name: string }): Array<{ name: string; value: string }> {
  const choices = option.choices ?? [];
  if (choices.length < 1 || choices.length > MAX_CHOICES) {
    throw new Error(`/${commandName} ${option.name}: Discord takes 1-${MAX_CHOICES} choices, it has ${choices.length}`);
  }
  const long = choices.find((value) => value.length < 1 || value.length > MAX_CHOICE);
  if (long !== undefined) throw new Error(`/${commandName} ${option.name}: choice "${long}" must be 1-${MAX_CHOICE} characters`);
  return choices.map((value) => ({ name: value, value }));
}

/** What Discord counts toward a command's total size: every name, description and choice. */
function size(command: SlashCommand): number {
  let total = command.name.length + (command.description?.length ?? 0);
  for (const option of command.options ?? []) {
    total += option.name.length + option.description.length;
    const choices = 'choices' in option ? (option.choices ?? []) : [];
    for (const choice of choices) total += choice.name.length + String(choice.value).length;
  }
  return total;
}

/** Discord refuses the whole registration for one oversized command: fail at start-up, naming it. */
function checkedSize(command: SlashCommand): SlashCommand {
  const options = command.options?.length ?? 0;
  if (options > MAX_OPTIONS) throw new Error(`/${command.name}: Discord takes at most ${MAX_OPTIONS} options, it has ${options}`);
  const total = size(command);
  if (total > MAX_TOTAL) {
    throw new Error(`/${command.name}: names, descriptions and choices come to ${total} characters, Discord takes ${MAX_TOTAL}`);
  }
  return command;
}

/**
 * The registry as Discord application commands. Usable in servers and in DMs with the bot, for
 * server installs (the invite asks for `bot applications.commands`).
 */
export function slashCommands(commands: readonly AnyCommand[]): SlashCommand[] {
  return commands.map((command) => {
    const options = optionMetas(command.options).map((o) => slashOption(commands, command.name, o));
    // Discord requires required options first; the registry's order is kept otherwise.
    const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
    return checkedSize({
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: checkedDescription(`/${command.name}`, command.description),
      options: ordered,
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    });
  });
}
