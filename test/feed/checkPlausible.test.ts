import { describe, expect, it } from 'vitest';
import { assertPlausible, checkPlausible, ottawaToday } from '../../src/feed/checkPlausible.js';
import { FeedError } from '../../src/feed/feedError.js';
import { makeDraw } from '../fixtures/draws.js';

const held = [makeDraw({ round: '434', date: '2026-08-07' }), makeDraw({ round: '433', date: '2026-08-01' })];
const today = '2026-08-07';

describe('checkPlausible', () => {
  it('passes rounds like IRCC publishes them, "91a" included', () => {
    const draws = [makeDraw({ round: '435', date: '2026-08-07' }), ...held, makeDraw({ round: '91a', date: '2019-01-09' })];
    expect(checkPlausible(draws, { today, held })).toEqual([]);
  });

  it('refuses round 99999 dated 2099-12-31: a number unlike IRCC and a date after today', () => {
    const reasons = checkPlausible([makeDraw({ round: '99999', date: '2099-12-31' }), ...held], { today, held });
    expect(reasons[0]).toBe('round "99999" is not numbered like IRCC\'s rounds (at most 4 digits)');
    expect(reasons[1]).toBe('round "99999" is dated 2099-12-31, after today (2026-08-07 in Ottawa)');
  });

  it('takes today as the day in Ottawa', () => {
    // 03:00 UTC on 2 December is still 1 December in Ottawa.
    expect(ottawaToday(new Date('2026-12-02T03:00:00Z'))).toBe('2026-12-01');
    const draws = [makeDraw({ round: '436', date: '2026-12-02' })];
    expect(checkPlausible(draws, { today: ottawaToday(new Date('2026-12-02T03:00:00Z')) })).toHaveLength(1);
    expect(checkPlausible(draws, { today: ottawaToday(new Date('2026-12-02T05:00:00Z')) })).toEqual([]);
  });

  it.each([
    ['CRS 1300', { crs: 1300 }, /cut-off of 1300/],
    ['CRS -1', { crs: -1 }, /cut-off of -1/],
    ['0 invitations', { invitations: 0 }, /has 0 invitations/],
    ['100,001 invitations', { invitations: 100_001 }, /has 100001 invitations/],
    ['a name of 10 KB', { name: 'x'.repeat(10 * 1024) }, /has a name of 10240 characters \(at most 4096\)/],
    ['programs of 6 KB together', { programs: ['x'.repeat(3000), 'y'.repeat(3000)] }, /has a programs of 6000 characters/],
  ])('refuses values out of range: %s', (_, override, reason) => {
    const reasons = checkPlausible([makeDraw({ round: '435', date: '2026-08-07', ...override }), ...held], { today, held });
    expect(reasons).toEqual([expect.stringMatching(reason)]);
  });

  it('limits the new rounds one sync adds: 5, plus one per day since the newest held round', () => {
    const fresh = (n: number) => Array.from({ length: n }, (_, i) => makeDraw({ round: String(435 + i), date: today }));
    expect(checkPlausible([...fresh(5), ...held], { today, held })).toEqual([]);
    expect(checkPlausible([...fresh(6), ...held], { today, held })).toEqual([
      expect.stringMatching(/^the feed adds 6 rounds at once \("435", "436", "437", "438", "439", …\); at most 5 are plausible 0 day/),
      'round "440" is numbered far beyond the newest round held (434); IRCC numbers its rounds one by one',
    ]);
    // A bot off for 30 days catches up on IRCC's 30 days.
    expect(checkPlausible([...fresh(35), ...held], { today: '2026-09-06', held })).toEqual([]);
    // `npm run sync -- --allow-many`, and a first import into an empty file, take any number.
    expect(checkPlausible([...fresh(500), ...held], { today, held, allowMany: true })).toEqual([]);
    expect(checkPlausible(fresh(500), { today })).toEqual([]);
  });

  it('refuses a new round numbered far beyond the newest held (IRCC numbers them one by one)', () => {
    expect(checkPlausible([makeDraw({ round: '9000', date: today }), ...held], { today, held })).toEqual([
      'round "9000" is numbered far beyond the newest round held (434); IRCC numbers its rounds one by one',
    ]);
    expect(checkPlausible([makeDraw({ round: '439', date: today }), ...held], { today, held })).toEqual([]);
  });

  it('refuses 5,000 invented rounds, and stops listing reasons at the limit', () => {
    const invented = Array.from({ length: 5000 }, (_, i) => makeDraw({ round: String(1000 + i), date: '2026-08-01' }));
    const reasons = checkPlausible([...invented, ...held], { today, held });
    expect(reasons[0]).toMatch(/^the feed adds 5000 rounds at once/);
    expect(reasons).toHaveLength(10);
  });

  it('assertPlausible throws a FeedError naming the first problem', () => {
    const draws = [makeDraw({ round: '99999', date: '2099-12-31' }), ...held];
    expect(() => assertPlausible(draws, { today, held })).toThrow(FeedError);
    expect(() => assertPlausible(draws, { today, held })).toThrow(
      'implausible feed: round "99999" is not numbered like IRCC\'s rounds (at most 4 digits) (and 2 more)',
    );
    expect(() => assertPlausible(held, { today, held })).not.toThrow();
  });
});
