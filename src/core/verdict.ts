import type { CategorySlug, Draw } from '../domain/drawSchema.js';
import { formatNumber } from './format.js';
import { profilesAbove } from './poolStanding.js';
import { type DrawOutcome, type Outcome, outcomeFor } from './qualify.js';

/**
 * How a profile's score fares in one draw, its submission time settling ties: `submittedAt` is a
 * day (YYYY-MM-DD), decisive only on another day than the tie-break's, or a UTC instant
 * (YYYY-MM-DDTHH:mm:ssZ), decisive on the tie-break's own day too.
 */
export function verdictFor(draw: Draw, crs: number, submittedAt?: string): DrawOutcome {
  const withTime = submittedAt !== undefined && submittedAt.length > 10;
  // Submitted the day of the draw, but after it ran: not in the pool it drew from.
  if (withTime && draw.drawnAt && submittedAt.slice(0, 10) === draw.date && submittedAt >= draw.drawnAt) {
    return { draw, outcome: { kind: 'not-in-pool' }, invited: false };
  }
  const result = outcomeFor(draw, crs, submittedAt?.slice(0, 10));
  const { outcome } = result;
  if (outcome.kind !== 'tie-same-day' || !withTime) return result;
  // Both are UTC instants written alike, so text order is time order; IRCC invites those before it.
  const before = submittedAt < outcome.tieBreak;
  return { draw, outcome: { kind: before ? 'tie-before' : 'tie-after', tieBreak: outcome.tieBreak }, invited: before };
}

/** A personal verdict in a few words: "qualifies (+12)", "short by 8", "tie, made it on submission time". */
export function describeVerdict(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'above':
      return `qualifies (+${outcome.by})`;
    case 'below':
      return `short by ${outcome.by}`;
    case 'tie-before':
      return 'tie, settled by your submission time: made it';
    case 'tie-after':
      return 'tie, settled by your submission time: missed';
    case 'tie-same-day':
      return 'tie on the tie-break day: add the time you submitted (/profile … submitted=2025-01-31T10:15)';
    case 'tie-unknown':
      return 'tie: add when you submitted your profile to settle it (/profile … submitted=2025-01-31)';
    case 'tie-no-rule':
      return 'tie: IRCC published no tie-break for this round';
    case 'not-in-pool':
      return 'your profile was not in the pool yet';
  }
}

/** What a personal verdict needs of a profile: its score, its lanes ([] for none named), its submission time. */
export interface Lanes {
  crs: number;
  categories: readonly CategorySlug[];
  submittedAt?: string;
}

/** Whether a profile can enter a draw: general draws are open to all; with no lanes named, none is ruled out. */
export function inLanes(lanes: Lanes, draw: Draw): boolean {
  return draw.category === 'general' || lanes.categories.length === 0 || lanes.categories.includes(draw.category);
}

/**
 * The owner's line in a personal alert, for a draw in their lanes: "Your CRS 530 qualifies (+7)."
 * or "Your CRS 370: short by 12; about 12,000 profiles in the pool sat between you and the
 * cut-off." (from the pool IRCC published with the round). Undefined outside their lanes.
 */
export function personalVerdictLine(draw: Draw, lanes: Lanes): string | undefined {
  if (!inLanes(lanes, draw)) return undefined;
  const { outcome } = verdictFor(draw, lanes.crs, lanes.submittedAt);
  const verdict = describeVerdict(outcome);
  if (outcome.kind === 'above') return `Your CRS ${lanes.crs} ${verdict}.`;
  let line = `Your CRS ${lanes.crs}: ${verdict}`;
  if (outcome.kind === 'below' && draw.pool) {
    // Scoring above the user and below the cut-off: above(crs) minus those at or above the cut-off.
    const between = profilesAbove(draw.pool, lanes.crs) - profilesAbove(draw.pool, draw.crs - 1);
    const rounded = Math.round(between / 100) * 100;
    if (rounded > 0) line += `; about ${formatNumber(rounded)} profiles in the pool sat between you and the cut-off`;
  }
  return `${line}.`;
}

/** The owner's line in a pool alert: "About 46,034 profiles now score above your CRS 480." */
export function poolStandingLine(draw: Draw, crs: number): string | undefined {
  if (!draw.pool) return undefined;
  return `About ${formatNumber(profilesAbove(draw.pool, crs))} profiles now score above your CRS ${crs}.`;
}
