import type { DateTime } from 'luxon';
import type { DrawIndex } from './drawIndex.js';
import { plural } from './format.js';
import { daysBetween, today } from './today.js';

/** Longer than IRCC has gone without a draw since 2023 (41 days): a newest round this old means the copy is behind. */
export const STALE_ROUND_DAYS = 45;
/** A copy not synced for this long may miss rounds even if its newest is recent. */
export const STALE_SYNC_DAYS = 7;

const REFRESH = 'run npm run sync to refresh it';

/**
 * Why answers from this copy of the data may be out of date, for a copy nothing keeps in sync (the
 * console): its newest round is older than any gap between draws, or it was last synced over a week
 * ago. Undefined when neither holds.
 */
export function staleness(data: DrawIndex, now: DateTime): string | undefined {
  const date = today(now);
  const roundAge = daysBetween(data.newest.date, date);
  if (roundAge > STALE_ROUND_DAYS) {
    return `its newest round is ${plural(roundAge, 'day')} old, longer than IRCC has gone without a draw since 2023: ${REFRESH}`;
  }
  const syncAge = daysBetween(data.generatedAt.slice(0, 10), date);
  if (syncAge > STALE_SYNC_DAYS) return `this copy was last synced ${plural(syncAge, 'day')} ago: ${REFRESH}`;
  return undefined;
}
