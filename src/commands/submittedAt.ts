import type { DateTime } from 'luxon';
import { UserError } from '../domain/userError.js';
import { parseLooseDate } from './looseDate.js';

const LABEL = 'The submission date';
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Splits a trailing time of day off the text: "Jan 31 2025 10:15", "2025-01-31T10:15:30". */
function splitTime(text: string): { date: string; time?: RegExpExecArray } {
  const trimmed = text.trim();
  const space = trimmed.lastIndexOf(' ');
  const last = trimmed.slice(space + 1);
  const joined = last.toUpperCase().lastIndexOf('T');
  const candidates: Array<[string, string]> = [[trimmed.slice(0, Math.max(0, space)), last]];
  if (joined > 0) candidates.push([`${trimmed.slice(0, space + 1)}${last.slice(0, joined)}`, last.slice(joined + 1)]);
  for (const [date, time] of candidates) {
    // A "Z" (UTC) is what the time is read as anyway.
    const match = TIME.exec(time.endsWith('Z') || time.endsWith('z') ? time.slice(0, -1) : time);
    if (match && date) return { date, time: match };
  }
  return { date: trimmed };
}

/**
 * When an Express Entry profile was submitted, as people write it: a date parseLooseDate reads,
 * and an optional time of day in UTC (HH:MM or HH:MM:SS, after a space or a T). Gives YYYY-MM-DD, or
 * the UTC instant YYYY-MM-DDTHH:mm:ssZ with a time; never in the future of `now`.
 */
export function parseSubmitted(text: string, now: DateTime): string {
  const { date, time } = splitTime(text);
  const day = parseLooseDate(date, LABEL);
  let value = day;
  if (time) {
    const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
    if (hours > 23 || minutes > 59 || seconds > 59) {
      throw new UserError(`${LABEL}'s time must be a time of day in UTC such as 10:15 or 10:15:30, e.g. submitted=${day}T10:15`);
    }
    const pad = (n: number) => String(n).padStart(2, '0');
    value = `${day}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}Z`;
  }
  const nowUtc = now.toUTC();
  if (value.length === 10 ? value > nowUtc.toISODate()! : value > `${nowUtc.toISO({ suppressMilliseconds: true })!.slice(0, 19)}Z`) {
    throw new UserError(`${LABEL} cannot be in the future; write the day you submitted your profile, e.g. submitted=2025-01-31`);
  }
  return value;
}
