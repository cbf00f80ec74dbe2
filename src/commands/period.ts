import type { DateTime } from 'luxon';
import { formatDate } from '../core/format.js';
import { today } from '../core/today.js';
import { UserError } from '../domain/userError.js';

/** Where a period starts when the user names none: twelve months back. */
export function defaultSince(now: DateTime): string {
  const date = today(now);
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${Number(date.slice(0, 4)) - 1}-${monthDay}`;
}

/** Dates users give must not lie ahead of today (in Ottawa). */
export function assertNotFuture(date: string | undefined, now: DateTime, label: string, example: string): void {
  if (date && date > today(now)) {
    throw new UserError(`${label} ${formatDate(date)} is in the future; give a date up to today, for example ${example}.`);
  }
}
