import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { testDeps } from '../fixtures/deps.js';
import { testChat } from './chats.js';

// Answers over the frozen dataset (IRCC's feed of 2026-08-07), with the clock at 2026-11-25.
const deps = await testDeps();
const answers = createAnswers(deps);
const ask = async (text: string) => {
  const reply = await answers.line(parseCommandLine(text, { requireSlash: true }));
  expect(reply.kind, JSON.stringify(reply.lines)).toBe('answer');
  return reply;
};
const field = (reply: Awaited<ReturnType<typeof ask>>, name: string) => reply.fields?.find((f) => f.name === name)?.value;
// The alert commands' stores, over a throwaway SQLite store.
const withStores = useSubscriptionDeps();

describe('commands over the real dataset', () => {
  it('/latest healthcare: round 422 of 2026-06-25, CRS 475, 4,000 invitations', async () => {
    const reply = await ask('/latest healthcare');
    expect(reply.title).toBe('Latest Healthcare and social services draw: #422');
    expect(reply.lines).toEqual(['Jun 25, 2026 — 153 days ago.']);
    expect(field(reply, 'Date')).toBe('Jun 25, 2026');
    expect(field(reply, 'CRS cut-off')).toBe('475');
    expect(field(reply, 'Invitations')).toBe('4,000');
    expect(field(reply, 'Category')).toBe('Healthcare and Social Services Occupations, 2026-Version 3');
    expect(field(reply, 'Tie-break')).toBe('profiles submitted before May 21, 2026 12:14:09 UTC');
    expect(reply.link?.url).toMatch(/invitations\.html\?q=422$/);
    expect(reply.category).toBe('healthcare');
  });

  it('/latest: the newest round overall, #434', async () => {
    expect((await ask('/latest')).title).toBe('Latest draw: #434');
  });

  it('/draw 379: the 2025-11-14 healthcare draw, 3,500 invitations, CRS 462, tie-break 2024-12-02 22:19:41 UTC', async () => {
    const reply = await ask('/draw 379');
    expect(reply.title).toBe('Round #379 — Nov 14, 2025');
    expect(field(reply, 'Invitations')).toBe('3,500');
    expect(field(reply, 'CRS cut-off')).toBe('462');
    expect(field(reply, 'Tie-break')).toBe('profiles submitted before Dec 2, 2024 22:19:41 UTC');
    expect(deps.data().round('379')).toMatchObject({
      category: 'healthcare',
      invitations: 3500,
      crs: 462,
      tieBreak: '2024-12-02T22:19:41Z',
    });
  });

  it('/draw 91a: rounds with a letter', async () => {
    expect(field(await ask('/draw 91a'), 'CRS cut-off')).toBe('288');
  });

  it('/check 470 healthcare: per draw over the last 12 months', async () => {
    const reply = await ask('/check 470 healthcare');
    expect(reply.title).toBe('CRS 470 — healthcare draws since Nov 25, 2025');
    expect(reply.lines).toEqual([
      'Latest healthcare draw, #422 on Jun 25, 2026 (cut-off 475): not invited (−5).',
      '470 would have made 1 of 3 healthcare draws since Nov 25, 2025.',
    ]);
    expect(reply.table?.rows).toEqual([
      ['2026-06-25', '#422', '475', '✗', 'not invited (−5)'],
      ['2026-02-20', '#398', '467', '✓', 'invited (+3)'],
      ['2025-12-11', '#385', '476', '✗', 'not invited (−6)'],
    ]);
  });

  it('/check 462 healthcare: a tie at #379 depends on the profile date', async () => {
    const open = await ask('/check 462 healthcare since=2025-11-01');
    expect(open.table?.rows.at(-1)).toEqual([
      '2025-11-14',
      '#379',
      '462',
      '?',
      'tie: depends on when your profile was submitted: before Dec 2, 2024 22:19:41 UTC',
    ]);
    expect(open.lines).toContain('Add profile_date=YYYY-MM-DD to settle ties.');
    const before = await ask('/check 462 healthcare since=2025-11-01 profile_date=2024-11-30');
    expect(before.table?.rows.at(-1)?.[3]).toBe('✓');
    const after = await ask('/check 462 healthcare since=2025-11-01 profile_date=2024-12-03');
    expect(after.table?.rows.at(-1)?.[3]).toBe('✗');
  });

  it('/history cec 5', async () => {
    const reply = await ask('/history cec 5');
    expect(reply.title).toBe('Last 5 CEC draws');
    expect(reply.table?.columns).toEqual(['Date', 'Round', 'Invited', 'CRS']);
    expect(reply.table?.rows[0]).toEqual(['2026-08-05', '#432', '3,000', '516']);
    expect(reply.table?.rows).toHaveLength(5);
  });

  it('/history defaults to 10 draws of every category', async () => {
    const reply = await ask('/history');
    expect(reply.table?.rows).toHaveLength(10);
    expect(reply.table?.rows[0]).toEqual(['2026-08-07', '#434', 'transport', '300', '470']);
  });

  it('/stats healthcare 2025', async () => {
    const reply = await ask('/stats healthcare 2025');
    expect(reply.fields).toEqual([
      { name: 'Draws', value: '7', inline: true },
      { name: 'Invitations', value: '14,500', inline: true },
      { name: 'Cut-off min / median / max', value: '462 / 475 / 510', inline: true },
      { name: 'Average gap', value: '37.2 days between draws', inline: true },
    ]);
    expect(reply.lines).toEqual(['Latest healthcare draw: Jun 25, 2026, 153 days ago.']);
  });

  it('/stats education: an empty period says so', async () => {
    const reply = await ask('/stats education');
    expect(reply.lines).toEqual(['No education draws since Nov 25, 2025.', 'Latest education draw: Sep 17, 2025, 434 days ago.']);
  });

  it('/pool 470: the newest snapshot and an interpolated rank', async () => {
    const reply = await ask('/pool 470');
    expect(reply.lines?.[0]).toBe('229,100 profiles in the pool on Aug 3, 2026 (published with round #434).');
    expect(reply.lines?.[1]).toMatch(/^About 62,402 profiles \(27\.2%\) score above 470\./);
    expect(reply.table?.rows).toHaveLength(15);
    expect(reply.table?.rows.find((r) => r[0]!.includes('◀'))?.[0]).toBe('461-470 ◀');
  });

  it('/categories: every category IRCC has used, newest first', async () => {
    const reply = await ask('/categories');
    expect(reply.table?.rows.map((r) => r[0])).toEqual([
      'transport',
      'french',
      'cec',
      'pnp',
      'military',
      'senior-managers',
      'healthcare',
      'physicians',
      'trades',
      'education',
      'general',
      'stem',
      'agriculture',
      'fsw',
      'fst',
    ]);
  });

  it('/help lists every command of the registry, privately', async () => {
    const reply = await ask('/help');
    expect(reply.private).toBe(true);
    for (const command of commands) expect(reply.lines?.some((l) => l.startsWith(`/${command.name}`))).toBe(true);
  });

  it('/about names the source and says it is not legal advice', async () => {
    const reply = await ask('/about');
    expect(reply.lines?.join(' ')).toContain('Not legal advice');
    expect(field(reply, 'Rounds held')).toBe('435 (#1, Jan 31, 2015 → #434, Aug 7, 2026)');
  });
});

describe('the registry', () => {
  it('has unique names and descriptions Discord and Telegram accept', () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    for (const c of commands) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(3);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.examples.length).toBeGreaterThan(0);
    }
  });

  it('answers every example of every command without an error', async () => {
    // The alert commands act on a chat: a private one here, over a throwaway store.
    const withAlerts = createAnswers(withStores.deps);
    const { chat } = testChat('telegram', { id: '42', isPrivate: true });
    for (const c of commands) {
      for (const example of c.examples)
        expect((await withAlerts.line(parseCommandLine(example, { requireSlash: true }), chat)).kind, example).toBe('answer');
    }
  });
});
