import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../src/feed/pollSchedule.js';
import { feedVersions, parseFeedHistory, replayPolls } from '../../src/feed/replayPolls.js';
import { HAS_SHARED_IRCC, SHARED_IRCC, SKIP_REASON } from '../fixtures/sharedIrcc.js';

/** A day of history: Monday 2026-11-30 00:00 to Tuesday 00:00 UTC, shaped as feed-history.tsv. */
const HISTORY = [
  'observed_at\trounds_in_feed\tnewest_round\tnote',
  '2026-11-30T00:00:00+00:00\t0\t\tfeed body was a single newline (not JSON)',
  '2026-11-30T00:00:30+00:00\t100\t100\t', // what the bot holds at start: no version to detect
  '2026-11-30T10:00:30+00:00\t101\t101\t', // in draw hours
  '2026-11-30T14:00:30+00:00\t101\t101\t', // the same version again
  '2026-11-30T18:05:00-05:00\t102\t102\t', // 23:05 UTC, off hours
  '2026-12-01T00:00:00+00:00\t102\t102\t',
  '',
].join('\n');

const MINUTE = 60_000;

describe('parseFeedHistory and feedVersions', () => {
  it('reads the observations and keeps each new newest round the first time it is seen', () => {
    const observations = parseFeedHistory(HISTORY);
    expect(observations).toHaveLength(6);
    expect(observations[0]).toEqual({ at: Date.parse('2026-11-30T00:00:00Z'), newestRound: null });
    expect(feedVersions(observations)).toEqual([
      { round: '101', appearedAt: Date.parse('2026-11-30T10:00:30Z') },
      { round: '102', appearedAt: Date.parse('2026-11-30T23:05:00Z') },
    ]);
  });

  it('refuses a time without its date and offset', () => {
    expect(() => parseFeedHistory('observed_at\tnewest_round\nyesterday\t3\n')).toThrow(/row 2: unreadable observed_at/);
    expect(() => parseFeedHistory('when\tround\n')).toThrow(/no observed_at or newest_round column/);
  });
});

describe('replayPolls', () => {
  const observations = parseFeedHistory(HISTORY);
  const appearances = feedVersions(observations).map((v) => v.appearedAt);
  const span = { start: observations[0]!.at, end: observations.at(-1)!.at };

  it('adaptive: a version in draw hours within the minute, one at night within ten', () => {
    const result = replayPolls(appearances, span, (t) => nextPollDelay(t));
    // 101 at 10:00:30 seen at 10:01; 102 at 23:05 seen at 23:10.
    expect(result.delaysMs).toEqual([30_000, 5 * MINUTE]);
    expect(result).toMatchObject({ versions: 2, medianDelayMs: 165_000, worstDelayMs: 5 * MINUTE });
    // 60 polls 00:00–09:50, 720 polls 10:00–21:59, 12 polls 22:00–23:50, and 00:00 at the end.
    expect(result.requests).toBe(793);
    expect(result.requestsPerDay).toBe(793);
  });

  it('flat 5 minutes: the same day', () => {
    const result = replayPolls(appearances, span, () => 5 * MINUTE);
    // 101 at 10:00:30 seen at 10:05; 102 at 23:05 seen by the 23:05 poll itself.
    expect(result.delaysMs).toEqual([270_000, 0]);
    expect(result).toMatchObject({ versions: 2, medianDelayMs: 135_000, worstDelayMs: 270_000, requests: 289 });
  });

  it('sees two versions between polls at once, and polls past the end for one that comes last', () => {
    const result = replayPolls([950, 100, 120], { start: 0, end: 1_000 }, () => 300);
    expect(result.delaysMs).toEqual([200, 180, 250]); // 100 and 120 at 300; 950 at 1,200
    expect(result.requests).toBe(4); // 0, 300, 600, 900: 1,200 is past the span
    expect(result.medianDelayMs).toBe(200);
  });

  it('refuses a schedule that would not advance', () => {
    expect(() => replayPolls([10], { start: 0, end: 100 }, () => 0)).toThrow(/delay of 0 ms/);
  });
});

describe.skipIf(!HAS_SHARED_IRCC)(`the real feed history (${HAS_SHARED_IRCC ? 'present' : SKIP_REASON})`, () => {
  it('holds 78 versions after the first one observed (#355), the empty body skipped', () => {
    const observations = parseFeedHistory(readFileSync(`${SHARED_IRCC}feed-history.tsv`, 'utf8'));
    expect(observations).toHaveLength(80);
    const versions = feedVersions(observations);
    expect(versions).toHaveLength(78);
    expect([versions[0]!.round, versions.at(-1)!.round]).toEqual(['357', '434']);
  });
});
