import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { categoryRuns } from '../fixtures/categoryRuns.js';
import { testAnswers, testDeps } from '../fixtures/deps.js';
import { smallWorld } from '../fixtures/draws.js';

// The frozen dataset (newest round #434 of 2026-08-07) with the clock at 2026-11-25.
const answers = await testAnswers();
const NO_FORECAST = 'IRCC does not announce draws in advance, so this is the pattern of recent draws, not a forecast.';

describe('/next', () => {
  it('says it is no forecast, then the gap between draw weeks, weekdays and hours of recent draws, and each active category', async () => {
    const reply = await answers.text('/next');
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe('When is the next draw?');
    expect(reply.lines).toEqual([
      NO_FORECAST,
      'The latest draw was #434 on Aug 7, 2026, 110 days ago. ' +
        'Weeks with a draw (Monday to Sunday, Ottawa time) usually came 14 days apart (median of the last 10 gaps); it has now been longer than that.',
      'The last 20 draw days fell on Mon 5, Thu 5, Tue 4, Wed 4, Fri 2.',
      'Their 20 rounds with a published time ran mostly 10:00–12:00 UTC (15 of 20).',
      'Longer than their usual gap now: transport (110 days, usually 91 days), French (111 days, usually 22.5 days), ' +
        'CEC (112 days, usually 14 days), PNP (113 days, usually 14 days), senior managers (138 days, usually 127 days), ' +
        'healthcare (153 days, usually 52.5 days), physicians (154 days, usually 125 days), trades (237 days, usually 196 days).',
    ]);
    expect(reply.table?.columns).toEqual(['Category', 'Last draw', 'Days ago', 'Usual gap']);
    expect(reply.table?.rows).toEqual([
      ['transport', '2026-08-07', '110', '91 days'],
      ['French', '2026-08-06', '111', '22.5 days'],
      ['CEC', '2026-08-05', '112', '14 days'],
      ['PNP', '2026-08-04', '113', '14 days'],
      ['military', '2026-07-23', '125', '—'],
      ['senior managers', '2026-07-10', '138', '127 days'],
      ['healthcare', '2026-06-25', '153', '52.5 days'],
      ['physicians', '2026-06-24', '154', '125 days'],
      ['trades', '2026-04-02', '237', '196 days'],
    ]);
    expect(reply.lines?.join(' ')).not.toMatch(/\bdue\b/i);
  });

  it('/next cec: one lane', async () => {
    const reply = await answers.text('/next cec');
    expect(reply.title).toBe('When is the next CEC draw?');
    expect(reply.lines).toEqual([
      NO_FORECAST,
      'The latest CEC draw was #432 on Aug 5, 2026, 112 days ago. CEC draws usually came 14 days apart (median of the last 10 gaps); it has now been longer than that.',
      'The last 20 CEC draw days fell on Tue 11, Wed 9.',
      'Their 20 rounds with a published time ran mostly 10:00–14:00 UTC (15 of 20).',
    ]);
    expect(reply.table).toBeUndefined();
    expect(reply.category).toBe('cec');
  });

  it('/next fsw: a single draw day has no usual gap', async () => {
    expect((await answers.text('/next fsw')).lines).toEqual([
      NO_FORECAST,
      'The latest FSW draw was #240 on Feb 2, 2023, 1,392 days ago.',
      'It fell on a Thu.',
      'It ran in the 15:00 UTC hour.',
    ]);
  });

  it('/next agriculture: a few hours are listed, not summed up', async () => {
    expect((await answers.text('/next agriculture')).lines?.slice(2)).toEqual([
      'The last 3 agriculture draw days fell on Thu 2, Fri 1.',
      'Their 3 rounds with a published time ran in the UTC hours 14:00 (1), 15:00 (1), 16:00 (1).',
    ]);
  });

  it('a category IRCC never drew from: no pattern to go by', async () => {
    const reply = await (await testAnswers(await testDeps(smallWorld()))).text('/next stem');
    expect(reply.kind).toBe('answer');
    expect(reply.lines).toEqual([
      'IRCC has held no STEM draws so far, so there is no pattern to go by. /categories shows the ones it has.',
    ]);
  });

  it('within its usual gap, it says nothing of being longer', async () => {
    // smallWorld's CEC draws: 2025-04-01 and 2026-01-10, 284 days apart; 2026-01-20 is 10 days after the last.
    const early = await testAnswers(await testDeps(smallWorld(), DateTime.fromISO('2026-01-20T17:00:00Z')));
    const reply = await early.text('/next cec');
    expect(reply.lines?.[1]).toBe(
      'The latest CEC draw was #14 on Jan 10, 2026, 10 days ago. CEC draws usually came 284 days apart (only 1 gap so far).',
    );
  });

  it('categories run on consecutive days every two weeks: draw weeks 14 days apart, not 1 day', async () => {
    const world = await testAnswers(await testDeps(categoryRuns(), DateTime.fromISO('2026-03-01T17:00:00Z')));
    const reply = await world.text('/next');
    expect(reply.lines?.[1]).toBe(
      'The latest draw was #98 on Feb 19, 2026, 10 days ago. ' +
        'Weeks with a draw (Monday to Sunday, Ottawa time) usually came 14 days apart (median of the last 7 gaps).',
    );
    expect(reply.table?.rows.map((row) => row[3])).toEqual(['14 days', '14 days', '14 days']);
    expect((await world.text('/next french')).lines?.[1]).toBe(
      'The latest French draw was #99 on Feb 18, 2026, 11 days ago. French draws usually came 14 days apart (median of the last 7 gaps).',
    );
  });
});
