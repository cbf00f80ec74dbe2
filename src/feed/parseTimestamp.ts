import { utcInstant } from '../domain/utcInstant.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * IRCC types these by hand, so the pattern is deliberately loose about separators ("May 19,2022",
 * "March 02. 2024", "July 3rd 2026", "at12:48:30", ", at") yet strict about what the parts mean:
 * anything left over (an unknown zone, a stray word) makes the whole value unreadable rather than
 * guessed.
 */
const TIMESTAMP =
  /^(?<month>[a-z]+)\.?\s*(?<day>\d{1,2})(?:st|nd|rd|th)?\s*[.,]?\s*(?<year>\d{4})?\s*,?\s*(?:at)?\s*(?:(?<iso>\d{4}-\d{2}-\d{2})\s*)?(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?\s*(?<ampm>[ap]\.?m\.?)?\s*(?:utc|gmt|z)?$/i;

const DATE_ONLY = /^(?<month>[a-z]+)\.?\s*(?<day>\d{1,2})(?:st|nd|rd|th)?\s*[.,]?\s*(?<year>\d{4})?$/i;

/** Full names and 3-letter abbreviations ("Sept" too); never a word that merely starts alike. */
function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((m) => m === lower || m.slice(0, 3) === lower || (lower === 'sept' && m === 'september'));
  return index < 0 ? undefined : index + 1;
}

/**
 * A UTC instant from its parts, or undefined if they name no real moment (Feb 30, 25:00). Plain
 * Date arithmetic, not luxon: an import reads ~900 of these and luxon made it ten times slower.
 */
function utcDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return real ? date : undefined;
}

/** A year-less date means the latest such date not after the draw date. */
function resolveYear(month: number, day: number, year: string | undefined, drawDate: string): number {
  if (year) return Number(year);
  const drawYear = Number(drawDate.slice(0, 4));
  const sameYear = `${drawYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return sameYear > drawDate ? drawYear - 1 : drawYear;
}

function to24Hour(hour: number, ampm: string | undefined): number {
  if (!ampm || hour > 12) return hour; // "15:48:39 AM": the 24-hour figure is the one that was meant
  const pm = ampm.toLowerCase().startsWith('p');
  if (hour === 12) return pm ? 12 : 0;
  return pm ? hour + 12 : hour;
}

/**
 * Parses one of IRCC's hand-typed timestamps ("August 7, 2026 at 10:08:20 UTC" and its many
 * variants) to `YYYY-MM-DDTHH:mm:ssZ`. All of IRCC's times are UTC, with or without the zone.
 * `drawDate` (YYYY-MM-DD) supplies the year when the text has none. Returns null when unreadable.
 */
export function parseIrccTimestamp(text: string, drawDate: string): string | null {
  const match = TIMESTAMP.exec(text.replace(/\s+/g, ' ').trim());
  if (!match?.groups) return null;
  const g = match.groups;
  let year: number;
  let month: number | undefined;
  let day: number;
  if (g.iso) {
    // "January 23, 2025 at 2025-01-23 15:30:04 UTC": the ISO part is the more reliable of the two.
    [year, month, day] = g.iso.split('-').map(Number) as [number, number, number];
  } else {
    month = monthNumber(g.month!);
    if (!month) return null;
    day = Number(g.day);
    year = resolveYear(month, day, g.year, drawDate);
  }
  const instant = utcDate(year, month!, day, to24Hour(Number(g.hour), g.ampm), Number(g.minute), Number(g.second ?? 0));
  return instant ? utcInstant(instant) : null;
}

/** Parses a date such as "August 3, 2026" (the pool snapshot's date) to YYYY-MM-DD, or null. */
export function parseIrccDate(text: string, drawDate: string): string | null {
  const match = DATE_ONLY.exec(text.replace(/\s+/g, ' ').trim());
  if (!match?.groups) return null;
  const month = monthNumber(match.groups.month!);
  if (!month) return null;
  const day = Number(match.groups.day);
  const date = utcDate(resolveYear(month, day, match.groups.year, drawDate), month, day);
  return date ? date.toISOString().slice(0, 10) : null;
}
