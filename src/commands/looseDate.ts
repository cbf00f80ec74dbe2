import { DateTime, Info } from 'luxon';
import { UserError } from '../domain/userError.js';

const ENGLISH = { locale: 'en' };
const LONG_MONTHS = Info.months('long', ENGLISH);

/** Month words people type: "january", "jan", "jan." and "sept", to their number. */
const MONTH_WORDS = new Map<string, number>([
  ...LONG_MONTHS.map((name, i) => [name.toLowerCase(), i + 1] as const),
  ...Info.months('short', ENGLISH).map((name, i) => [name.toLowerCase(), i + 1] as const),
  ['sept', 9],
]);

/** 2025-1-2, 2025/01/02, 2025.01.02, 02/01/2025: one separator, used twice. */
const NUMERIC = /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})$/;
const DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/;
const YEAR = /^\d{4}$/;

/** A typed word without the comma or full stop around it: "2," → "2", "Jan." → "jan". */
function clean(word: string): string {
  // A loop, not /[,.]+$/: that regex retries every start of a long run of commas.
  let start = 0;
  let end = word.length;
  while (start < end && word[start] === ',') start++;
  while (end > start && (word[end - 1] === ',' || word[end - 1] === '.')) end--;
  return word.slice(start, end).toLowerCase();
}

const monthOf = (word: string | undefined) => (word === undefined ? undefined : MONTH_WORDS.get(clean(word)));
const dayOf = (word: string | undefined) => {
  const match = word === undefined ? null : DAY.exec(clean(word));
  return match ? Number(match[1]) : undefined;
};
const yearOf = (word: string | undefined) => (word !== undefined && YEAR.test(clean(word)) ? Number(clean(word)) : undefined);

/**
 * How many of `words`, from `start`, write one date: 1 for "2025-01-02", 3 for "Jan 2 2025" or
 * "2 January 2025", 2 for a date missing its year or day ("Jan 2", "Jan 2025", refused later with a
 * sentence about it), 0 when no date starts there. Lets a command line gather a date's words.
 */
export function dateWordsAt(words: readonly string[], start: number): number {
  const [first, second, third] = [words[start], words[start + 1], words[start + 2]];
  if (first === undefined) return 0;
  if (NUMERIC.test(first)) return 1;
  if (monthOf(first) !== undefined) {
    if (dayOf(second) !== undefined) return yearOf(third) !== undefined ? 3 : 2;
    return yearOf(second) !== undefined ? 2 : 0;
  }
  if (dayOf(first) !== undefined && monthOf(second) !== undefined) return yearOf(third) !== undefined ? 3 : 2;
  if (yearOf(first) !== undefined && monthOf(second) !== undefined && dayOf(third) !== undefined) return 3;
  return 0;
}

/**
 * Reads a date as people write it — 2025-01-02, 2025-1-2, 2025/01/02, Jan 2 2025, Jan 2, 2025,
 * 2 January 2025, 13/01/2025 — to YYYY-MM-DD. A day/month order that only the writer knows
 * (01/02/2025) is refused with both readings rather than guessed. A bare year is refused too: the
 * same reader serves the profile date, where a guessed January 1 would silently decide tie-breaks.
 * `label` starts each message ("The since date …").
 */
export function parseLooseDate(text: string, label = 'The date'): string {
  const typed = text.trim().replace(/\s+/g, ' ');
  const shown = typed.length > 30 ? `${typed.slice(0, 30)}…` : typed;
  const unreadable = new UserError(`${label} must be a date such as 2025-01-31 or Jan 31 2025`);
  const numeric = NUMERIC.exec(typed);
  if (numeric) {
    const [a, b, c] = [numeric[1]!, numeric[3]!, numeric[4]!];
    if (a.length === 4) return validDate(Number(a), Number(b), Number(c), label, shown);
    if (c.length !== 4) throw unreadable;
    return dayMonthYear(Number(a), Number(b), Number(c), label, shown);
  }
  const words = typed.split(' ');
  if (words.length === 1 && yearOf(words[0]) !== undefined) {
    throw new UserError(`${label} needs a month and a day too, such as ${words[0]}-01-01 for the start of ${words[0]}`);
  }
  if (dateWordsAt(words, 0) !== words.length) throw unreadable;
  const [first, second, third] = words;
  const year = yearOf(third) ?? yearOf(first) ?? yearOf(second);
  if (year === undefined) throw new UserError(`${label} ${shown} needs a year too, such as ${shown} 2025`);
  const month = monthOf(first) ?? monthOf(second);
  const day = dayOf(yearOf(first) !== undefined ? third : monthOf(first) !== undefined ? second : first);
  if (month === undefined || day === undefined)
    throw new UserError(`${label} ${shown} needs a day too, such as ${shown.replace(/ /, ' 1 ')}`);
  return validDate(year, month, day, label, shown);
}

/** 13/01/2025 and 01/13/2025: whichever part is over 12 is the day; equal parts read the same both ways. */
function dayMonthYear(a: number, b: number, year: number, label: string, shown: string): string {
  if (a > 12 || b > 12 || a === b) return a > 12 ? validDate(year, b, a, label, shown) : validDate(year, a, b, label, shown);
  const monthFirst = validDate(year, a, b, label, shown);
  const dayFirst = validDate(year, b, a, label, shown);
  const short = (iso: string) => DateTime.fromISO(iso).toFormat('LLL d', ENGLISH);
  throw new UserError(
    `${label} ${shown} could be ${short(monthFirst)} or ${short(dayFirst)}, ${year}; write it as ${monthFirst} or ${dayFirst}`,
  );
}

function validDate(year: number, month: number, day: number, label: string, shown: string): string {
  if (month < 1 || month > 12) throw new UserError(`${label} ${shown} is not a real date: there is no month ${month}`);
  const date = DateTime.fromObject({ year, month, day }, ENGLISH);
  if (!date.isValid) {
    const days = DateTime.fromObject({ year, month }).daysInMonth;
    throw new UserError(`${label} ${shown} is not a real date: ${LONG_MONTHS[month - 1]} ${year} has ${days} days`);
  }
  return date.toISODate()!;
}
