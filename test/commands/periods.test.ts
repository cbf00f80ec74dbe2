import { describe, expect, it } from 'vitest';
import { testAnswers } from '../fixtures/deps.js';

// The frozen dataset (to round #434, Aug 7, 2026), the clock at Wednesday Nov 25, 2026 in Ottawa.
const answers = await testAnswers();

describe('every period form, through /history, /stats and /check', () => {
  // [form, /history's title, the label /stats cec and /check 470 cec put in theirs]
  it.each<[form: string, history: string, label: string]>([
    ['2026-07-21', '1 draw on Jul 21, 2026', 'on Jul 21, 2026'],
    ['Jul 21 2026', '1 draw on Jul 21, 2026', 'on Jul 21, 2026'],
    ['July 21', '1 draw on Jul 21, 2026', 'on Jul 21, 2026'],
    ['21 July 2026', '1 draw on Jul 21, 2026', 'on Jul 21, 2026'],
    ['July', '8 draws in July 2026', 'in July 2026'],
    ['July 2026', '8 draws in July 2026', 'in July 2026'],
    ['2026-07', '8 draws in July 2026', 'in July 2026'],
    ['in July', '8 draws in July 2026', 'in July 2026'],
    ['2026', '46 draws in 2026', 'in 2026'],
    ['2015', '23 draws in 2015', 'in 2015'],
    ['since July', '12 draws since July 2026', 'since July 2026'],
    ['since 2026-06-01', '16 draws since Jun 1, 2026', 'since Jun 1, 2026'],
    ['since July 2026', '12 draws since July 2026', 'since July 2026'],
    ['from March', '36 draws since March 2026', 'since March 2026'],
    ['between May 1 and June 30', '8 draws between May 1, 2026 and Jun 30, 2026', 'between May 1, 2026 and Jun 30, 2026'],
    ['between 2026-05-01 and 2026-06-30', '8 draws between May 1, 2026 and Jun 30, 2026', 'between May 1, 2026 and Jun 30, 2026'],
    ['from 2025-11-01 to 2026-01-31', '16 draws between Nov 1, 2025 and Jan 31, 2026', 'between Nov 1, 2025 and Jan 31, 2026'],
    ['May 1 to June 30', '8 draws between May 1, 2026 and Jun 30, 2026', 'between May 1, 2026 and Jun 30, 2026'],
    ['between December and February', '16 draws between December 2025 and February 2026', 'between December 2025 and February 2026'],
    ['today', 'Draws today (Nov 25, 2026)', 'today (Nov 25, 2026)'],
    ['yesterday', 'Draws yesterday (Nov 24, 2026)', 'yesterday (Nov 24, 2026)'],
    ['this week', 'Draws this week (Nov 23 \u2013 Nov 25, 2026)', 'this week (Nov 23 \u2013 Nov 25, 2026)'],
    ['last week', 'Draws last week (Nov 16 \u2013 Nov 22, 2026)', 'last week (Nov 16 \u2013 Nov 22, 2026)'],
    ['this month', 'Draws this month (November 2026)', 'this month (November 2026)'],
    ['last month', 'Draws last month (October 2026)', 'last month (October 2026)'],
    ['this year', '46 draws this year (2026)', 'this year (2026)'],
    ['last year', '58 draws last year (2025)', 'last year (2025)'],
    ['the last 30 days', 'Draws in the last 30 days (Oct 27 \u2013 Nov 25, 2026)', 'in the last 30 days (Oct 27 \u2013 Nov 25, 2026)'],
    ['last 2 weeks', 'Draws in the last 2 weeks (Nov 12 \u2013 Nov 25, 2026)', 'in the last 2 weeks (Nov 12 \u2013 Nov 25, 2026)'],
    ['past 6 months', '18 draws in the last 6 months (May 26 \u2013 Nov 25, 2026)', 'in the last 6 months (May 26 \u2013 Nov 25, 2026)'],
    ['past week', 'Draws in the last week (Nov 19 \u2013 Nov 25, 2026)', 'in the last week (Nov 19 \u2013 Nov 25, 2026)'],
    ['first half of 2026', '34 draws in the first half of 2026', 'in the first half of 2026'],
    ['second half of 2025', '35 draws in the second half of 2025', 'in the second half of 2025'],
    ['h1 2026', '34 draws in the first half of 2026', 'in the first half of 2026'],
    ['q3', '12 draws in Q3 2026', 'in Q3 2026'],
    ['q4 2025', '19 draws in Q4 2025', 'in Q4 2025'],
  ])('%j', async (form, history, label) => {
    const replies = await Promise.all([
      answers.text(`/history ${form}`),
      answers.text(`/stats cec ${form}`),
      answers.text(`/check 470 cec ${form}`),
    ]);
    expect(replies.map((r) => [r.kind, r.title])).toEqual([
      ['answer', history],
      ['answer', `CEC draws ${label}`],
      ['answer', `CRS 470 — CEC draws ${label}`],
    ]);
  });
});

