import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextDraw } from '../../src/core/nextDraw.js';
import { categoryRuns } from '../fixtures/categoryRuns.js';
import { makeDraw, makeIndex } from '../fixtures/draws.js';

// 12:00 UTC is 07:00 in Ottawa: still Mar 1 there.
const NOW = DateTime.fromISO('2026-03-01T12:00:00Z');

/**
 * Nine draw days: CEC every 14 days on Tuesdays (10:05 UTC), PNP on two Mondays (11:30 UTC),
 * healthcare twice (once the same day as CEC, with no published time), French exactly a year ago
 * (09:00 UTC), STEM longer ago than that.
 */
const world = () =>
  makeIndex([
    makeDraw({ round: '9', date: '2026-02-10', drawnAt: '2026-02-10T10:05:00Z' }),
    makeDraw({ round: '8', date: '2026-02-10', category: 'healthcare', drawnAt: null }),
    makeDraw({ round: '7', date: '2026-02-09', category: 'pnp', drawnAt: '2026-02-09T11:30:00Z' }),
    makeDraw({ round: '6', date: '2026-01-27', drawnAt: '2026-01-27T10:05:00Z' }),
    makeDraw({ round: '5', date: '2026-01-13', drawnAt: '2026-01-13T10:05:00Z' }),
    makeDraw({ round: '4', date: '2026-01-12', category: 'pnp', drawnAt: '2026-01-12T11:30:00Z' }),
    makeDraw({ round: '3', date: '2025-12-30', drawnAt: '2025-12-30T10:05:00Z' }),
    makeDraw({ round: '2', date: '2025-06-01', category: 'healthcare' }),
    makeDraw({ round: '1', date: '2025-03-01', category: 'french', drawnAt: '2025-03-01T09:00:00Z' }),
    makeDraw({ round: '0', date: '2024-06-01', category: 'stem' }),
  ]);

