import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { optionMetas } from '../src/commands/options.js';

export const help = defineCommand({
  name: 'help',
  description: 'What the bot can answer, with examples',
  options: z.strictObject({}),
  examples: ['/help'],
  run(_input, { commands }) {
    const lines = commands.map((command) => {
      const usage = optionMetas(command.options)
        .map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`))
        .join(' ');
      return `/${command.name}${usage ? ` ${usage}` : ''} — ${command.description}. e.g. ${command.examples[0]}`;
    });
    return {
      kind: 'answer',
      title: 'Express Entry draw bot — commands',
      lines: [...lines, 'Options go in order or as name=value: /check 470 healthcare since=2025-01-01 profile_date=2024-11-30.'],
      private: true,
    };
  },
});
