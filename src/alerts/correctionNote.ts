import { formatDate, formatInstant, formatNumber } from '../core/format.js';
import type { Correction } from '../domain/corrections.js';

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
