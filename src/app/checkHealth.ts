import type { PlatformHealth } from '../commands/platformModule.js';
import type { SyncStatus } from '../feed/feedPoller.js';
import type { RoleStatus } from './leadership.js';

export type { PlatformHealth };

export interface HealthInput {
  /** Every platform the config starts; `health` undefined while it has not started (yet). */
  platforms: ReadonlyArray<{ name: string; health?: () => PlatformHealth }>;
  /** The live sync, when it runs; `startedAt` is when it started (ms since the epoch). */
  feed?: { status: SyncStatus; intervalMs: number; startedAt: number };
  /** ms since the epoch. */
  now: number;
  /** This instance's role among the instances on the store. */
  role?: RoleStatus;
  /** How long the instances may be without a leader before it counts as unhealthy (ms). */
  leaderlessMs?: number;
}

/** The body of GET /healthz. */
export interface HealthReport {
  status: 'ok' | 'unhealthy';
  /** What is wrong, one line each ("telegram: polling stopped"); only when unhealthy. */
  reasons?: string[];
  /** Each platform: "ok" or what is wrong. */
  platforms: Record<string, string>;
  /** Leader or follower, the epoch, how long the leader has led, how many instances are alive. */
  role?: RoleStatus;
  feed?: {
    lastSuccessAt: string | null;
    /**
     * What kind of error and when, since when it has kept failing: never its text, which names
     * FEED_URL (a key, a password) and the bot's files, and /healthz answers anyone. The logs have it.
     */
    lastError: { at: string; since: string; kind: FeedErrorKind } | null;
    intervalSeconds: number;
  };
}

type FeedErrorKind = NonNullable<SyncStatus['lastError']>['kind'];

/** The last error in a reason line, for people. */
const FEED_ERRORS: Record<FeedErrorKind, string> = {
  fetch: 'fetching the feed failed',
  refused: "the feed's content was refused",
  internal: 'an internal error',
};

/** How many poll intervals may pass without a successful poll before the feed counts as failing. */
export const FEED_INTERVALS = 3;

const seconds = (ms: number): string => (ms / 1000).toLocaleString('en-US', { maximumFractionDigits: ms < 10_000 ? 1 : 0 });

/**
 * Healthy when every platform the bot runs is connected and the feed's last successful poll is at
 * most three intervals old. Before the first success, the time since the live sync started counts
 * instead: a bot just started is given three intervals to reach the feed.
 */
export function checkHealth({ platforms, feed, now, role, leaderlessMs = 30_000 }: HealthInput): HealthReport {
  const reasons: string[] = [];
  const states: Record<string, string> = {};
  for (const platform of platforms) {
    const health: PlatformHealth = platform.health?.() ?? { ok: false, reason: 'not started' };
    states[platform.name] = health.ok ? 'ok' : (health.reason ?? 'not connected');
    if (!health.ok) reasons.push(`${platform.name}: ${states[platform.name]}`);
  }
  let feedReport: HealthReport['feed'];
  if (feed) {
    const { lastSuccessAt, lastError } = feed.status;
    const age = now - (lastSuccessAt?.getTime() ?? feed.startedAt);
    if (age > FEED_INTERVALS * feed.intervalMs) {
      const since = lastSuccessAt
        ? `last successful poll ${seconds(age)} s ago`
        : `no successful poll in the ${seconds(age)} s since start`;
      const failing =
        lastError && (!lastSuccessAt || lastError.at > lastSuccessAt)
          ? `; last error: ${FEED_ERRORS[lastError.kind]} (${lastError.kind}; details in the logs)`
          : '';
      reasons.push(`feed: ${since} (interval ${seconds(feed.intervalMs)} s)${failing}`);
    }
    feedReport = {
      lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      lastError: lastError ? { at: lastError.at.toISOString(), since: lastError.since.toISOString(), kind: lastError.kind } : null,
      intervalSeconds: feed.intervalMs / 1000,
    };
  }
  // Nobody sends the alerts: every instance says so (the leader's own health is its platforms').
  if (role?.leaderlessSeconds !== undefined && role.leaderlessSeconds * 1000 > leaderlessMs)
    reasons.push(`role: no instance has led for ${seconds(role.leaderlessSeconds * 1000)} s (alerts wait)`);
  return {
    status: reasons.length === 0 ? 'ok' : 'unhealthy',
    ...(reasons.length > 0 ? { reasons } : {}),
    ...(role ? { role } : {}),
    platforms: states,
    ...(feedReport ? { feed: feedReport } : {}),
  };
}
