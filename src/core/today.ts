import type { DateTime } from 'luxon';
import { OTTAWA } from '../feed/normalizeRound.js';

/** Today's date in Ottawa (YYYY-MM-DD): the calendar IRCC dates its rounds by. */
export function today(now: DateTime): string {
  return now.setZone(OTTAWA).toISODate()!;
}