describe('a period without a draw of the kind asked: an answer saying when the nearest were', () => {
  it.each([
    ['/history today', 'No draw today (Nov 25, 2026); the latest was #434 on Aug 7, 2026 (110 days ago).'],
    ['/history this week', 'No draw this week (Nov 23 – Nov 25, 2026); the latest was #434 on Aug 7, 2026 (110 days ago).'],
    ['/history healthcare last month', 'No healthcare draw last month (October 2026); the latest was #422 on Jun 25, 2026 (153 days ago).'],
    ['/stats cec this month', 'No CEC draw this month (November 2026); the latest was #432 on Aug 5, 2026 (112 days ago).'],
    [
      '/check 470 cec the last 30 days',
      'No CEC draw in the last 30 days (Oct 27 – Nov 25, 2026); the latest was #432 on Aug 5, 2026 (112 days ago).',
    ],
    [
      '/history healthcare April 2026',
      'No healthcare draw in April 2026; the one before was #398 on Feb 20, 2026, and the next was #422 on Jun 25, 2026.',
    ],
    ['/stats healthcare 2015', 'No healthcare draw in 2015; the next was #252 on Jun 28, 2023.'],
    ['/history physicians 2025', 'No physicians draw in 2025; the next was #397 on Feb 19, 2026.'],
  ])('%s', async (text, line) => {
    const reply = await answers.text(text);
    expect(reply.kind).toBe('answer');
    expect(reply.lines).toContain(line);
  });
});

describe('/history with a count and a period', () => {
  it('shows the newest of the period and says how many it left out', async () => {
    const reply = await answers.text('/history cec 2 since July');
    expect(reply.title).toBe('3 CEC draws since July 2026');
    expect(reply.lines).toEqual(['The latest 2 of the 3 CEC draws since July 2026; give a shorter period for the rest.']);
    expect(reply.table?.rows.map((row) => row[1])).toEqual(['#432', '#428']);
  });
});

describe('/check since=…', () => {
  it.each([
    ['/check 470 cec since=2026-01-01', 'CRS 470 — CEC draws since Jan 1, 2026'],
    ['/check 470 cec since=July', 'CRS 470 — CEC draws since July 2026'],
  ])('%s still reads the period', async (text, title) => {
    expect((await answers.text(text)).title).toBe(title);
  });
});

describe('/draw <a day>', () => {
  it.each(['2026-07-21', 'Jul 21 2026', 'July 21', '21 July 2026'])('/draw %s: the one round that day, in full', async (day) => {
    const reply = await answers.text(`/draw ${day}`);
    expect(reply.title).toBe('Round #428 — Jul 21, 2026');
    expect(reply.link?.label).toBe('Round #428 on canada.ca');
  });

  it.each(['2020-04-09', 'Apr 9 2020'])('/draw %s: both rounds that day, newest first', async (day) => {
    const reply = await answers.text(`/draw ${day}`);
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe('2 rounds on Apr 9, 2020');
    expect(reply.table?.rows).toEqual([
      ['#142', 'CEC', '3,294', '464', '12:16:45'],
      ['#141', 'PNP', '606', '698', '11:29:51'],
    ]);
    expect(reply.lines?.at(-1)).toBe('/draw 142 shows one of them in full.');
  });

  it.each([
    ['today', 'Rounds today (Nov 25, 2026)', 'No draw today (Nov 25, 2026); the latest was #434 on Aug 7, 2026 (110 days ago).'],
    [
      'yesterday',
      'Rounds yesterday (Nov 24, 2026)',
      'No draw yesterday (Nov 24, 2026); the latest was #434 on Aug 7, 2026 (110 days ago).',
    ],
  ])('/draw %s without a round: when the latest was, and how long ago', async (day, title, line) => {
    const reply = await answers.text(`/draw ${day}`);
    expect(reply).toMatchObject({ kind: 'answer', title, lines: [line] });
  });

  it.each([
    [
      'July',
      '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today); for a period, try /history July. For example: /draw 379',
    ],
    [
      '2026',
      '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today); for a whole year, try /history 2026 or /stats 2026. For example: /draw 379',
    ],
    ['Dec 1 2026', 'Dec 1, 2026 has not come yet (today is Nov 25, 2026); pick a period up to today. For example: /draw 2026-07-21'],
  ])('/draw %s is refused, saying what to send', async (text, message) => {
    const reply = await answers.text(`/draw ${text}`);
    expect(reply.kind).toBe('error');
    expect(reply.lines).toEqual([message]);
  });
});
