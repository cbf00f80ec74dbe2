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
  // The registry is known when registering: a fixed list (Discord allows 25 choices) rather than autocomplete.
  if (option.autocomplete === 'command') {
    const choices = commands.slice(0, 25).map((command) => ({ name: command.name, value: command.name }));
    return { ...base, type: ApplicationCommandOptionType.String, choices };
  }
  // Dates stay free text: the command's schema checks them and explains a mistake better than Discord's client would.
  if (option.autocomplete) return { ...base, type: ApplicationCommandOptionType.String, autocomplete: true };
  return { ...base, type: ApplicationCommandOptionType.String };
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
    return {
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: checkedDescription(`/${command.name}`, command.description),
      options: ordered,
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    };
  });
}
