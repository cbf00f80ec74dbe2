import type { PeriodPoint, PeriodSpec } from '../core/period.js';
import { UserError } from '../domain/userError.js';
import { parseLooseDate } from './looseDate.js';

/** What to write, said when a period cannot be read. */
export const PERIOD_FORMS =
  'a day (2026-07-21, Jul 21), a month (July, July 2026, 2026-07), a year (2026), since January, between May 1 and June 30, this week, last month, the last 30 days or first half of 2026';

const MONTHS = new Map<string, number>();
for (const [i, name] of [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
].entries()) {
  MONTHS.set(name, i + 1);
  MONTHS.set(name.slice(0, 3), i + 1);
}
MONTHS.set('sept', 9);

const UNITS = new Map<string, 'day' | 'week' | 'month' | 'year'>([
  ['day', 'day'],
  ['days', 'day'],
  ['week', 'week'],
  ['weeks', 'week'],
  ['month', 'month'],
  ['months', 'month'],
  ['year', 'year'],
  ['years', 'year'],
]);
const SINCE = new Set(['since', 'from', 'after']);
const AND = new Set(['and', 'to', 'until', 'till', 'through', '-', '–']);
/** Words that may lead a period and add nothing: "in July", "on Jul 21", "during 2025", "the last 30 days". */
const LEADING = new Set(['in', 'on', 'during', 'for', 'of', 'the']);
const NUMERIC_DATE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;
const YEAR_MONTH = /^(\d{4})-(\d{1,2})$/;
const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** Days in a month (1-12); 0 for a month that is none, so that no day fits it. */
const daysIn = (year: number, month: number) => (month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0);
const YEAR = /^(19|20)\d\d$/;
const DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/;

/** A typed word as the reader compares it: lower case, without the commas and full stops around it. */
const clean = (word: string) => word.toLowerCase().replace(/^[,(]+|[,.;:?!)]+$/g, '');

/** The point `words` name whole, or undefined. */
function pointOf(words: readonly string[]): PeriodPoint | undefined {
  const [a, b, c] = words;
  if (a === undefined) return undefined;
  if (words.length === 1) {
    const isoDay = ISO_DAY.exec(a);
    // The common form, checked without the date library: several readers see each word.
    if (isoDay && Number(isoDay[3]) >= 1 && Number(isoDay[3]) <= daysIn(Number(isoDay[1]), Number(isoDay[2]))) {
      return { unit: 'day', year: Number(isoDay[1]), month: Number(isoDay[2]), day: Number(isoDay[3]) };
    }
    if (NUMERIC_DATE.test(a)) return dayPoint(parseLooseDate(a));
    const ym = YEAR_MONTH.exec(a);
    if (ym) {
      const month = Number(ym[2]);
      return month >= 1 && month <= 12 ? { unit: 'month', year: Number(ym[1]), month } : undefined;
    }
    if (YEAR.test(a)) return { unit: 'year', year: Number(a) };
    const month = MONTHS.get(a);
    return month ? { unit: 'month', month } : undefined;
  }
  const monthA = MONTHS.get(a);
  const monthB = b === undefined ? undefined : MONTHS.get(b);
  // July 2026 · July 21 · July 21 2026 · 21 July · 21 July 2026
  if (monthA && words.length === 2 && b && YEAR.test(b)) return { unit: 'month', year: Number(b), month: monthA };
  const day = monthA ? DAY.exec(b ?? '') : monthB ? DAY.exec(a) : null;
  const month = monthA ?? monthB;
  if (!day || !month) return undefined;
  if (words.length === 2) return { unit: 'day', month, day: Number(day[1]) };
  // The words as typed, so that a date that is none is echoed as written ("feb 30 2026").
  if (words.length === 3 && c && YEAR.test(c)) return dayPoint(parseLooseDate(words.join(' ')));
  return undefined;
}

