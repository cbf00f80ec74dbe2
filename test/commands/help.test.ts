import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { PERIOD_FORMS } from '../../src/commands/parsePeriod.js';
import { testAnswers } from '../fixtures/deps.js';

const answers = await testAnswers();

const CHECK_HELP = [
  'Would your CRS score have been invited? Per draw, with tie-breaks.',
  'Usage: /check [crs] [category] [period] [profile_date]',
  'Options go in order or as name=value.',
  'crs (optional): Your CRS score (0-1200); left out, the one your /profile saved; a whole number from 0 to 1200.',
  'category (optional): Category: healthcare, cec, pnp, french, stem, trades… (default: all draws).',
  'period (optional): Which draws: since 2025-01-01, 2025, last month, July… (default: the last 12 months).',
  'profile_date (optional): When you submitted your Express Entry profile, YYYY-MM-DD (decides ties).',
  `A period may be ${PERIOD_FORMS}.`,
  'Examples:',
  '/check 470 healthcare',
  '/check 480 cec since 2025-01-01',
  '/check 480 cec 2025',
  '/check 470 french last month',
  '/check 462 healthcare profile_date=2024-11-30',
];

describe('/help', () => {
  it('without a command: every command of the registry, privately, and how to ask about one', async () => {
    const reply = await answers.text('/help');
    expect(reply.title).toBe('Express Entry draw bot — commands');
    expect(reply.private).toBe(true);
    expect(reply.lines).toHaveLength(commands.length + 2);
    expect(reply.lines?.[1]).toBe(
      '/check [crs] [category] [period] [profile_date] — Would your CRS score have been invited? Per draw, with tie-breaks. e.g. /check 470 healthcare',
    );
    expect(reply.lines?.at(-1)).toBe("/help with a command's name explains it, e.g. /help check.");
  });

  it.each(['/help check', '/help /check', '/help CHECK', 'help command=check'])(
    '%s: the command, its usage, each option and every example',
    async (text) => {
      const reply = await answers.text(text);
      expect(reply.kind).toBe('answer');
      expect(reply.title).toBe('Help: /check');
      expect(reply.lines).toEqual(CHECK_HELP);
      expect(reply.private).toBe(true);
    },
  );

  it('states the default where the description gives one, and the range of a number', async () => {
    expect((await answers.text('/help history')).lines).toContain(
      'count (optional): How many draws (1-50; default 10, or all in the period); a whole number from 1 to 50.',
    );
  });

  it('a command without options says so', async () => {
    expect((await answers.text('/help about')).lines).toEqual([
      'Where the data comes from, how fresh it is, and what this bot is not.',
      'Usage: /about',
      '/about takes no options.',
      'Examples:',
      '/about',
    ]);
  });

  it('"me" is noise and lists them all; named, "draw" is the command', async () => {
    expect((await answers.text('/help me')).title).toBe('Express Entry draw bot — commands');
    expect((await answers.text('/help command=draw')).title).toBe('Help: /draw');
  });

  // Known gap: argsToInput passes over "draw" as a noise word before /help sees it. Drop `.fails` once it keeps it here.
  it('/help draw explains /draw', async () => {
    expect((await answers.text('/help draw')).title).toBe('Help: /draw');
  });

  it('an unknown command is a mistake, with an example', async () => {
    const reply = await answers.text('/help xyz');
    expect(reply.kind).toBe('error');
    expect(reply.lines).toEqual(['There is no /xyz command; /help lists them all, e.g. /help check.']);
  });

  it('on Discord, the command arrives as a typed option', async () => {
    expect((await answers.command('help', { command: 'Pool' })).title).toBe('Help: /pool');
    expect((await answers.command('help', {})).title).toBe('Express Entry draw bot — commands');
  });

  it('every command of the registry has its help, with all its examples', async () => {
    for (const command of commands) {
      const reply = await answers.text(`/help command=${command.name}`);
      expect(reply.title).toBe(`Help: /${command.name}`);
      expect(reply.lines?.slice(-command.examples.length)).toEqual(command.examples);
    }
  });
});
