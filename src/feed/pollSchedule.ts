/**
 * When IRCC publishes rounds: 196 of the 199 rounds since 2023 ran between 10:00 and 18:00 UTC on a
 * weekday. The window runs to 22:00 so that a feed updated a few hours after its draw is still
 * caught within a minute.
 */
export const DRAW_HOURS_UTC = { from: 10, to: 22 } as const;
/** How long the poller sleeps in draw hours: the feed is worth a (conditional) GET a minute. */
export const DRAW_HOURS_DELAY_MS = 60_000;
/** How long it sleeps otherwise: a rare off-hours round is still caught within ten minutes. */
export const OFF_HOURS_DELAY_MS = 600_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface PollScheduleOptions {
  /** POLL_INTERVAL: a flat interval that overrides the adaptive schedule. */
  intervalMs?: number;
}

const isWeekday = (t: number) => {
  const day = new Date(t).getUTCDay();
  return day >= 1 && day <= 5;
};

/** Monday to Friday, DRAW_HOURS_UTC.from (included) to DRAW_HOURS_UTC.to (excluded), UTC. */
export function inDrawHours(at: Date | number): boolean {
  const t = typeof at === 'number' ? at : at.getTime();
  const hour = new Date(t).getUTCHours();
  return isWeekday(t) && hour >= DRAW_HOURS_UTC.from && hour < DRAW_HOURS_UTC.to;
}

/** The first draw-hours start strictly after `t`. */
export function nextDrawHoursStart(at: Date | number): number {
  const t = typeof at === 'number' ? at : at.getTime();
  const d = new Date(t);
  let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), DRAW_HOURS_UTC.from);
  if (start <= t) start += DAY_MS;
  while (!isWeekday(start)) start += DAY_MS;
  return start;
}

/**
 * How long to sleep before the next poll, from `now`: a flat `intervalMs` when POLL_INTERVAL is set;
 * otherwise a minute in draw hours and ten minutes outside them, but never past the start of the
 * next draw-hours window (a 10-minute sleep from Monday 09:55 wakes at 10:00).
 */
export function nextPollDelay(now: Date | number, options: PollScheduleOptions = {}): number {
  if (options.intervalMs !== undefined) return options.intervalMs;
  const t = typeof now === 'number' ? now : now.getTime();
  if (inDrawHours(t)) return DRAW_HOURS_DELAY_MS;
  return Math.min(OFF_HOURS_DELAY_MS, nextDrawHoursStart(t) - t);
}

/** The longest the schedule sleeps: what "the feed is polled regularly" is measured against (healthz). */
export function longestPollDelay(options: PollScheduleOptions = {}): number {
  return options.intervalMs ?? OFF_HOURS_DELAY_MS;
}

/** For the logs: how often the feed is polled. */
export function describePollSchedule(options: PollScheduleOptions = {}): string {
  if (options.intervalMs !== undefined) return `every ${Math.round(options.intervalMs / 1000)} s`;
  const { from, to } = DRAW_HOURS_UTC;
  return `every ${DRAW_HOURS_DELAY_MS / 1000} s on weekdays ${from}:00–${to}:00 UTC, every ${OFF_HOURS_DELAY_MS / 1000} s otherwise`;
}
