import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { daysBetween, today } from '../../src/core/today.js';

describe('today', () => {
  it.each([
    ['2026-03-08T04:59:59Z', '2026-03-07'], // 23:59:59 EST
    ['2026-03-08T05:00:00Z', '2026-03-08'],
    ['2026-03-09T03:59:59Z', '2026-03-08'], // 23:59:59 EDT, after the spring change
    ['2026-03-09T04:00:00Z', '2026-03-09'],
    ['2026-11-01T03:59:59Z', '2026-10-31'], // EDT
    ['2026-11-02T04:59:59Z', '2026-11-01'], // EST, after the autumn change
  ])('%s is %s in Ottawa', (instant, date) => {
    expect(today(DateTime.fromISO(instant))).toBe(date);
  });
});

describe('daysBetween', () => {
  it('counts calendar days, across DST changes and leap days', () => {
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-06-25', '2026-06-25')).toBe(0);
    expect(daysBetween('2026-06-26', '2026-06-25')).toBe(-1);
  });
});
