import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../src/feed/parseFeed.js';
import { nextPollDelay } from '../src/feed/pollSchedule.js';
import { type FeedVersion, feedVersions, parseFeedHistory, type ReplayResult, replayPolls } from '../src/feed/replayPolls.js';

/**
 * Detection delay of the live sync, replayed over the real feed history (../shared/ircc/, not part of
 * a user's clone): the adaptive schedule (a minute in draw hours, ten minutes otherwise) beside a
 * flat 5-minute poll, both starting at the history's first observation. A version appears when a
 * new newest round is first observed; a poll sees every version that appeared at or before it.
 * The history is a tracker's saves, about once a day near 23:00 UTC, so it says when a version was
 * there at the latest, not when IRCC published it. A second replay puts each of those versions at
 * the time its round ran (`drawDateTime` in the 2026-08-07 feed): the earliest the feed could carry it.
 */
const SHARED = fileURLToPath(new URL('../../shared/ircc/', import.meta.url));
const HISTORY = `${SHARED}feed-history.tsv`;
const SNAPSHOT = `${SHARED}ee_rounds_123_en.2026-08-07.json`;

const SCHEDULES: ReadonlyArray<readonly [name: string, delay: (t: number) => number]> = [
  ['adaptive (60 s weekdays 10–22 UTC, else 600 s)', (t) => nextPollDelay(t)],
  ['flat 5 minutes (POLL_INTERVAL=5m)', (t) => nextPollDelay(t, { intervalMs: 300_000 })],
];

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function rows(title: string, appearances: number[], span: { start: number; end: number }): string[] {
  return SCHEDULES.map(([name, delay]) => {
    const r: ReplayResult = replayPolls(appearances, span, delay);
    return `| ${title} | ${name} | ${r.versions} | ${duration(r.medianDelayMs)} | ${duration(r.worstDelayMs)} | ${r.requestsPerDay.toFixed(0)} |`;
  });
}

export default async function benchPollingReplay(): Promise<string[]> {
  if (!existsSync(HISTORY)) return [`skipped: the feed history is not at ${HISTORY} (it is not part of a user's clone)`];
  const observations = parseFeedHistory(readFileSync(HISTORY, 'utf8'));
  const versions: FeedVersion[] = feedVersions(observations);
  const span = { start: observations[0]!.at, end: observations.at(-1)!.at };
  const days = (span.end - span.start) / 86_400_000;
  const lines = [
    `${observations.length} observations from ${new Date(span.start).toISOString()} to ${new Date(span.end).toISOString()} (${days.toFixed(1)} days); ` +
      `the first round observed (#${observations.find((o) => o.newestRound)?.newestRound}) is held at start, the empty body brings none.`,
    '',
    '| versions appear | poller | versions | median delay | worst delay | requests / day |',
    '|---|---|---|---|---|---|',
    ...rows(
      "when the history's tracker first saw them",
      versions.map((v) => v.appearedAt),
      span,
    ),
  ];
  if (existsSync(SNAPSHOT)) {
    const ranAt = new Map(parseFeed(readFileSync(SNAPSHOT, 'utf8')).draws.map((d) => [d.round, d.drawnAt]));
    const times = versions.flatMap((v) => {
      const at = ranAt.get(v.round);
      return at ? [Date.parse(at)] : [];
    });
    lines.push(...rows('when their round ran (drawDateTime)', times, span));
  }
  return lines;
}
