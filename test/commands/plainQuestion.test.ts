import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { argsToInput } from '../../src/commands/argsToInput.js';
import { PLAIN_EXAMPLES, type PlainCommand, plainQuestion } from '../../src/commands/plainQuestion.js';

const to = (name: string, ...args: string[]): PlainCommand => ({ name, args });

/** Questions as people write them in Express Entry groups, and what the bot should run. */
const QUESTIONS: ReadonlyArray<readonly [string, PlainCommand | undefined]> = [
  // latest
  ['what was the latest draw?', to('latest')],
  ['latest draw', to('latest')],
  ['Latest draw??', to('latest')],
  ['latest healthcare draw', to('latest', 'healthcare')],
  ['when was the last CEC draw', to('latest', 'cec')],
  ['When was the last CEC draw?? 🙏', to('latest', 'cec')],
  ['cec?', to('latest', 'cec')],
  ['CEC cut off?', to('latest', 'cec')],
  ['healthcare cut-off', to('latest', 'healthcare')],
  ['healthcare cutoff pls', to('latest', 'healthcare')],
  ['most recent french draw', to('latest', 'french')],
  ["what's the newest PNP cutoff", to('latest', 'pnp')],
  ['last draw for canadian experience class?', to('latest', 'cec')],
  ['latest draw for healthcare and social services', to('latest', 'healthcare')],
  ['any recent draw for nurses?', to('latest', 'healthcare')],
  ['provincial nominee latest', to('latest', 'pnp')],
  ['francophone ITA cutoff?', to('latest', 'french')],
  ['latest agri-food draw', to('latest', 'agriculture')],
  ['senior managers?', to('latest', 'senior-managers')],
  ['current CRS cutoff for STEM', to('latest', 'stem')],
  // check
  ['my CRS is 481 and I’m CEC', to('check', '481', 'cec')],
  ["my crs is 481 and i'm cec", to('check', '481', 'cec')],
  ['would 470 have qualified for healthcare', to('check', '470', 'healthcare')],
  ['would 470 have made the last CEC draw?', to('check', '470', 'cec')],
  ['470 enough?', to('check', '470')],
  ['i have 465', to('check', '465')],
  ['with 480 ?', to('check', '480')],
  ['CRS 455, french. chances??', to('check', '455', 'french')],
  ['is 490 enough for PNP', to('check', '490', 'pnp')],
  ['would 470 have made it since 2025', to('check', '470', 'since', '2025')],
  ['crs 462 healthcare since 2025-01-01', to('check', '462', 'healthcare', 'since', '2025-01-01')],
  ['462 healthcare from 2025-3-7', to('check', '462', 'healthcare', 'from', '2025-3-7')],
  ['would 505 get an ITA in 2025?', to('check', '505', '2025')],
  ['my score is 90', to('check', '90')],
  // history
  ['last 5 cec draws', to('history', 'cec', '5')],
  ['Last 5 CEC draws pls', to('history', 'cec', '5')],
  ['past 10 draws', to('history', '10')],
  ['history of healthcare draws', to('history', 'healthcare')],
  ['cec trend', to('history', 'cec')],
  ['previous french draws', to('history', 'french')],
  ['show me the last 20 rounds', to('history', '20')],
  // stats
  ['stats for 2025', to('stats', '2025')],
  ['how many draws in 2025?', to('stats', '2025')],
  ['how many CEC draws this year', to('stats', 'cec', 'this', 'year')],
  ['average cutoff for healthcare', to('stats', 'healthcare')],
  ['median CRS for cec in 2024', to('stats', 'cec', '2024')],
  ['cec draws in 2025', to('stats', 'cec', '2025')],
  ['statistics', to('stats')],
  // draw
  ['draw 434', to('draw', '434')],
  ['round #434', to('draw', '434')],
  ['#91a', to('draw', '91a')],
  ['what was the cutoff in draw no. 379?', to('draw', '379')],
  // periods: a day, a month, a year, since, between, relative ones
  ['CEC draws since January', to('history', 'cec', 'since', 'january')],
  ['French draws in July', to('history', 'french', 'july')],
  ['french draws in june 2026', to('history', 'french', 'june', '2026')],
  ['was there a draw this week?', to('history', 'this', 'week')],
  ['any draw last week?', to('history', 'last', 'week')],
  ['was there a draw today?', to('draw', 'today')],
  ['what was the cut-off on July 21?', to('draw', 'july', '21')],
  ['what was the cut-off on July 21 2026', to('draw', 'july', '21', '2026')],
  ['cut-off on 2026-07-21?', to('draw', '2026-07-21')],
  ['draws between May 1 and June 30', to('history', 'between', 'may', '1', 'and', 'june', '30')],
  ['draws between 2026-05-01 and 2026-06-30', to('history', 'between', '2026-05-01', 'and', '2026-06-30')],
  ['how many ITAs last month', to('stats', 'last', 'month')],
  ['healthcare draws last month', to('history', 'healthcare', 'last', 'month')],
  ['cec draws this month', to('history', 'cec', 'this', 'month')],
  ['draws in the last 30 days', to('history', 'last', '30', 'days')],
  ['stats for the first half of 2026', to('stats', 'first', 'half', 'of', '2026')],
  ['draws in the first half of 2026', to('history', 'first', 'half', 'of', '2026')],
  ['cec stats 2026-03', to('stats', 'cec', '2026-03')],
  ['last 5 cec draws in 2025', to('history', 'cec', '5', '2025')],
  ['would 470 have made a cec draw last month', to('check', '470', 'cec', 'last', 'month')],
  ['may I see the latest draw', to('latest')],
  ['when is the next draw this month?', to('next')],
  // crs: the calculator, when no score is given
  ['what is my CRS?', to('crs')],
  ["what's my crs score", to('crs')],
  ['how do I calculate my CRS?', to('crs')],
  ['crs calculator', to('crs')],
  ['calculate my score please', to('crs')],
  ['would my crs have made the last CEC draw?', to('latest', 'cec')],
  ['what was the cut-off score of the last draw', to('latest')],
  ['what is my crs if 470', to('check', '470')],
  // pool
  ['pool', to('pool')],
  ['how many people above 480?', to('pool', '480')],
  ['how many profiles above 470', to('pool', '470')],
  ['where do i stand with 470', to('pool', '470')],
  ['CRS distribution', to('pool')],
  ['pool 470 pls', to('pool', '470')],
  // next
  ['when is the next draw?', to('next')],
  ['When will the next draw be??', to('next')],
  ['next cec draw when?', to('next', 'cec')],
  ['any FSW draw soon', to('next', 'fsw')],
  ['upcoming healthcare draws', to('next', 'healthcare')],
  // categories
  ['categories', to('categories')],
  ['what categories are there?', to('categories')],
  ['Which categories?', to('categories')],
  // help
  ['help', to('help')],
  ['help pls', to('help')],
  ['what can you do?', to('help')],
  ['what commands do you have', to('help')],
  // not ours: commands, greetings, chatter
  ['/latest cec', undefined],
  ['  /check 470', undefined],
  ['hi', undefined],
  ['hello 👋', undefined],
  ['lol', undefined],
  ['did anyone get an ITA today?', to('draw', 'today')],
  ['thanks!', undefined],
  ['', undefined],
  ['🎉🎉🎉', undefined],
];

