import { formatInstant } from '../core/format.js';
import type { Outcome } from '../core/qualify.js';

/** A short verdict for one draw: "invited (+12)", "not invited (−5)", "tie: …". */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'above':
      return `invited (+${outcome.by})`;
    case 'below':
      return `not invited (−${outcome.by})`;
    case 'tie-before':
      return 'invited (tie, profile before the tie-break)';
    case 'tie-after':
      return 'not invited (tie, profile after the tie-break)';
    case 'tie-same-day':
      return `tie: invited only if submitted before ${formatInstant(outcome.tieBreak)}`;
    case 'tie-unknown':
      return `tie: depends on when your profile was submitted: before ${formatInstant(outcome.tieBreak)}`;
    case 'tie-no-rule':
      return 'tie: IRCC published no tie-break for this round';
    case 'not-in-pool':
      return 'not in the pool yet (profile submitted after the draw)';
  }
}

/** One-character mark for tables: ✓ invited, ✗ not, ? undecided. */
export function outcomeMark(invited: boolean | null): string {
  return invited === true ? '✓' : invited === false ? '✗' : '?';
}
