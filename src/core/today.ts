import type { DateTime } from 'luxon';
import { OTTAWA } from '../domain/ottawa.js';

const HOUR = 3_600_000;
/** Ottawa's UTC offset only changes on a UTC hour boundary, so one look-up an hour is enough. */
let cached = { hour: Number.NaN, offsetMs: 0 };

/** Today's date in Ottawa (YYYY-MM-DD): the calendar IRCC dates its rounds by. */
export function today(now: DateTime): string {
  const ms = now.toMillis();
  const hour = Math.floor(ms / HOUR);
  if (hour !== cached.hour) cached = { hour, offsetMs: now.setZone(OTTAWA).offset * 60_000 };
  return new Date(ms + cached.offsetMs).toISOString().slice(0, 10);
}

/** Whole days from one YYYY-MM-DD to another (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