function dayPoint(date: string): PeriodPoint {
  return { unit: 'day', year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** The spec `words` (cleaned, none left out) say whole, or undefined. */
function specOf(words: readonly string[]): PeriodSpec | undefined {
  if (words.length === 0) return undefined;
  const [first, second, third] = words;
  if (LEADING.has(first!)) return specOf(words.slice(1));
  if (words.length === 1 && (first === 'today' || first === 'yesterday')) return { kind: first };
  if (words.length === 2 && (first === 'this' || first === 'current')) {
    const unit = UNITS.get(second!);
    return unit && unit !== 'day' ? { kind: 'current', unit } : undefined;
  }
  if (first === 'last' || first === 'past' || first === 'previous') {
    const rest = words[1] === 'the' ? words.slice(2) : words.slice(1);
    if (rest.length === 1) {
      const unit = UNITS.get(rest[0]!);
      if (!unit || unit === 'day') return unit === 'day' ? { kind: 'yesterday' } : undefined;
      // "last month" is the calendar month before this one; "the past month", the 30-odd days to today.
      if (first === 'past') return unit === 'year' ? { kind: 'recent', count: 12, unit: 'month' } : { kind: 'recent', count: 1, unit };
      return { kind: 'previous', unit };
    }
    if (rest.length === 2 && /^\d{1,3}$/.test(rest[0]!)) {
      const count = Number(rest[0]);
      const unit = UNITS.get(rest[1]!);
      if (!unit || count < 1) return undefined;
      return unit === 'year' ? { kind: 'recent', count: count * 12, unit: 'month' } : { kind: 'recent', count, unit };
    }
    return undefined;
  }
  const part = partOf(words);
  if (part) return part;
  if (first === 'between' || first === 'from') {
    const split = splitAt(words.slice(1));
    if (split) return split;
  }
  if (SINCE.has(first!)) {
    const point = pointOf(words.slice(1));
    return point ? { kind: 'since', point } : undefined;
  }
  const range = splitAt(words);
  if (range) return range;
  const point = pointOf(words);
  if (point) return { kind: 'point', point };
  // "2026 q1", "q3 of 2025"
  if (third === undefined && second !== undefined) return partOf([second, first!]);
  return undefined;
}

/** "May 1 and June 30", "2026-05-01 to 2026-06-30": two points either side of a joining word. */
function splitAt(words: readonly string[]): PeriodSpec | undefined {
  for (let i = 1; i < words.length - 1; i++) {
    if (!AND.has(words[i]!)) continue;
    const from = pointOf(words.slice(0, i));
    const to = pointOf(words.slice(i + 1));
    if (from && to) return { kind: 'between', from, to };
  }
  return undefined;
}

/** "first half of 2026", "h2 2025", "q1", "q3 2026". */
function partOf(words: readonly string[]): PeriodSpec | undefined {
  const rest = words.filter((w) => w !== 'of' && w !== 'the');
  const [a, b, c] = rest;
  const yearAt = (word: string | undefined) => (word !== undefined && YEAR.test(word) ? Number(word) : undefined);
  if ((a === 'first' || a === 'second' || a === '1st' || a === '2nd') && b === 'half' && rest.length <= 3) {
    if (c !== undefined && yearAt(c) === undefined) return undefined;
    const part = a === 'first' || a === '1st' ? 'first half' : 'second half';
    const year = yearAt(c);
    return year === undefined ? { kind: 'part', part } : { kind: 'part', part, year };
  }
  const q = a ? /^(h|q)([1-4])$/.exec(a) : null;
  if (q && rest.length <= 2 && (b === undefined || yearAt(b) !== undefined) && (q[1] === 'q' || Number(q[2]) <= 2)) {
    const part = q[1] === 'h' ? (q[2] === '1' ? 'first half' : 'second half') : (`Q${q[2]}` as 'Q1' | 'Q2' | 'Q3' | 'Q4');
    const year = yearAt(b);
    return year === undefined ? { kind: 'part', part } : { kind: 'part', part, year };
  }
  return undefined;
}

/** The words of a period, cleaned; a typed word that is no date may still be one after cleaning ("July,"). */
const cleaned = (words: readonly string[]) => words.map(clean).filter((w) => w !== '');

/**
 * Reads a period as people type it — a day, a month, a year, "since …", "between … and …", "this
 * week", "last month", "the last 30 days", "first half of 2026" — into a PeriodSpec, to be placed
 * against today with resolvePeriod. Throws a UserError naming the forms.
 */
export function parsePeriod(text: string, label = 'The period'): PeriodSpec {
  let spec: PeriodSpec | undefined;
  try {
    spec = specOf(cleaned(text.trim().split(/\s+/)));
  } catch (error) {
    // A date that is no real one ("2026-02-30") says why.
    if (error instanceof UserError) throw new UserError(error.message.replace(/^The date/, label));
    throw error;
  }
  if (!spec) throw new UserError(`${label} must be ${PERIOD_FORMS}`);
  return spec;
}

/** Words a period can start with, besides month names and words with digits: most words rule one out at once. */
const STARTS = new Set([
  ...LEADING,
  ...SINCE,
  'today',
  'yesterday',
  'this',
  'current',
  'last',
  'past',
  'previous',
  'between',
  'first',
  'second',
  '1st',
  '2nd',
  'h1',
  'h2',
  'q1',
  'q2',
  'q3',
  'q4',
]);

/**
 * The period starting at `words[start]`: how many words make it (the longest that reads as one),
 * and what it says — undefined `spec` for a real-looking date that is none ("Feb 30"), whose words
 * still make the period (its option says what is wrong). Undefined when none starts there.
 */
export function periodAt(words: readonly string[], start: number): { length: number; spec?: PeriodSpec } | undefined {
  const first = words[start] === undefined ? '' : clean(words[start]!);
  if (!STARTS.has(first) && !MONTHS.has(first) && !/\d/.test(first)) return undefined;
  const end = Math.min(words.length, start + 8);
  for (let stop = end; stop > start; stop--) {
    const slice = cleaned(words.slice(start, stop));
    try {
      const spec = specOf(slice);
      if (spec) return { length: stop - start, spec };
    } catch (error) {
      if (error instanceof UserError) return { length: stop - start };
      throw error;
    }
  }
  return undefined;
}

/** How many of `words`, from `start`, make one period; 0 when none starts there. */
export function periodWordsAt(words: readonly string[], start: number): number {
  return periodAt(words, start)?.length ?? 0;
}
