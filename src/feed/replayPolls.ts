/** One observation of the feed, as ../shared/ircc/feed-history.tsv records them. */
export interface FeedObservation {
  at: number;
  /** The newest round the feed listed; null when the body held none (a lone newline). */
  newestRound: string | null;
}

/** A version of the feed: the first time a new newest round was observed. */
export interface FeedVersion {
  round: string;
  appearedAt: number;
}

export interface ReplayResult {
  /** Versions the replay had to detect. */
  versions: number;
  /** For each version, from its appearance to the first poll that saw it. */
  delaysMs: number[];
  medianDelayMs: number;
  worstDelayMs: number;
  /** Polls made from the span's start to its end, both included. */
  requests: number;
  requestsPerDay: number;
}

const DAY_MS = 86_400_000;

/**
 * Reads the history's TSV (`observed_at`, `rounds_in_feed`, `newest_round`, `note`; a header first),
 * oldest first. A time that is not ISO 8601 with its offset makes the whole file unreadable.
 */
export function parseFeedHistory(tsv: string): FeedObservation[] {
  const [header, ...rows] = tsv.split('\n').filter((line) => line.trim() !== '');
  const columns = (header ?? '').split('\t');
  const atColumn = columns.indexOf('observed_at');
  const roundColumn = columns.indexOf('newest_round');
  if (atColumn < 0 || roundColumn < 0) throw new Error('the feed history has no observed_at or newest_round column');
  const observations = rows.map((row, i) => {
    const cells = row.split('\t');
    const text = cells[atColumn]?.trim() ?? '';
    const at = Date.parse(text);
    if (!text.includes('T') || Number.isNaN(at)) throw new Error(`feed history row ${i + 2}: unreadable observed_at`);
    const round = cells[roundColumn]?.trim() ?? '';
    return { at, newestRound: round === '' ? null : round };
  });
  return observations.sort((a, b) => a.at - b.at);
}

/**
 * The versions to detect: each newest round the first time it is observed. The first round observed
 * is what a bot started at the history's beginning already holds, so it is no version to detect;
 * an observation without rounds (a broken body) brings none.
 */
export function feedVersions(observations: readonly FeedObservation[]): FeedVersion[] {
  const seen = new Set<string>();
  const versions: FeedVersion[] = [];
  for (const { at, newestRound } of observations) {
    if (newestRound === null || seen.has(newestRound)) continue;
    if (seen.size > 0) versions.push({ round: newestRound, appearedAt: at });
    seen.add(newestRound);
  }
  return versions;
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Replays a poller over [start, end]: it polls at `start`, then sleeps `nextDelayMs(t)` after each
 * poll at `t` (a poll takes no time here). A poll at `t` sees every version that appeared at or
 * before `t`; a version is detected by the first such poll, and polling goes on past `end` until
 * the last version is. Requests per day count the polls within the span.
 */
export function replayPolls(
  appearances: readonly number[],
  span: { start: number; end: number },
  nextDelayMs: (t: number) => number,
): ReplayResult {
  if (!(span.end > span.start)) throw new Error('the span must end after it starts');
  const pending = [...appearances].sort((a, b) => a - b);
  const delaysMs: number[] = [];
  let requests = 0;
  let next = 0;
  for (let t = span.start; ; ) {
    if (t <= span.end) requests++;
    while (next < pending.length && pending[next]! <= t) delaysMs.push(t - pending[next++]!);
    if (t >= span.end && next === pending.length) break;
    const delay = nextDelayMs(t);
    if (!(delay > 0)) throw new Error(`the schedule gave a delay of ${delay} ms at ${new Date(t).toISOString()}`);
    t += delay;
  }
  const sorted = [...delaysMs].sort((a, b) => a - b);
  return {
    versions: pending.length,
    delaysMs,
    medianDelayMs: median(sorted),
    worstDelayMs: sorted.at(-1) ?? 0,
    requests,
    requestsPerDay: requests / ((span.end - span.start) / DAY_MS),
  };
}