/** Group chatter that mentions a category, a number or an everyday cue word without asking the bot anything. */
const CHATTER = [
  'congrats guys!!',
  'i work in tech lol',
  'my cat is 400 days old',
  'waited 3 months for my PR',
  'I was last in line at the bank',
  'see you next week',
  'can someone help me with my medical exam and police certificate',
  'moved to toronto in 2019 with my family',
  'canadian weather is crazy today',
  'i got my passport request yesterday',
];

describe('plainQuestion', () => {
  it.each(QUESTIONS)('%j', (text, expected) => {
    expect(plainQuestion(text)).toEqual(expected);
  });

  it.each(CHATTER)('leaves chatter alone: %j', (text) => {
    expect(plainQuestion(text)).toBeUndefined();
  });

  const placed = QUESTIONS.filter((row): row is readonly [string, PlainCommand] => row[1] !== undefined);
  it.each(placed)('the command accepts what %j becomes', (text) => {
    const plain = plainQuestion(text)!;
    const command = commands.find((c) => c.name === plain.name);
    if (!command && plain.name === 'next') return; // /next is not registered yet
    expect(command, plain.name).toBeDefined();
    const parsed = command!.options.safeParse(argsToInput(command!, plain.args));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('understands its own examples', () => {
    expect(PLAIN_EXAMPLES.map(plainQuestion)).toEqual([to('latest', 'healthcare'), to('check', '470', 'cec')]);
  });

  it('never reads a noise word or a near miss as a category', () => {
    expect(plainQuestion('latest draw please thanks')).toEqual(to('latest'));
    expect(plainQuestion('latest helthcare draw')).toEqual(to('latest'));
  });

  it('finds the question inside long runs of punctuation', () => {
    const long = `${'a-'.repeat(120)}b ${"'".repeat(100)} latest cec ${'#'.repeat(100)}`;
    expect(plainQuestion(long)).toEqual(to('latest', 'cec'));
  });
});
