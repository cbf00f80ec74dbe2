import { describe, expect, it } from 'vitest';
import { createAnswers, NOT_A_COMMAND, NOT_PLACED } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import { PERIOD_FORMS } from '../../src/commands/parsePeriod.js';
import { testDeps } from '../fixtures/deps.js';

const deps = await testDeps();
const answers = createAnswers(deps);
/** A line typed in a chat, where the slash is required. */
const ask = (text: string) => answers.line(parseCommandLine(text, { requireSlash: true }));
const errorOf = async (text: string) => {
  const reply = await ask(text);
  expect(reply.kind).toBe('error');
  expect(reply.private).toBe(true);
  return reply.lines![0];
};

describe('the reply path: bad input gets one clear sentence with an example, never a throw', () => {
  it.each([
    [
      '/check',
      'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare — or save yours once with /profile 470 healthcare in a private chat, then send /check alone.',
    ],
    [
      '/check 470 abc',
      'Unknown category "abc"; /categories lists them (healthcare, cec, pnp, french…). For example: /check 470 healthcare',
    ],
    // Without a score or a profile, a word is a mistyped score rather than a category.
    [
      '/check abc',
      'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare — or save yours once with /profile 470 healthcare in a private chat, then send /check alone.',
    ],
    ['/check 1201', 'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare'],
    ['/check -5', 'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare'],
    ['/check 470.5', 'The CRS score must be a whole number from 0 to 1200. For example: /check 470 healthcare'],
    ['/pool 2000', 'The CRS score must be a whole number from 0 to 1200. For example: /pool 470'],
    [
      '/check 470 since=2025-02-30',
      'The period 2025-02-30 is not a real date: February 2025 has 28 days. For example: /check 470 healthcare',
    ],
    ['/check 470 since=tomorrow', `The period must be ${PERIOD_FORMS}. For example: /check 470 healthcare`],
    [
      '/check 470 since=2027-01-01',
      'Jan 1, 2027 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /check 470 cec since 2025-01-01',
    ],
    [
      '/check 470 profile_date=2026-12-01',
      'The profile date Dec 1, 2026 is in the future; give a date up to today, for example /check 470 healthcare profile_date=2025-01-31.',
    ],
    ['/draw', '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today). For example: /draw 379'],
    ['/draw abc', '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today). For example: /draw 379'],
    ['/draw 2026-02-30', 'The date 2026-02-30 is not a real date: February 2026 has 28 days. For example: /draw 379'],
    [
      '/draw last week',
      '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today); for a period, try /history last week. For example: /draw 379',
    ],
    ['/draw 9999', 'There is no round "9999"; rounds run from #1 to #434 — try /draw 434.'],
    ['/latest tra', 'Unknown category "tra" — did you mean trades or transport? For example: /latest healthcare'],
    [
      '/latest nonsense',
      'Unknown category "nonsense"; /categories lists them (healthcare, cec, pnp, french…). For example: /latest healthcare',
    ],
    ['/check 470 category=', 'The category is empty; name one such as healthcare, cec, pnp or french. For example: /check 470 healthcare'],
    ['/history cec 0', 'The count must be a whole number from 1 to 50. For example: /history healthcare'],
    ['/history cec 51', 'The count must be a whole number from 1 to 50. For example: /history healthcare'],
    ['/stats cec 2014', 'Express Entry draws began on Jan 31, 2015, after 2014; pick a period since then. For example: /stats cec 2025'],
    ['/stats 20255', `The period must be ${PERIOD_FORMS}. For example: /stats healthcare 2025`],
    [
      '/history cec since 2027-01-01',
      'Jan 1, 2027 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /history cec since January',
    ],
    [
      '/history between 2026-06-01 and 2026-05-01',
      'That period ends (May 1, 2026) before it starts (Jun 1, 2026); put the earlier date first. For example: /history cec since January',
    ],
    ['/stats cec 2027', '2027 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /stats cec 2025'],
    ['/hello', 'There is no /hello command; /help lists them all, e.g. /latest healthcare.'],
    [`/check ${'9'.repeat(5000)}`, 'That is too long to be a command; try /help for the list, e.g. /latest healthcare.'],
    [`/${'x'.repeat(10 * 1024)}`, 'That is too long to be a command; try /help for the list, e.g. /latest healthcare.'],
  ])('%s', async (text, message) => {
    expect(await errorOf(text)).toBe(message);
  });

  it('answers a category typo with one close match, saying what it assumed; alerts still ask', async () => {
    const latest = await answers.text('/latest helthcare');
    expect(latest.kind).toBe('answer');
    expect(latest.title).toBe('Latest Healthcare and social services draw: #422');
    expect(latest.lines?.[0]).toBe('Assuming healthcare for "helthcare".');
    const check = await answers.command('check', { crs: 470, category: 'frnch' });
    expect(check.lines?.[0]).toBe('Assuming french for "frnch".');
    expect(check.title).toContain('French draws');
    // Typed right, nothing is said.
    expect((await answers.text('/latest healthcare')).lines?.[0]).not.toMatch(/^Assuming/);
    // /subscribe changes what a chat receives: a guess is asked, not made (and needs a chat anyway).
    expect((await answers.text('/subscribe frnch')).lines?.[0]).toMatch(/did you mean french\?|work in a Telegram or Discord chat/);
  });

  it('answers 10 KB of junk with one sentence', async () => {
    const junk = Array.from({ length: 10 * 1024 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 95))).join('');
    const reply = await answers.text(junk);
    expect(reply.kind).toBe('error');
  });

  it('answers a line that is no command with a pointer, and empty or unplaceable text with two examples', async () => {
    const pointer = 'Send a command such as /latest healthcare or /check 470 cec; /help lists them all.';
    expect(NOT_A_COMMAND).toBe(pointer);
    // Whether a chat's message is for the bot at all is Telegram's call (addressedLine); the reply
    // path answers the undefined line of text that is no command.
    expect(parseCommandLine('hello there', { requireSlash: true })).toBeUndefined();
    expect(await ask('hello there')).toMatchObject({ kind: 'error', private: true, lines: [pointer] });
    const examples =
      'I could not tell what you are asking; try "latest healthcare draw" or "would 470 have made the last CEC draw?", or /help for the commands.';
    expect(NOT_PLACED).toBe(examples);
    expect((await answers.text('  ')).lines).toEqual([examples]);
    expect((await answers.question('hello there')).lines).toEqual([examples]);
  });

  it.each([
    ['what was the latest draw?', 'Latest draw: #434'],
    ['latest draw', 'Latest draw: #434'],
    ['when was the last CEC draw', 'Latest Canadian Experience Class draw: #432'],
    ['latest healthcare cut-off?', 'Latest Healthcare and social services draw: #422'],
    ['would 470 have qualified for healthcare', 'CRS 470 — healthcare draws since Nov 25, 2025'],
    ["my CRS is 481 and I'm CEC", 'CRS 481 — CEC draws since Nov 25, 2025'],
    ['check my score 470', 'CRS 470 — draws since Nov 25, 2025'],
    ['when is the next draw?', 'When is the next draw?'],
  ])('answers the question %j as its command', async (question, title) => {
    const reply = await answers.question(question);
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe(title);
  });

  it("answers a command whatever bot it names: the mention is the platform's business", async () => {
    expect((await ask('/latest@eedrawbot healthcare')).kind).toBe('answer');
    expect((await answers.text('/latest@OtherBot healthcare')).kind).toBe('answer');
  });

  it('logs an unexpected error and answers with an apology', async () => {
    const errors: unknown[] = [];
    const broken = { ...deps, log: { ...deps.log, error: (o: unknown) => errors.push(o) } as never, data: deps.data };
    const failing = {
      ...broken,
      commands: deps.commands.map((c) =>
        c.name === 'latest'
          ? {
              ...c,
              run: () => {
                throw new Error('boom');
              },
            }
          : c,
      ),
    };
    const reply = await createAnswers(failing).line(parseCommandLine('/latest', { requireSlash: true }));
    expect(reply.lines?.[0]).toMatch(/^Sorry — something went wrong on our side/);
    expect(reply.freshness).toBe('IRCC data to round #434 (Aug 7, 2026)');
    expect(errors).toHaveLength(1);
  });

  it('says how fresh the data is on every answer', async () => {
    for (const text of ['/latest', '/check abc', '/help', '/nope']) {
      expect((await ask(text)).freshness).toBe('IRCC data to round #434 (Aug 7, 2026)');
    }
  });
});
