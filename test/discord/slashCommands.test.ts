import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/commands/defineCommand.js';
import { categoryOption, integerOption, roundOption } from '../../src/commands/options.js';
import { slashCommands } from '../../src/discord/slashCommands.js';

describe('slashCommands', () => {
  const definitions = slashCommands(commands);

  it('has one chat-input command per registry entry, in the same order, for servers and DMs', () => {
    expect(definitions.map((d) => d.name)).toEqual(commands.map((c) => c.name));
    for (const d of definitions) {
      expect(d.type).toBe(1);
      expect(d.contexts).toEqual([0, 1]);
      expect(d.integration_types).toEqual([0]);
    }
  });

  it('types /check: CRS an integer 0-1200, category with autocomplete, the period and the date as strings', () => {
    expect(definitions.find((d) => d.name === 'check')).toEqual({
      type: 1,
      name: 'check',
      description: 'Would your CRS score have been invited? Per draw, with tie-breaks',
      options: [
        {
          type: 4,
          name: 'crs',
          description: 'Your CRS score (0-1200); left out, the one your /profile saved',
          required: false,
          min_value: 0,
          max_value: 1200,
        },
        {
          type: 3,
          name: 'category',
          description: 'Category: healthcare, cec, pnp, french, stem, trades… (default: all draws)',
          required: false,
          autocomplete: true,
        },
        {
          type: 3,
          name: 'period',
          description: 'Which draws: since 2025-01-01, 2025, last month, July… (default: the last 12 months)',
          required: false,
        },
        {
          type: 3,
          name: 'profile_date',
          description: 'When you submitted your Express Entry profile, YYYY-MM-DD (decides ties)',
          required: false,
        },
      ],
      contexts: [0, 1],
      integration_types: [0],
    });
  });

  it('bounds /history count to 1-50 and autocompletes /draw round', () => {
    const count = definitions.find((d) => d.name === 'history')!.options!.find((o) => o.name === 'count');
    expect(count).toMatchObject({ type: 4, min_value: 1, max_value: 50, required: false });
    const round = definitions.find((d) => d.name === 'draw')!.options![0];
    expect(round).toMatchObject({ type: 3, name: 'round', required: true, autocomplete: true });
  });

  it('keeps within Discord limits: names, descriptions, required options first', () => {
    for (const d of definitions) {
      expect(d.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(d.description.length).toBeLessThanOrEqual(100);
      const required = (d.options ?? []).map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      for (const o of d.options ?? []) {
        expect(o.name).toMatch(/^[a-z0-9_-]{1,32}$/);
        expect(o.description.length).toBeGreaterThan(0);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('moves a required option ahead of optional ones, as Discord demands', () => {
    const odd = defineCommand({
      name: 'odd',
      description: 'Optional first in the registry',
      options: z.strictObject({
        category: categoryOption(),
        round: roundOption(),
        crs: integerOption({ description: 'Score', min: 0, max: 1200, label: 'The score' }).required(),
      }),
      examples: ['/odd'],
      run: () => ({ kind: 'answer', title: 'odd' }),
    });
    expect(slashCommands([odd])[0]!.options!.map((o) => o.name)).toEqual(['round', 'crs', 'category']);
  });

  it('refuses a description Discord would refuse, naming the option', () => {
    const long = defineCommand({
      name: 'long',
      description: 'Fine',
      options: z.strictObject({ crs: integerOption({ description: 'x'.repeat(101), min: 0, max: 1, label: 'x' }).optional() }),
      examples: ['/long'],
      run: () => ({ kind: 'answer', title: 'long' }),
    });
    expect(() => slashCommands([long])).toThrow('/long crs: description must be 1-100 characters, it has 101');
  });

  it("offers /help's command option as the registry's names to pick from", () => {
    const help = slashCommands(commands).find((c) => c.name === 'help')!;
    const option = help.options?.find((o) => o.name === 'command') as { choices?: Array<{ name: string; value: string }> } | undefined;
    expect(option?.choices?.map((c) => c.value)).toEqual(commands.map((c) => c.name));
  });
});

describe('slashCommands: fixed choices', () => {
  const withChoices = (choices: readonly string[], description = 'One of a few') =>
    z.string().optional().meta({ kind: 'string', description, choices });

  it('offers an option with choices as Discord choices rather than free text or autocomplete', () => {
    const sized = defineCommand({
      name: 'sized',
      description: 'Takes a size',
      options: z.strictObject({ size: withChoices(['small', 'medium', 'large']) }),
      examples: ['/sized'],
      run: () => ({ kind: 'answer', title: 'sized' }),
    });
    expect(slashCommands([sized])[0]!.options).toEqual([
      {
        type: 3,
        name: 'size',
        description: 'One of a few',
        required: false,
        choices: [
          { name: 'small', value: 'small' },
          { name: 'medium', value: 'medium' },
          { name: 'large', value: 'large' },
        ],
      },
    ]);
  });

  const many = (count: number, choices: readonly string[], description?: string) =>
    defineCommand({
      name: 'many',
      description: 'Many options',
      options: z.strictObject(Object.fromEntries(Array.from({ length: count }, (_, i) => [`o${i}`, withChoices(choices, description)]))),
      examples: ['/many'],
      run: () => ({ kind: 'answer', title: 'many' }),
    });

  it('registers a command of 22 options with choices (Discord takes 25)', () => {
    const options = slashCommands([
      many(22, ['yes', 'no', 'not sure'], 'A question of the guided calculator, asked once'.padEnd(90, '.')),
    ])[0]!.options!;
    expect(options).toHaveLength(22);
    expect(options.every((o) => 'choices' in o && o.choices?.length === 3)).toBe(true);
  });

  it('refuses what Discord would refuse, naming the command', () => {
    expect(() => slashCommands([many(26, ['a'])])).toThrow('/many: Discord takes at most 25 options, it has 26');
    const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
    expect(() => slashCommands([many(1, letters)])).toThrow('/many o0: Discord takes 1-25 choices, it has 26');
    expect(() => slashCommands([many(1, ['x'.repeat(101)])])).toThrow('/many o0: choice');
    // 25 options × 25 choices of 12 + 12 characters: past Discord's 8000 for the whole command.
    const long = Array.from({ length: 25 }, (_, i) => `choice-${String(i).padStart(5, '0')}`);
    expect(() => slashCommands([many(25, long)])).toThrow(
      /^\/many: names, descriptions and choices come to \d+ characters, Discord takes 8000$/,
    );
  });
});
