import { CATEGORIES, categoryInfo } from '../domain/categories.js';
import type { CategorySlug, Draw } from '../domain/drawSchema.js';
import { formatDate, formatNumber, plural } from './format.js';
import { type DrawOutcome, outcomeFor } from './qualify.js';

/** Points a provincial nomination adds, and so counted in every PNP cut-off. */
export const NOMINATION_POINTS = 600;

/** How a score fared in one kind of draw (a category) over a period. */
export interface Lane {
  category: CategorySlug;
  /** Draws of the period, invited, and undecided (ties the profile date settles). */
  draws: number;
  invited: number;
  undecided: number;
  /** The lane's newest draw of the period. */
  latest: Draw;
  /** PNP only, for a score that cannot include a nomination yet: the same score plus one. */
  nominated?: { crs: number; invited: number; undecided: number };
}

/** Program lanes in the order people know them; category-based ones follow in the table's order. */
const PROGRAMS: readonly CategorySlug[] = ['cec', 'fsw', 'fst', 'pnp'];

const RANK = new Map<CategorySlug, number>([
  ['general', 0],
  ...PROGRAMS.map((slug, i): [CategorySlug, number] => [slug, 1 + i]),
  ...CATEGORIES.filter((c) => c.slug !== 'general' && !PROGRAMS.includes(c.slug)).map((c, i): [CategorySlug, number] => [
    c.slug,
    1 + PROGRAMS.length + i,
  ]),
]);

/** General draws first (open to every program), then programs, then category-based draws. */
export function laneRank(category: CategorySlug): number {
  return RANK.get(category) ?? RANK.size;
}

/** "needs French-language proficiency", from the categories table: the reason a lumped count of every draw misleads. */
export function laneNeeds(category: CategorySlug): string {
  return categoryInfo(category).eligibility;
}

/** "CEC", "French", "Senior managers": a lane's name at the start of a line or in a legend. */
export function laneName(category: CategorySlug): string {
  const short = categoryInfo(category).short;
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/**
 * The score with a nomination's points, when the given score cannot already hold them: CRS stops at
 * 1,200, so a score above 600 is taken to include its nomination.
 */
export function withNomination(crs: number): number | undefined {
  return crs + NOMINATION_POINTS <= 1200 ? crs + NOMINATION_POINTS : undefined;
}

/**
 * The period's outcomes (newest first, as `qualify` gives them) split per category, in lane order.
 * One pass over the draws: `/check` without a category runs it on every draw of the period.
 */
export function checkLanes(draws: readonly DrawOutcome[], profileDate?: string, crs?: number): Lane[] {
  const lanes = new Map<CategorySlug, Lane>();
  const nominated = crs === undefined ? undefined : withNomination(crs);
  for (const d of draws) {
    let lane = lanes.get(d.draw.category);
    if (!lane) {
      lane = { category: d.draw.category, draws: 0, invited: 0, undecided: 0, latest: d.draw };
      if (d.draw.category === 'pnp' && nominated !== undefined) lane.nominated = { crs: nominated, invited: 0, undecided: 0 };
      lanes.set(d.draw.category, lane);
    }
    lane.draws++;
    if (d.invited === true) lane.invited++;
    else if (d.invited === null) lane.undecided++;
    if (lane.nominated) {
      const invited = outcomeFor(d.draw, lane.nominated.crs, profileDate).invited;
      if (invited === true) lane.nominated.invited++;
      else if (invited === null) lane.nominated.undecided++;
    }
  }
  return [...lanes.values()].sort((a, b) => laneRank(a.category) - laneRank(b.category));
}

/** "1 more depends on when your profile was submitted", as `/check` words undecided ties. */
export function undecidedNote(undecided: number): string {
  return `${undecided} more ${undecided === 1 ? 'depends' : 'depend'} on when your profile was submitted`;
}

/** "with a nomination 470 + 600 = 1,070 would have made 18 of 18" */
export function nominationNote(crs: number, nominated: NonNullable<Lane['nominated']>, draws: number): string {
  let note = `with a nomination ${crs} + ${NOMINATION_POINTS} = ${formatNumber(nominated.crs)} would have made ${nominated.invited} of ${draws}`;
  if (nominated.undecided) note += ` (${undecidedNote(nominated.undecided)})`;
  return note;
}

/**
 * One line of `/check` per lane: "French (needs French-language proficiency): would have made 11 of
 * 11 draws; latest cut-off 391 on Aug 6, 2026."
 */
export function describeLane(lane: Lane, crs: number): string {
  let line = `${laneName(lane.category)} (${laneNeeds(lane.category)}): would have made ${lane.invited} of ${plural(lane.draws, 'draw')}`;
  if (lane.undecided) line += ` (${undecidedNote(lane.undecided)})`;
  line += `; latest cut-off ${lane.latest.crs} on ${formatDate(lane.latest.date)}`;
  if (lane.nominated) line += `; ${nominationNote(crs, lane.nominated, lane.draws)}`;
  return `${line}.`;
}
