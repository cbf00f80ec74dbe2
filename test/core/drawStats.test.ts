import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { drawStats } from '../../src/core/drawStats.js';
import { smallWorld } from '../fixtures/draws.js';

const now = DateTime.fromISO('2026-02-11T12:00:00Z');

describe('drawStats', () => {
  it('sums a category over a period', () => {
    expect(drawStats(smallWorld(), { category: 'healthcare', from: '2025-01-01', to: '2025-12-31' }, now)).toEqual({
      draws: 2,
      invitations: 5500,
      minCrs: 462,
      medianCrs: 471,
      maxCrs: 480,
      averageDaysBetween: 92,
      daysSinceLast: 10,
      lastDate: '2026-02-01',
    });
  });

  it('takes the middle score as the median of an odd count', () => {
    expect(drawStats(smallWorld(), { category: 'healthcare' }, now).medianCrs).toBe(470);
  });

  it('reports an empty period without inventing figures', () => {
    expect(drawStats(smallWorld(), { category: 'stem' }, now)).toMatchObject({
      draws: 0,
      minCrs: null,
      medianCrs: null,
      averageDaysBetween: null,
      daysSinceLast: null,
    });
  });

  it('counts days since the last draw on the Ottawa calendar (the clock is injected)', () => {
    const lateEvening = DateTime.fromISO('2026-02-02T03:00:00Z'); // Feb 1, 22:00 in Ottawa
    expect(drawStats(smallWorld(), { category: 'healthcare' }, lateEvening).daysSinceLast).toBe(0);
  });
});
