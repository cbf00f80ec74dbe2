import type { DateTime } from 'luxon';
import { formatDate } from '../core/format.js';
import { type Period, type PeriodSpec, resolvePeriod } from '../core/period.js';
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

/** A UserError's message with a command's example after it, as option mistakes are answered. */
export function withExample(error: UserError, example: string): UserError {
  const ended = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  return new UserError(`${ended} For example: ${example}`);
}

/** The period asked for, placed against today in Ottawa; one still to come or before the first round is explained with `example`. */
export function periodAsked(spec: PeriodSpec, now: DateTime, example: string): Period {
  try {
    return resolvePeriod(spec, today(now));
  } catch (error) {
    throw error instanceof UserError ? withExample(error, example) : error;
  }
}
