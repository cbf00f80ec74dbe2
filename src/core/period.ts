import { UserError } from '../domain/userError.js';
import { daysBetween } from './today.js';

/**
 * A span of days as people name one — a day, a month, a year, "since January", "between May 1 and
 * June 30", "last month", "the last 30 days" — resolved against today in Ottawa. Both ends count.
 */
export interface Period {
  /** YYYY-MM-DD, the first day. */
  from: string;
  /** YYYY-MM-DD, the last day: never after today. */
  to: string;
  /** How answers name it in a sentence: "in November 2026", "since Jan 1, 2026", "on Jul 21, 2026", "this week (Nov 30 – Dec 6, 2026)". */
  label: string;
  /** One day: asked about that day's rounds. */
  day?: true;
}

/** A point people name: a day, a day without its year ("July 21"), a month (maybe without its year), a year. */
export type PeriodPoint =
  | { unit: 'day'; year?: number; month: number; day: number }
  | { unit: 'month'; year?: number; month: number }
  | { unit: 'year'; year: number };

/** What a period phrase says, before it is placed against today (parsePeriod reads it from text). */
export type PeriodSpec =
  | { kind: 'point'; point: PeriodPoint }
  | { kind: 'since'; point: PeriodPoint }
  | { kind: 'between'; from: PeriodPoint; to: PeriodPoint }
  | { kind: 'current' | 'previous'; unit: 'week' | 'month' | 'year' }
  | { kind: 'recent'; count: number; unit: 'day' | 'week' | 'month' }
  | { kind: 'today' | 'yesterday' }
  | { kind: 'part'; part: 'first half' | 'second half' | 'Q1' | 'Q2' | 'Q3' | 'Q4'; year?: number };

