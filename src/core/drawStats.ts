import type { DateTime } from 'luxon';
import type { CategorySlug } from '../domain/drawSchema.js';
import type { DrawIndex } from './drawIndex.js';
import { daysBetween, today } from './today.js';

export interface DrawStats {
  draws: number;
  invitations: number;
  minCrs: number | null;
  medianCrs: number | null;
  maxCrs: number | null;
  /** Mean gap between consecutive draws in the period; null with fewer than two draws. */
  averageDaysBetween: number | null;
  /** Days from the category's latest draw (in any period) to today; null if it never had one. */
  daysSinceLast: number | null;
  lastDate: string | null;
}

export function drawStats(index: DrawIndex, query: { category?: CategorySlug; from?: string; to?: string }, now: DateTime): DrawStats {
  const draws = index.between(query.category, query.from, query.to);
  const scores = draws.map((d) => d.crs).sort((a, b) => a - b);
  const mid = scores.length >> 1;
  const median = scores.length === 0 ? null : scores.length % 2 ? scores[mid]! : (scores[mid - 1]! + scores[mid]!) / 2;
  const last = index.inCategory(query.category)[0];
  return {
    draws: draws.length,
    invitations: draws.reduce((sum, d) => sum + d.invitations, 0),
    minCrs: scores[0] ?? null,
    medianCrs: median,
    maxCrs: scores.at(-1) ?? null,
    averageDaysBetween: draws.length >= 2 ? daysBetween(draws.at(-1)!.date, draws[0]!.date) / (draws.length - 1) : null,
    daysSinceLast: last ? Math.max(0, daysBetween(last.date, today(now))) : null,
    lastDate: last?.date ?? null,
  };
}
