import type { Draw } from './drawSchema.js';

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