/** Express Entry's first round. */
export const FIRST_ROUND_DATE = '2015-01-31';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const shortDate = (date: string) => `${SHORT[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}, ${date.slice(0, 4)}`;
/** "Nov 30 – Dec 6, 2026", "Dec 28, 2025 – Jan 3, 2026". */
export function spanText(from: string, to: string): string {
  if (from === to) return shortDate(from);
  if (from.slice(0, 4) === to.slice(0, 4)) return `${shortDate(from).slice(0, -6)} – ${shortDate(to)}`;
  return `${shortDate(from)} – ${shortDate(to)}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The same day `months` months earlier, kept within the month (Mar 31 less a month is Feb 28). */
function monthsBefore(date: string, months: number): string {
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return iso(year, month, Math.min(Number(date.slice(8, 10)), daysIn(year, month)));
}

interface Span {
  from: string;
  to: string;
  /** "July 2026", "Jul 21, 2026", "2026". */
  text: string;
}

/** A point's days, its missing year filled in: the most recent such day or month that has begun by `today`. */
function span(point: PeriodPoint, today: string, year: number | undefined = point.year): Span {
  const thisYear = Number(today.slice(0, 4));
  if (point.unit === 'year') return { from: iso(point.year, 1, 1), to: iso(point.year, 12, 31), text: String(point.year) };
  if (point.unit === 'month') {
    let y = year ?? thisYear;
    if (year === undefined && iso(y, point.month, 1) > today) y--;
    return { from: iso(y, point.month, 1), to: iso(y, point.month, daysIn(y, point.month)), text: `${MONTH_NAMES[point.month - 1]} ${y}` };
  }
  let y = year ?? thisYear;
  if (year === undefined && iso(y, point.month, point.day) > today) y--;
  if (point.day > daysIn(y, point.month)) {
    throw new UserError(
      `${MONTH_NAMES[point.month - 1]} ${y} has ${daysIn(y, point.month)} days; pick a day that exists, e.g. ${SHORT[point.month - 1]} 1 ${y}.`,
    );
  }
  const date = iso(y, point.month, point.day);
  return { from: date, to: date, text: shortDate(date) };
}

/**
 * The two ends of "between A and B". Without B's year, A is the most recent one that has begun and
 * B the first after it ("between May 1 and June 30" in mid-June runs to today); with B's year and
 * not A's, A takes B's year, or the one before ("between December and February 2026").
 */
function between(from: PeriodPoint, to: PeriodPoint, today: string): { start: Span; end: Span } {
  if (to.year === undefined) {
    const start = span(from, today);
    const startYear = Number(start.from.slice(0, 4));
    const end = span(to, today, startYear);
    return { start, end: end.to < start.from ? span(to, today, startYear + 1) : end };
  }
  const end = span(to, today);
  const endYear = Number(end.to.slice(0, 4));
  const start = span(from, today, from.year ?? endYear);
  return { start: start.from > end.to && from.year === undefined ? span(from, today, endYear - 1) : start, end };
}

/** Monday of the week holding `date`. */
function weekStart(date: string): string {
  const weekday = (new Date(Date.parse(date)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** The period a spec names, placed against `today` (Ottawa's date), its end never past today. */
export function resolvePeriod(spec: PeriodSpec, today: string): Period {
  const period = place(spec, today);
  return checked(period, today);
}

function place(spec: PeriodSpec, today: string): Period {
  switch (spec.kind) {
    case 'today':
      return { from: today, to: today, label: `today (${shortDate(today)})`, day: true };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day, label: `yesterday (${shortDate(day)})`, day: true };
    }
    case 'point': {
      const s = span(spec.point, today);
      return spec.point.unit === 'day'
        ? { from: s.from, to: s.to, label: `on ${s.text}`, day: true }
        : { from: s.from, to: s.to, label: `in ${s.text}` };
    }
    case 'since': {
      const s = span(spec.point, today);
      return { from: s.from, to: today, label: `since ${s.text}` };
    }
    case 'between': {
      const { start, end } = between(spec.from, spec.to, today);
      if (start.from > end.to) {
        throw new UserError(`That period ends (${end.text}) before it starts (${start.text}); put the earlier date first.`);
      }
      return { from: start.from, to: end.to, label: `between ${start.text} and ${end.text}` };
    }
    case 'current': {
      const from =
        spec.unit === 'week' ? weekStart(today) : spec.unit === 'month' ? `${today.slice(0, 7)}-01` : `${today.slice(0, 4)}-01-01`;
      const name =
        spec.unit === 'year'
          ? today.slice(0, 4)
          : spec.unit === 'month'
            ? `${MONTH_NAMES[Number(today.slice(5, 7)) - 1]} ${today.slice(0, 4)}`
            : spanText(from, today);
      return { from, to: today, label: `this ${spec.unit} (${name})` };
    }
    case 'previous': {
      if (spec.unit === 'week') {
        const from = addDays(weekStart(today), -7);
        return { from, to: addDays(from, 6), label: `last week (${spanText(from, addDays(from, 6))})` };
      }
      if (spec.unit === 'month') {
        const before = monthsBefore(today, 1);
        const s = span({ unit: 'month', month: Number(before.slice(5, 7)), year: Number(before.slice(0, 4)) }, today);
        return { from: s.from, to: s.to, label: `last month (${s.text})` };
      }
      const year = Number(today.slice(0, 4)) - 1;
      return { from: iso(year, 1, 1), to: iso(year, 12, 31), label: `last year (${year})` };
    }
    case 'recent': {
      const from =
        spec.unit === 'month'
          ? addDays(monthsBefore(today, spec.count), 1)
          : addDays(today, -(spec.count * (spec.unit === 'week' ? 7 : 1)) + 1);
      const unit = spec.count === 1 ? spec.unit : `${spec.count} ${spec.unit}s`;
      return { from, to: today, label: `in the last ${unit} (${spanText(from, today)})` };
    }
    case 'part': {
      const thisYear = Number(today.slice(0, 4));
      const [first, last] = PARTS[spec.part];
      let year = spec.year ?? thisYear;
      if (spec.year === undefined && iso(year, first, 1) > today) year--;
      const name = spec.part.startsWith('Q') ? `${spec.part} ${year}` : `the ${spec.part} of ${year}`;
      return { from: iso(year, first, 1), to: iso(year, last, daysIn(year, last)), label: `in ${name}` };
    }
  }
}

const PARTS: Record<Extract<PeriodSpec, { kind: 'part' }>['part'], [number, number]> = {
  'first half': [1, 6],
  'second half': [7, 12],
  Q1: [1, 3],
  Q2: [4, 6],
  Q3: [7, 9],
  Q4: [10, 12],
};

/** A period wholly ahead, or before Express Entry began, is explained; one running past today ends today. */
function checked(period: Period, today: string): Period {
  // "between Jan 1, 2014 and Jan 30, 2015" reads as a span in these sentences.
  const name = period.label.replace(/^(in|on|since) /, '').replace(/^between (.+) and (.+)$/, '$1 – $2');
  if (period.from > today)
    throw new UserError(`${capitalise(name)} has not come yet (today is ${shortDate(today)}); pick a period up to today.`);
  if (period.to < FIRST_ROUND_DATE) {
    throw new UserError(`Express Entry draws began on ${shortDate(FIRST_ROUND_DATE)}, after ${name}; pick a period since then.`);
  }
  return period.to > today ? { ...period, to: today } : period;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "121 days ago", "today", "yesterday". */
export function agoText(date: string, today: string): string {
  const days = daysBetween(date, today);
  return days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}
