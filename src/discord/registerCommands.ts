import { type REST, Routes } from 'discord.js';
import type { SlashCommand } from './slashCommands.js';

/** Where commands live: globally for the application, or in one server (updates show at once). */
export interface CommandScope {
  applicationId: string;
  guildId?: string;
}

export function commandsRoute(scope: CommandScope): `/${string}` {
  return scope.guildId
    ? Routes.applicationGuildCommands(scope.applicationId, scope.guildId)
    : Routes.applicationCommands(scope.applicationId);
}

/** Replaces every command in the scope with `commands` (Discord's bulk overwrite). */
export async function registerCommands(rest: REST, scope: CommandScope, commands: readonly SlashCommand[]): Promise<void> {
  await rest.put(commandsRoute(scope), { body: commands });
}

type Loose = Record<string, unknown>;

const sortedNumbers = (value: unknown, fallback: number[]) => (Array.isArray(value) ? [...(value as number[])].sort() : fallback);

/** An option as Discord echoes it, reduced to what we set, with Discord's defaults filled in. */
function comparableOption(option: Loose): Loose {
  return {
    type: option.type,
    name: option.name,
    description: option.description,
    required: option.required ?? false,
    autocomplete: option.autocomplete ?? false,
    min_value: option.min_value ?? null,
    max_value: option.max_value ?? null,
    min_length: option.min_length ?? null,
    max_length: option.max_length ?? null,
    choices: option.choices ?? null,
  };
}

function comparableCommand(command: Loose): Loose {
  return {
    type: command.type ?? 1,
    name: command.name,
    description: command.description,
    options: ((command.options as Loose[] | undefined) ?? []).map(comparableOption),
    contexts: sortedNumbers(command.contexts, []),
    integration_types: sortedNumbers(command.integration_types, [0]),
    default_member_permissions: command.default_member_permissions ?? null,
    nsfw: command.nsfw ?? false,
  };
}

function canonical(commands: readonly Loose[]): string {
  return JSON.stringify(commands.map(comparableCommand).sort((a, b) => String(a.name).localeCompare(String(b.name))));
}

/**
 * Whether Discord already holds these definitions. Discord echoes commands with ids, versions
 * and defaults added, so both sides are reduced to the fields we set before comparing.
 */
export function sameCommands(wanted: readonly SlashCommand[], held: readonly unknown[]): boolean {
  return canonical(wanted as unknown as Loose[]) === canonical(held as Loose[]);
}

/**
 * At start-up: registers the commands only when what Discord holds differs, since every
 * overwrite counts against a daily limit and may make clients refetch the command list.
 */
export async function syncCommands(
  rest: REST,
  scope: CommandScope,
  commands: readonly SlashCommand[],
): Promise<'unchanged' | 'registered'> {
  const held = (await rest.get(commandsRoute(scope))) as unknown[];
  if (sameCommands(commands, held)) return 'unchanged';
  await registerCommands(rest, scope, commands);
  return 'registered';
}
