import type { DateTime } from 'luxon';
import type { CategorySlug, Draw } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';
import { daysBetween, today } from './today.js';

/** How many of the latest gaps the usual gap is the median of. */
export const GAP_SAMPLE = 10;
/** How many of the latest draw days the weekdays and hours are counted over. */
export const DAY_SAMPLE = 20;
/** The share of rounds the "mostly" window of hours must hold. */
const MOSTLY = 0.75;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** One category's rhythm. */
export interface LaneFacts {
  category: CategorySlug;
  lastDate: string;
  daysSince: number;
  /** Median of its last GAP_SAMPLE gaps between draw days, in days; null with a single draw day. */
  usualGap: number | null;
  /** How many gaps the median is of. */
  gaps: number;
}

/**
 * What the record says about when draws happen — facts only: IRCC announces no draw in advance,
 * so nothing here is a forecast.
 */
export interface NextDrawFacts {
  latest: Draw;
  daysSinceLatest: number;
  /**
   * What the usual gap runs between: over all draws, weeks with a draw (Monday to Sunday in Ottawa),
   * since IRCC often runs its categories on consecutive days and the gap between those says nothing
   * about when the next run comes; in one category, its draw days.
   */
  gapBetween: 'weeks' | 'days';
  /** Median of the last GAP_SAMPLE gaps, in days, between the Mondays of draw weeks or between draw days; null with a single one. */
  usualGap: number | null;
  gaps: number;
  /** Whether the time since the latest draw week or draw day is already longer than the usual gap. */
  longerThanUsual: boolean;
  /** Categories with a draw in the last 12 months, most recently drawn first (only when no category is asked about). */
  lanes: LaneFacts[];
  /** How many draw days the weekdays are counted over (up to DAY_SAMPLE). */
  days: number;
  /** Weekdays of those draw days, most frequent first (ties in week order). */
  weekdays: Array<{ day: Weekday; count: number }>;
  /** UTC hours of the rounds held on those days that have a published time, by hour. */
  hours: Array<{ hour: number; count: number }>;
  /** The narrowest run of hours holding at least 75% of those rounds; null when none has a time. */
  mostly: { from: number; to: number; count: number; of: number } | null;
}

/** The pattern of recent draws, overall (with the active categories) or in one category; undefined when it has no draw. */
export function nextDraw(data: DrawIndex, now: DateTime, category?: CategorySlug): NextDrawFacts | undefined {
  const draws = data.inCategory(category);
  const latest = draws[0];
  if (!latest) return undefined;
  const day = today(now);
  const weeks = !category;
  // Only the recent draw days count: enough for the weekdays and for the last gaps (a week holds several).
  const days = drawDays(draws, weeks ? Math.max(DAY_SAMPLE, 7 * (GAP_SAMPLE + 1)) : Math.max(DAY_SAMPLE, GAP_SAMPLE + 1));
  const marks = weeks ? distinct(days.map(mondayOf)) : days;
  // Monday to Monday: a week is longer than usual only once the whole usual draw week has gone by.
  const sinceLatest = weeks ? daysBetween(mondayOf(latest.date), mondayOf(day)) : daysBetween(latest.date, day);
  const { median, gaps } = usualGap(marks);
  const recentDays = days.slice(0, DAY_SAMPLE);
  const recentRounds = draws.filter((d) => d.date >= recentDays.at(-1)!);
  const hours = countHours(recentRounds);
  return {
    latest,
    daysSinceLatest: Math.max(0, daysBetween(latest.date, day)),
    gapBetween: weeks ? 'weeks' : 'days',
    usualGap: median,
    gaps,
    longerThanUsual: median !== null && sinceLatest > median,
    lanes: category ? [] : lanes(data, day),
    days: recentDays.length,
    weekdays: countWeekdays(recentDays),
    hours,
    mostly: mostlyWindow(hours),
  };
}

/** Distinct draw dates, newest first (draws come newest first), at most `limit`. */
function drawDays(draws: readonly Draw[], limit: number): string[] {
  const days: string[] = [];
  for (const draw of draws) {
    if (days.at(-1) === draw.date) continue;
    if (days.length === limit) break;
    days.push(draw.date);
  }
  return days;
}

/** Sorted dates without their repeats. */
function distinct(dates: readonly string[]): string[] {
  const out: string[] = [];
  for (const date of dates) if (out.at(-1) !== date) out.push(date);
  return out;
}

/** The Monday of the week holding an Ottawa date: weeks run Monday to Sunday, as IRCC's working week does. */
function mondayOf(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() + 6) % 7));
  return at.toISOString().slice(0, 10);
}

/** The median of the last GAP_SAMPLE gaps between dates given newest first. */
function usualGap(dates: readonly string[]): { median: number | null; gaps: number } {
  const recent = dates.slice(0, GAP_SAMPLE + 1);
  const gaps = recent.slice(1).map((date, i) => daysBetween(date, recent[i]!));
  return { median: median(gaps), gaps: gaps.length };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A year before an Ottawa date (Feb 29 → Feb 28). */
function yearBefore(date: string): string {
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${Number(date.slice(0, 4)) - 1}-${monthDay}`;
}

function lanes(data: DrawIndex, day: string): LaneFacts[] {
  const since = yearBefore(day);
  const seen = new Set<CategorySlug>();
  const out: LaneFacts[] = [];
  // Newest first, so categories turn up most recently drawn first.
  for (const draw of data.draws) {
    if (draw.date < since) break;
    if (seen.has(draw.category)) continue;
    seen.add(draw.category);
    const { median: gap, gaps } = usualGap(drawDays(data.inCategory(draw.category), GAP_SAMPLE + 1));
    out.push({ category: draw.category, lastDate: draw.date, daysSince: Math.max(0, daysBetween(draw.date, day)), usualGap: gap, gaps });
  }
  return out;
}

function countWeekdays(days: readonly string[]): NextDrawFacts['weekdays'] {
  const counts = new Array<number>(7).fill(0);
  for (const date of days) counts[new Date(`${date}T00:00:00Z`).getUTCDay()]!++;
  // Week order from Monday, so ties read as a week does.
  const order = [1, 2, 3, 4, 5, 6, 0];
  return order
    .filter((i) => counts[i]! > 0)
    .map((i) => ({ day: WEEKDAYS[i]!, count: counts[i]! }))
    .sort((a, b) => b.count - a.count);
}

function countHours(draws: readonly Draw[]): NextDrawFacts['hours'] {
  const counts = new Map<number, number>();
  for (const draw of draws) {
    if (!draw.drawnAt) continue;
    const hour = Number(draw.drawnAt.slice(11, 13));
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
  }
  return [...counts].map(([hour, count]) => ({ hour, count })).sort((a, b) => a.hour - b.hour);
}

/** The narrowest run of hours (earliest on a tie) holding at least MOSTLY of the timed rounds. */
function mostlyWindow(hours: NextDrawFacts['hours']): NextDrawFacts['mostly'] {
  const of = hours.reduce((sum, h) => sum + h.count, 0);
  if (of === 0) return null;
  let best: NonNullable<NextDrawFacts['mostly']> | null = null;
  // At most 24 hours: two pointers would save nothing worth the reading.
  for (let i = 0; i < hours.length; i++) {
    let count = 0;
    for (let j = i; j < hours.length; j++) {
      count += hours[j]!.count;
      if (count < of * MOSTLY) continue;
      const width = hours[j]!.hour - hours[i]!.hour;
      if (!best || width < best.to - best.from) best = { from: hours[i]!.hour, to: hours[j]!.hour, count, of };
      break;
    }
  }
  return best;
}
