import { z } from 'zod';
import type { AnyCommand } from '../src/commands/defineCommand.js';
import { defineCommand } from '../src/commands/defineCommand.js';
import { bareWord, isNoiseWord } from '../src/commands/noiseWords.js';
import { type NamedOptionMeta, type OptionMeta, optionMetas } from '../src/commands/options.js';
import { PERIOD_FORMS } from '../src/commands/parsePeriod.js';
import type { Reply } from '../src/core/reply.js';
import { UserError } from '../src/domain/userError.js';

const EXAMPLE = '/help check';

// Which names exist is the registry's, known only when run: the schema checks the shape, run the name.
const commandOption = z
  .string({ error: `The command must be a word such as check, for example ${EXAMPLE}` })
  .max(40, { error: `That is too long for a command name; for example ${EXAMPLE}` })
  .optional()
  .meta({
    kind: 'string',
    description: 'A command to explain, e.g. check (default: list them all)',
    autocomplete: 'command',
  } satisfies OptionMeta);

export const help = defineCommand({
  name: 'help',
  description: 'What the bot can answer, with examples; /help check explains one command',
  options: z.strictObject({ command: commandOption }),
  examples: ['/help', EXAMPLE, '/help next'],
  run({ command: asked }, { commands }) {
    // "/help check", "/help /check", "/help CHECK?"; "/help me" is a plea, not a command name.
    const name = asked === undefined ? '' : bareWord(asked);
    const command = commands.find((c) => c.name === name);
    if (command) return commandHelp(command);
    if (asked !== undefined && !isNoiseWord(asked)) {
      throw new UserError(`There is no /${name.slice(0, 32)} command; /help lists them all, e.g. ${EXAMPLE}.`);
    }
    return commandList(commands);
  },
});

function usage(command: AnyCommand): string {
  const options = optionMetas(command.options).map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [`/${command.name}`, ...options].join(' ');
}

function commandList(commands: readonly AnyCommand[]): Reply {
  const lines = commands.map((command) => `${usage(command)} — ${command.description}. e.g. ${command.examples[0]}`);
  return {
    kind: 'answer',
    title: 'Express Entry draw bot — commands',
    lines: [
      ...lines,
      'Options go in order or as name=value: /check 470 healthcare since 2025-01-01 profile_date=2024-11-30.',
      `/help with a command's name explains it, e.g. ${EXAMPLE}.`,
    ],
    private: true,
  };
}

/** "crs (required): Your CRS score (0-1200); a whole number from 0 to 1200." */
function optionLine(option: NamedOptionMeta): string {
  const range = option.kind === 'integer' ? `; a whole number from ${option.min} to ${option.max}` : '';
  return `${option.name} (${option.required ? 'required' : 'optional'}): ${option.description}${range}.`;
}

function commandHelp(command: AnyCommand): Reply {
  const options = optionMetas(command.options);
  const given = options.length
    ? ['Options go in order or as name=value.', ...options.map(optionLine)]
    : [`/${command.name} takes no options.`];
  // Periods are typed in many ways: the forms, once, where a command takes one.
  if (options.some((o) => o.kind === 'period')) given.push(`A period may be ${PERIOD_FORMS}.`);
  return {
    kind: 'answer',
    title: `Help: /${command.name}`,
    lines: [`${command.description}.`, `Usage: ${usage(command)}`, ...given, 'Examples:', ...command.examples],
    private: true,
  };
}
