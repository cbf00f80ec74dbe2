import { formatDate, formatInstant, formatNumber } from '../core/format.js';
import type { Draw } from '../domain/drawSchema.js';

/** The figures an alert states that IRCC sometimes corrects after publishing a round. */
export const CORRECTED_FIELDS = ['crs', 'invitations', 'tieBreak', 'date'] as const;
export type CorrectedField = (typeof CORRECTED_FIELDS)[number];

/** One figure of a round, as announced and as IRCC now publishes it. */
export type Correction = { [F in CorrectedField]: { field: F; before: Draw[F]; after: Draw[F] } }[CorrectedField];

/**
 * Which figures of a round changed since its alert went out, in the order the note lists them.
 * A new name, url, program list or category version alone is not a correction: the alert's facts
 * still hold, and editing thousands of messages for a renamed category would be noise.
 */
export function corrections(announced: Draw, current: Draw): Correction[] {
  const changed: Correction[] = [];
  for (const field of CORRECTED_FIELDS) {
    if (announced[field] !== current[field]) changed.push({ field, before: announced[field], after: current[field] } as Correction);
  }
  return changed;
}

/** "Corrected by IRCC: cut-off 475 → 472, invitations 3,000 → 3,100." */
export function correctionNote(changes: readonly Correction[]): string {
  return `Corrected by IRCC: ${changes.map(describe).join(', ')}.`;
}

function describe(change: Correction): string {
  switch (change.field) {
    case 'crs':
      return `cut-off ${change.before} → ${change.after}`;
    case 'invitations':
      return `invitations ${formatNumber(change.before)} → ${formatNumber(change.after)}`;
    case 'date':
      return `date ${formatDate(change.before)} → ${formatDate(change.after)}`;
    case 'tieBreak':
      return `tie-break ${tieBreak(change.before)} → ${tieBreak(change.after)}`;
  }
}

const tieBreak = (instant: string | null): string => (instant ? formatInstant(instant) : 'none');
