import { describe, expect, it } from 'vitest';
import { agoText, type PeriodSpec, resolvePeriod, spanText } from '../../src/core/period.js';
import { UserError } from '../../src/domain/userError.js';

describe('resolvePeriod', () => {
  it.each<[spec: PeriodSpec, today: string, from: string, to: string, label: string]>([
    // a month or day without its year: the latest one that has begun by today
    [{ kind: 'point', point: { unit: 'month', month: 3 } }, '2026-03-01', '2026-03-01', '2026-03-01', 'in March 2026'],
    [{ kind: 'point', point: { unit: 'month', month: 3 } }, '2026-02-28', '2025-03-01', '2025-03-31', 'in March 2025'],
    [{ kind: 'since', point: { unit: 'day', month: 12, day: 31 } }, '2026-01-02', '2025-12-31', '2026-01-02', 'since Dec 31, 2025'],
    // "last month" from a long month into a short one, and across a leap year
    [{ kind: 'previous', unit: 'month' }, '2026-03-31', '2026-02-01', '2026-02-28', 'last month (February 2026)'],
    [{ kind: 'previous', unit: 'month' }, '2024-03-31', '2024-02-01', '2024-02-29', 'last month (February 2024)'],
    // "the last month": the same day a month back, the next day on
    [{ kind: 'recent', count: 1, unit: 'month' }, '2026-03-31', '2026-03-01', '2026-03-31', 'in the last month (Mar 1 – Mar 31, 2026)'],
    [{ kind: 'recent', count: 1, unit: 'day' }, '2026-03-31', '2026-03-31', '2026-03-31', 'in the last day (Mar 31, 2026)'],
    // a week starts on Monday; on a Monday "this week" is that day
    [{ kind: 'current', unit: 'week' }, '2026-11-30', '2026-11-30', '2026-11-30', 'this week (Nov 30, 2026)'],
    [{ kind: 'previous', unit: 'week' }, '2026-11-30', '2026-11-23', '2026-11-29', 'last week (Nov 23 – Nov 29, 2026)'],
    // a period running past today ends today; one reaching back before the first round is kept whole
    [{ kind: 'part', part: 'Q4', year: 2026 }, '2026-11-25', '2026-10-01', '2026-11-25', 'in Q4 2026'],
    [{ kind: 'point', point: { unit: 'month', year: 2015, month: 1 } }, '2026-11-25', '2015-01-01', '2015-01-31', 'in January 2015'],
    [{ kind: 'since', point: { unit: 'year', year: 2014 } }, '2026-11-25', '2014-01-01', '2026-11-25', 'since 2014'],
  ])('%j on %s: %s to %s, %j', (spec, today, from, to, label) => {
    const period = resolvePeriod(spec, today);
    expect({ from: period.from, to: period.to, label: period.label }).toEqual({ from, to, label });
  });

  it('marks one-day periods, and only those', () => {
    expect(resolvePeriod({ kind: 'today' }, '2026-11-25').day).toBe(true);
    expect(resolvePeriod({ kind: 'point', point: { unit: 'day', year: 2026, month: 7, day: 21 } }, '2026-11-25').day).toBe(true);
    expect(resolvePeriod({ kind: 'recent', count: 1, unit: 'day' }, '2026-11-25').day).toBeUndefined();
    expect(resolvePeriod({ kind: 'point', point: { unit: 'month', month: 7 } }, '2026-11-25')).toStrictEqual({
      from: '2026-07-01',
      to: '2026-07-31',
      label: 'in July 2026',
    });
  });

  it.each<[spec: PeriodSpec, message: string]>([
    [
      { kind: 'part', part: 'second half', year: 2027 },
      'The second half of 2027 has not come yet (today is Nov 25, 2026); pick a period up to today.',
    ],
    [
      { kind: 'since', point: { unit: 'day', year: 2026, month: 11, day: 26 } },
      'Nov 26, 2026 has not come yet (today is Nov 25, 2026); pick a period up to today.',
    ],
    [
      { kind: 'point', point: { unit: 'day', year: 2015, month: 1, day: 30 } },
      'Express Entry draws began on Jan 31, 2015, after Jan 30, 2015; pick a period since then.',
    ],
    [{ kind: 'point', point: { unit: 'day', month: 2, day: 29 } }, 'February 2026 has 28 days; pick a day that exists, e.g. Feb 1 2026.'],
    [
      { kind: 'between', from: { unit: 'year', year: 2026 }, to: { unit: 'month', year: 2025, month: 12 } },
      'That period ends (December 2025) before it starts (2026); put the earlier date first.',
    ],
  ])('refuses %j', (spec, message) => {
    expect(() => resolvePeriod(spec, '2026-11-25')).toThrow(new UserError(message));
  });

  it('keeps the first round’s day and refuses the day before', () => {
    expect(resolvePeriod({ kind: 'point', point: { unit: 'day', year: 2015, month: 1, day: 31 } }, '2026-11-25').from).toBe('2015-01-31');
    expect(() => resolvePeriod({ kind: 'point', point: { unit: 'year', year: 2014 } }, '2026-11-25')).toThrow(UserError);
  });
});

describe('spanText', () => {
  it.each([
    ['2026-11-30', '2026-12-06', 'Nov 30 – Dec 6, 2026'],
    ['2025-12-28', '2026-01-03', 'Dec 28, 2025 – Jan 3, 2026'],
    ['2026-07-21', '2026-07-21', 'Jul 21, 2026'],
    ['2026-07-01', '2026-07-31', 'Jul 1 – Jul 31, 2026'],
  ])('%s to %s: %s', (from, to, text) => {
    expect(spanText(from, to)).toBe(text);
  });
});

describe('agoText', () => {
  it.each([
    ['2026-11-25', 'today'],
    ['2026-11-24', 'yesterday'],
    ['2026-08-07', '110 days ago'],
    ['2025-11-25', '365 days ago'],
  ])('%s, seen on Nov 25, 2026: %s', (date, text) => {
    expect(agoText(date, '2026-11-25')).toBe(text);
  });
});
