import type { Draw } from '../domain/drawSchema.js';
import { ottawaDate } from '../domain/ottawa.js';
import { FeedError } from './feedError.js';

/** What a round IRCC could have published looks like. */
export const PLAUSIBLE = {
  /** IRCC's round numbers: "379", "91a". */
  roundShape: /^\d{1,4}[a-z]?$/,
  crs: { min: 0, max: 1200 },
  invitations: { min: 1, max: 100_000 },
  /** Per field of a round (a list of programs counts as one field). */
  maxFieldChars: 4096,
  /** New rounds one sync may add to rounds already held, plus `newPerDay` per day since the newest of them. */
  newAtOnce: 5,
  /** IRCC has never published more than 4 rounds in 7 days: one a day is generous. */
  newPerDay: 1,
} as const;

export interface PlausibilityOptions {
  /** Today in Ottawa (YYYY-MM-DD, see ottawaToday): no round may be dated after it. */
  today: string;
  /**
   * The rounds held before this body. The count and numbering rules compare with them; none
   * (a first import into an empty file) leaves them out.
   */
  held?: readonly Draw[];
  /** `npm run sync -- --allow-many`: a deliberate import may add any number of rounds at once. */
  allowMany?: boolean;
  /** Stop after this many reasons (default 10). */
  limit?: number;
}

/** The day in Ottawa of `now`: IRCC dates its rounds by it. */
export function ottawaToday(now: Date): string {
  return ottawaDate(now.toISOString());
}

const DAY_MS = 86_400_000;

function shown(text: string): string {
  return JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
}

function fieldChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + fieldChars(item), 0);
  return 0;
}

/** The reasons one round could not be IRCC's, whatever else is held. */
function roundReasons(draw: Draw, today: string): string[] {
  const reasons: string[] = [];
  const round = shown(draw.round);
  if (!PLAUSIBLE.roundShape.test(draw.round)) reasons.push(`round ${round} is not numbered like IRCC's rounds (at most 4 digits)`);
  if (draw.date > today) reasons.push(`round ${round} is dated ${draw.date}, after today (${today} in Ottawa)`);
  if (!(draw.crs >= PLAUSIBLE.crs.min && draw.crs <= PLAUSIBLE.crs.max))
    reasons.push(`round ${round} has a cut-off of ${draw.crs} (CRS runs ${PLAUSIBLE.crs.min}–${PLAUSIBLE.crs.max})`);
  if (!(draw.invitations >= PLAUSIBLE.invitations.min && draw.invitations <= PLAUSIBLE.invitations.max))
    reasons.push(
      `round ${round} has ${draw.invitations} invitations (plausible: ${PLAUSIBLE.invitations.min}–${PLAUSIBLE.invitations.max})`,
    );
  for (const [field, value] of Object.entries(draw)) {
    const chars = fieldChars(value);
    if (chars > PLAUSIBLE.maxFieldChars)
      reasons.push(`round ${round} has a ${field} of ${chars} characters (at most ${PLAUSIBLE.maxFieldChars})`);
  }
  return reasons;
}

function roundNumber(round: string): number {
  return Number.parseInt(round, 10);
}

/**
 * Why these rounds could not all be IRCC's, first problem first; empty when they are plausible.
 * Pure: the sanity gate `syncDataset` runs before any merge (live sync and `npm run sync`), and
 * the one `openDrawStore` runs on a runtime file at load (without `held`).
 *
 * Each round: a number shaped like IRCC's, dated no later than today in Ottawa, a cut-off within
 * CRS's range, 1–100,000 invitations, no field over 4 KB. Against rounds held, unless `allowMany`:
 * at most 5 new rounds, plus one per day since the newest held round (a bot that was off for a
 * month catches up; a body with thousands of invented rounds does not), and no new round numbered
 * beyond the newest held number by more than that (IRCC numbers its rounds one by one).
 */
export function checkPlausible(draws: readonly Draw[], options: PlausibilityOptions): string[] {
  const limit = options.limit ?? 10;
  const reasons: string[] = [];
  for (const draw of draws) {
    reasons.push(...roundReasons(draw, options.today));
    if (reasons.length >= limit) return reasons.slice(0, limit);
  }
  const held = options.held ?? [];
  if (held.length === 0 || options.allowMany) return reasons;

  const known = new Set(held.map((d) => d.round));
  const fresh = draws.filter((d) => !known.has(d.round));
  let newestDate = held[0]!.date; // dates as YYYY-MM-DD strings: compared as text
  for (const d of held) if (d.date > newestDate) newestDate = d.date;
  const days = Math.max(0, Math.floor((Date.parse(options.today) - Date.parse(newestDate)) / DAY_MS));
  const allowed = PLAUSIBLE.newAtOnce + PLAUSIBLE.newPerDay * days;
  if (fresh.length > allowed) {
    const listed =
      fresh.length > 5
        ? `${fresh
            .slice(0, 5)
            .map((d) => shown(d.round))
            .join(', ')}, …`
        : fresh.map((d) => shown(d.round)).join(', ');
    reasons.push(
      `the feed adds ${fresh.length} rounds at once (${listed}); at most ${allowed} are plausible ${days} day(s) after the newest round held (${newestDate})`,
    );
  }
  const highest = held.reduce((max, d) => Math.max(max, roundNumber(d.round) || 0), 0);
  if (highest > 0) {
    for (const draw of fresh) {
      if (reasons.length >= limit) break;
      if (roundNumber(draw.round) > highest + allowed)
        reasons.push(
          `round ${shown(draw.round)} is numbered far beyond the newest round held (${highest}); IRCC numbers its rounds one by one`,
        );
    }
  }
  return reasons.slice(0, limit);
}

/** checkPlausible, as a FeedError naming the first problem (and how many more) when there is one. */
export function assertPlausible(draws: readonly Draw[], options: PlausibilityOptions): void {
  const reasons = checkPlausible(draws, options);
  if (reasons.length === 0) return;
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1}${reasons.length >= (options.limit ?? 10) ? '+' : ''} more)` : '';
  throw new FeedError(`implausible feed: ${reasons[0]}${more}`);
}