describe('nextDraw', () => {
  it('days since the latest draw, and the median gap between draw weeks (Monday to Sunday; a week with several draws counts once)', () => {
    const facts = nextDraw(world(), NOW)!;
    expect(facts.latest.round).toBe('9');
    expect(facts.daysSinceLatest).toBe(19);
    // Weeks from Feb 9, Jan 26, Jan 12, Dec 29, May 26 (Sun Jun 1), Feb 24 (Sat Mar 1), 2024-05-27:
    // gaps 14, 14, 14, 217, 91, 273 → sorted 14 14 14 91 217 273 → (14 + 91) / 2.
    expect(facts).toMatchObject({ gapBetween: 'weeks', gaps: 6, usualGap: 52.5, longerThanUsual: false });
  });

  it('categories drawn on consecutive days every two weeks: draw weeks 14 days apart, not 1; each category 14 days', () => {
    const facts = nextDraw(categoryRuns(), NOW)!;
    expect(facts).toMatchObject({ gapBetween: 'weeks', usualGap: 14, gaps: 7, daysSinceLatest: 10, longerThanUsual: false });
    expect(facts.lanes.map((l) => [l.category, l.usualGap, l.gaps])).toEqual([
      ['healthcare', 14, 7],
      ['french', 14, 7],
      ['cec', 14, 7],
    ]);
    expect(nextDraw(categoryRuns(), NOW, 'french')).toMatchObject({ gapBetween: 'days', usualGap: 14, gaps: 7 });
  });

  it('longer than the usual gap between draw weeks only once the whole usual week has gone by', () => {
    // Draw weeks from Mon Jan 26 and Mon Feb 9, the latest draw on Thu Feb 12: the next week of the same rhythm is Feb 23-Mar 1.
    const index = makeIndex([
      makeDraw({ round: '3', date: '2026-02-12' }),
      makeDraw({ round: '2', date: '2026-02-09', category: 'pnp' }),
      makeDraw({ round: '1', date: '2026-01-26' }),
    ]);
    const at = (iso: string) => nextDraw(index, DateTime.fromISO(iso))!;
    // Sun Mar 1 in Ottawa (17 days after the latest draw) is still in that week; Mon Mar 2 is not.
    expect(at('2026-03-01T20:00:00Z')).toMatchObject({ usualGap: 14, daysSinceLatest: 17, longerThanUsual: false });
    expect(at('2026-03-02T20:00:00Z')).toMatchObject({ daysSinceLatest: 18, longerThanUsual: true });
    // 01:00 UTC on Mar 2 is still Sunday evening in Ottawa.
    expect(at('2026-03-02T01:00:00Z').longerThanUsual).toBe(false);
  });

  it('lists the categories drawn in the last 12 months, most recent first, with their own usual gap', () => {
    expect(nextDraw(world(), NOW)!.lanes).toEqual([
      { category: 'cec', lastDate: '2026-02-10', daysSince: 19, usualGap: 14, gaps: 3 },
      { category: 'healthcare', lastDate: '2026-02-10', daysSince: 19, usualGap: 254, gaps: 1 },
      { category: 'pnp', lastDate: '2026-02-09', daysSince: 20, usualGap: 28, gaps: 1 },
      // Exactly a year ago still counts; STEM (2024) does not.
      { category: 'french', lastDate: '2025-03-01', daysSince: 365, usualGap: null, gaps: 0 },
    ]);
  });

  it('counts weekdays of draw days, most frequent first, ties in week order', () => {
    expect(nextDraw(world(), NOW)!.weekdays).toEqual([
      { day: 'Tue', count: 4 },
      { day: 'Mon', count: 2 },
      { day: 'Sat', count: 2 },
      { day: 'Sun', count: 1 },
    ]);
  });

  it('counts UTC hours of rounds with a published time, and the narrowest run holding 75% of them', () => {
    const facts = nextDraw(world(), NOW)!;
    expect(facts.hours).toEqual([
      { hour: 9, count: 1 },
      { hour: 10, count: 4 },
      { hour: 11, count: 2 },
      { hour: 15, count: 2 },
    ]);
    expect(facts.mostly).toEqual({ from: 9, to: 11, count: 7, of: 9 });
  });

  it('in one category: its own figures and no lanes', () => {
    const facts = nextDraw(world(), NOW, 'pnp')!;
    expect(facts).toMatchObject({ daysSinceLatest: 20, gapBetween: 'days', usualGap: 28, gaps: 1, lanes: [], days: 2 });
    expect(facts.weekdays).toEqual([{ day: 'Mon', count: 2 }]);
    expect(facts.mostly).toEqual({ from: 11, to: 11, count: 2, of: 2 });
  });

  it('a category with no draw has no pattern; one without published times has no hours', () => {
    expect(nextDraw(world(), NOW, 'trades')).toBeUndefined();
    const stem = nextDraw(world(), NOW, 'stem')!;
    expect(stem.usualGap).toBeNull();
    expect(stem.daysSinceLatest).toBe(638);
    const untimed = makeIndex([makeDraw({ round: '1', date: '2026-01-01', drawnAt: null })]);
    expect(nextDraw(untimed, NOW)!.mostly).toBeNull();
  });

  it('takes the usual gap from the last 10 gaps only, and weekdays from the last 20 draw days only', () => {
    // Newest first: 5 gaps of 7 days, 5 of 30, then 14 of 1 day (which would pull the median to 1).
    const dates: string[] = [];
    let day = DateTime.fromISO('2026-02-20', { zone: 'utc' });
    for (const gap of [...new Array(5).fill(7), ...new Array(5).fill(30), ...new Array(14).fill(1)]) {
      dates.push(day.toISODate()!);
      day = day.minus({ days: gap });
    }
    dates.push(day.toISODate()!);
    const index = makeIndex(dates.map((date, i) => makeDraw({ round: String(100 - i), date })));
    const cec = nextDraw(index, NOW, 'cec')!;
    expect(cec.gaps).toBe(10);
    expect(cec.usualGap).toBe(18.5);
    expect(cec.days).toBe(20);
    expect(cec.weekdays.reduce((sum, w) => sum + w.count, 0)).toBe(20);
    expect(cec.mostly?.of).toBe(20);
    // Over all draws the same dates make 13 draw weeks; the last 10 gaps between them are 7 (×5), 28 (×4) and 35.
    expect(nextDraw(index, NOW)).toMatchObject({ gapBetween: 'weeks', gaps: 10, usualGap: 17.5, days: 20 });
  });
});
