import { describe, expect, it } from 'vitest';
import { PERIOD_FORMS, parsePeriod, periodWordsAt } from '../../src/commands/parsePeriod.js';
import { type Period, resolvePeriod } from '../../src/core/period.js';
import { UserError } from '../../src/domain/userError.js';

/** A period as typed, placed against `today`. */
const read = (text: string, today: string) => resolvePeriod(parsePeriod(text), today);

/** What a row expects: `day` only on one-day periods, and nothing else on the object. */
const period = (from: string, to: string, label: string, day: boolean): Period =>
  day ? { from, to, label, day: true } : { from, to, label };

type Row = [text: string, from: string, to: string, label: string, day: boolean];

// A Sunday: "this week" is Monday Nov 30 to today.
const SUNDAY = '2026-12-06';

describe('a period as typed, on Sunday Dec 6, 2026', () => {
  it.each<Row>([
    // a day
    ['2026-07-21', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['2026/7/21', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['Jul 21 2026', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['Jul 21, 2026', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['July 21', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['21 July 2026', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['on July 21st', '2026-07-21', '2026-07-21', 'on Jul 21, 2026', true],
    ['Dec 6', '2026-12-06', '2026-12-06', 'on Dec 6, 2026', true],
    ['Dec 7', '2025-12-07', '2025-12-07', 'on Dec 7, 2025', true],
    // a month
    ['July', '2026-07-01', '2026-07-31', 'in July 2026', false],
    ['July 2026', '2026-07-01', '2026-07-31', 'in July 2026', false],
    ['jul 2026', '2026-07-01', '2026-07-31', 'in July 2026', false],
    ['2026-07', '2026-07-01', '2026-07-31', 'in July 2026', false],
    ['in July', '2026-07-01', '2026-07-31', 'in July 2026', false],
    ['Sept', '2026-09-01', '2026-09-30', 'in September 2026', false],
    ['December', '2026-12-01', '2026-12-06', 'in December 2026', false],
    ['2024-02', '2024-02-01', '2024-02-29', 'in February 2024', false],
    // a year
    ['2026', '2026-01-01', '2026-12-06', 'in 2026', false],
    ['2015', '2015-01-01', '2015-12-31', 'in 2015', false],
    ['during 2025', '2025-01-01', '2025-12-31', 'in 2025', false],
    // since
    ['since January', '2026-01-01', '2026-12-06', 'since January 2026', false],
    ['since 2026-06-01', '2026-06-01', '2026-12-06', 'since Jun 1, 2026', false],
    ['since July 2026', '2026-07-01', '2026-12-06', 'since July 2026', false],
    ['from March', '2026-03-01', '2026-12-06', 'since March 2026', false],
    ['after 2025', '2025-01-01', '2026-12-06', 'since 2025', false],
    // between
    ['between May 1 and June 30', '2026-05-01', '2026-06-30', 'between May 1, 2026 and Jun 30, 2026', false],
    ['between 2026-05-01 and 2026-06-30', '2026-05-01', '2026-06-30', 'between May 1, 2026 and Jun 30, 2026', false],
    ['from 2025-11-01 to 2026-01-31', '2025-11-01', '2026-01-31', 'between Nov 1, 2025 and Jan 31, 2026', false],
    ['May 1 to June 30', '2026-05-01', '2026-06-30', 'between May 1, 2026 and Jun 30, 2026', false],
    // Without the end's year, the start is the most recent one begun and the end the first after it.
    ['between December and February', '2026-12-01', '2026-12-06', 'between December 2026 and February 2027', false],
    ['between December and February 2026', '2025-12-01', '2026-02-28', 'between December 2025 and February 2026', false],
    ['between May and June 2025', '2025-05-01', '2025-06-30', 'between May 2025 and June 2025', false],
    ['from 2026-12-01 to 2026-12-31', '2026-12-01', '2026-12-06', 'between Dec 1, 2026 and Dec 31, 2026', false],
    // relative
    ['today', '2026-12-06', '2026-12-06', 'today (Dec 6, 2026)', true],
    ['yesterday', '2026-12-05', '2026-12-05', 'yesterday (Dec 5, 2026)', true],
    ['this week', '2026-11-30', '2026-12-06', 'this week (Nov 30 – Dec 6, 2026)', false],
    ['last week', '2026-11-23', '2026-11-29', 'last week (Nov 23 – Nov 29, 2026)', false],
    ['this month', '2026-12-01', '2026-12-06', 'this month (December 2026)', false],
    ['last month', '2026-11-01', '2026-11-30', 'last month (November 2026)', false],
    ['this year', '2026-01-01', '2026-12-06', 'this year (2026)', false],
    ['last year', '2025-01-01', '2025-12-31', 'last year (2025)', false],
    ['the last 30 days', '2026-11-07', '2026-12-06', 'in the last 30 days (Nov 7 – Dec 6, 2026)', false],
    ['last 2 weeks', '2026-11-23', '2026-12-06', 'in the last 2 weeks (Nov 23 – Dec 6, 2026)', false],
    ['past 3 months', '2026-09-07', '2026-12-06', 'in the last 3 months (Sep 7 – Dec 6, 2026)', false],
    ['past week', '2026-11-30', '2026-12-06', 'in the last week (Nov 30 – Dec 6, 2026)', false],
    ['past year', '2025-12-07', '2026-12-06', 'in the last 12 months (Dec 7, 2025 – Dec 6, 2026)', false],
    ['last day', '2026-12-05', '2026-12-05', 'yesterday (Dec 5, 2026)', true],
    // parts of a year
    ['first half of 2026', '2026-01-01', '2026-06-30', 'in the first half of 2026', false],
    ['second half of 2025', '2025-07-01', '2025-12-31', 'in the second half of 2025', false],
    ['h1 2026', '2026-01-01', '2026-06-30', 'in the first half of 2026', false],
    ['q3', '2026-07-01', '2026-09-30', 'in Q3 2026', false],
    ['q4 2025', '2025-10-01', '2025-12-31', 'in Q4 2025', false],
    ['2026 q1', '2026-01-01', '2026-03-31', 'in Q1 2026', false],
  ])('%j is %s to %s, %j', (text, from, to, label, day) => {
    expect(read(text, SUNDAY)).toStrictEqual(period(from, to, label, day));
  });
});

describe('a period as typed in early January: a month or day not yet come this year is last year’s', () => {
  it.each<[today: string, ...Row]>([
    ['2026-01-10', 'July', '2025-07-01', '2025-07-31', 'in July 2025', false],
    ['2026-01-10', 'July 21', '2025-07-21', '2025-07-21', 'on Jul 21, 2025', true],
    ['2026-01-10', 'December', '2025-12-01', '2025-12-31', 'in December 2025', false],
    ['2026-01-10', 'January', '2026-01-01', '2026-01-10', 'in January 2026', false],
    ['2026-01-10', 'since July', '2025-07-01', '2026-01-10', 'since July 2025', false],
    ['2026-01-10', 'last month', '2025-12-01', '2025-12-31', 'last month (December 2025)', false],
    ['2026-01-10', 'last week', '2025-12-29', '2026-01-04', 'last week (Dec 29, 2025 – Jan 4, 2026)', false],
    ['2026-01-10', 'this year', '2026-01-01', '2026-01-10', 'this year (2026)', false],
    ['2026-01-10', 'last year', '2025-01-01', '2025-12-31', 'last year (2025)', false],
    ['2026-01-10', 'between Dec 1 and Jan 31', '2025-12-01', '2026-01-10', 'between Dec 1, 2025 and Jan 31, 2026', false],
    ['2026-05-15', 'between May 1 and June 30', '2026-05-01', '2026-05-15', 'between May 1, 2026 and Jun 30, 2026', false],
    ['2026-01-10', 'between Nov 1 and Jan 5', '2025-11-01', '2026-01-05', 'between Nov 1, 2025 and Jan 5, 2026', false],
    ['2026-01-10', 'between November and January', '2025-11-01', '2026-01-10', 'between November 2025 and January 2026', false],
    ['2026-01-10', 'past 3 months', '2025-10-11', '2026-01-10', 'in the last 3 months (Oct 11, 2025 – Jan 10, 2026)', false],
    ['2026-01-10', 'q3', '2025-07-01', '2025-09-30', 'in Q3 2025', false],
    ['2026-01-10', 'h2', '2025-07-01', '2025-12-31', 'in the second half of 2025', false],
    ['2026-01-10', 'first half', '2026-01-01', '2026-01-10', 'in the first half of 2026', false],
    // Friday Jan 2: this week began last year
    ['2026-01-02', 'this week', '2025-12-29', '2026-01-02', 'this week (Dec 29, 2025 – Jan 2, 2026)', false],
    ['2026-01-02', 'yesterday', '2026-01-01', '2026-01-01', 'yesterday (Jan 1, 2026)', true],
    ['2026-01-02', 'the last 30 days', '2025-12-04', '2026-01-02', 'in the last 30 days (Dec 4, 2025 – Jan 2, 2026)', false],
    ['2026-01-02', 'Jan 3', '2025-01-03', '2025-01-03', 'on Jan 3, 2025', true],
  ])('on %s, %j is %s to %s, %j', (today, text, from, to, label, day) => {
    expect(read(text, today)).toStrictEqual(period(from, to, label, day));
  });
});

describe('periods refused, each saying why', () => {
  const forms = `The period must be ${PERIOD_FORMS}`;
  it.each([
    // still to come
    ['2027', '2027 has not come yet (today is Dec 6, 2026); pick a period up to today.'],
    ['since 2027-01-01', 'Jan 1, 2027 has not come yet (today is Dec 6, 2026); pick a period up to today.'],
    ['January 2027', 'January 2027 has not come yet (today is Dec 6, 2026); pick a period up to today.'],
    ['q1 2027', 'Q1 2027 has not come yet (today is Dec 6, 2026); pick a period up to today.'],
    ['2026-12-07', 'Dec 7, 2026 has not come yet (today is Dec 6, 2026); pick a period up to today.'],
    [
      'between Dec 7 2026 and Dec 31 2026',
      'Dec 7, 2026 – Dec 31, 2026 has not come yet (today is Dec 6, 2026); pick a period up to today.',
    ],
    // before the first round
    ['2014', 'Express Entry draws began on Jan 31, 2015, after 2014; pick a period since then.'],
    ['June 2014', 'Express Entry draws began on Jan 31, 2015, after June 2014; pick a period since then.'],
    ['Jan 30 2015', 'Express Entry draws began on Jan 31, 2015, after Jan 30, 2015; pick a period since then.'],
    [
      'between 2014-01-01 and 2015-01-30',
      'Express Entry draws began on Jan 31, 2015, after Jan 1, 2014 – Jan 30, 2015; pick a period since then.',
    ],
    // back to front
    ['between 2026-06-30 and 2026-05-01', 'That period ends (May 1, 2026) before it starts (Jun 30, 2026); put the earlier date first.'],
    ['from June 2026 to May 2026', 'That period ends (May 2026) before it starts (June 2026); put the earlier date first.'],
    ['between 2026 and 2025', 'That period ends (2025) before it starts (2026); put the earlier date first.'],
    // no real date
    ['2026-02-30', 'The period 2026-02-30 is not a real date: February 2026 has 28 days'],
    ['Feb 30 2026', 'The period feb 30 2026 is not a real date: February 2026 has 28 days'],
    ['2026-13-01', 'The period 2026-13-01 is not a real date: there is no month 13'],
    ['Feb 30', 'February 2026 has 28 days; pick a day that exists, e.g. Feb 1 2026.'],
    ['01/02/2026', 'The period 01/02/2026 could be Jan 2 or Feb 1, 2026; write it as 2026-01-02 or 2026-02-01'],
    // not a period
    ['whenever', forms],
    ['last draw', forms],
    ['5', forms],
    ['', forms],
    ['next month', forms],
    ['last 0 days', forms],
    ['2026-13', forms],
    ['h3 2026', forms],
  ])('%j: %s', (text, message) => {
    expect(() => read(text, SUNDAY)).toThrow(new UserError(message));
  });

  it('names the option it reads in its message', () => {
    expect(() => parsePeriod('whenever', 'The since date')).toThrow(new UserError(`The since date must be ${PERIOD_FORMS}`));
    expect(() => parsePeriod('2026-02-30', 'The since date')).toThrow(
      new UserError('The since date 2026-02-30 is not a real date: February 2026 has 28 days'),
    );
  });
});

describe('periodWordsAt: how many words from a position make one period', () => {
  it.each<[words: string[], start: number, count: number]>([
    [['cec', 'since', 'july', '2026', '5'], 1, 3],
    [['last', '5'], 0, 0],
    [['in', 'july'], 0, 2],
    [['the', 'last', '30', 'days'], 0, 4],
    [['cec', '20', 'last', 'month'], 2, 2],
    [['cec', '20', 'last', 'month'], 1, 0],
    [['last', 'month', 'cec'], 0, 2],
    [['between', 'may', '1', 'and', 'june', '30', 'cec'], 0, 6],
    [['may', '1', 'to', 'june', '30'], 0, 5],
    [['from', '2025-11-01', 'to', '2026-01-31'], 0, 4],
    [['first', 'half', 'of', '2026', 'cec'], 0, 4],
    [['Jul', '21,', '2026'], 0, 3],
    [['July,'], 0, 1],
    [['q3', '2025'], 0, 2],
    [['2026', 'q1'], 0, 2],
    [['today'], 0, 1],
    // a date that is none is still a period's words: its option says why
    [['2026-02-30'], 0, 1],
    [['feb', '30', '2026'], 0, 3],
    [['5'], 0, 0],
    [['cec'], 0, 0],
    [['since'], 0, 0],
    [['whenever'], 0, 0],
    [['the'], 0, 0],
  ])('%j from %i: %i', (words, start, count) => {
    expect(periodWordsAt(words, start)).toBe(count);
  });
});
