import { z } from 'zod';
import { type CommandContext, defineCommand } from '../src/commands/defineCommand.js';
import { describeOutcome, outcomeMark } from '../src/commands/describeOutcome.js';
import { categoryOption, dateOption, integerOption, periodOption } from '../src/commands/options.js';
import { assertNotFuture, defaultSince, periodAsked, withExample } from '../src/commands/period.js';
import { answersPrivately, askerProfile, describeLanes } from '../src/commands/personal.js';
import type { ChartPoint } from '../src/core/chartSpec.js';
import { checkLanes, describeLane, laneName, laneNeeds, nominationNote, undecidedNote } from '../src/core/checkLanes.js';
import { categoryLabel, drawLink, drawsOf, PNP_NOTE, shortLabel } from '../src/core/describeDraw.js';
import { emptyPeriod } from '../src/core/emptyPeriod.js';
import { formatDate, plural } from '../src/core/format.js';
import { type DrawOutcome, type Qualification, qualify } from '../src/core/qualify.js';
import type { Reply } from '../src/core/reply.js';
import { today } from '../src/core/today.js';
import { inLanes, verdictFor } from '../src/core/verdict.js';
import type { Profile } from '../src/domain/profile.js';
import { resolveCategory } from '../src/domain/resolveCategory.js';
import { UserError } from '../src/domain/userError.js';

const SCORE_MESSAGE = 'The CRS score must be a whole number from 0 to 1200';

/** Without a score, and no profile to take it from: today's message, and where a saved one comes from. */
export const NO_SCORE = `${SCORE_MESSAGE}. For example: /check 470 healthcare — or save yours once with /profile 470 healthcare in a private chat, then send /check alone.`;

/** The asker's profile for a /check without a score; refused where others would read the answer. */
async function profileToCheck(ctx: CommandContext): Promise<Profile> {
  const profile = await askerProfile(ctx);
  if (!profile) throw new UserError(NO_SCORE);
  if (!answersPrivately(ctx.chat)) {
    throw new UserError('Profiles are private — send /check to me in a private chat, or give a score here: /check 470 cec.');
  }
  return profile;
}

/**
 * The qualification over the profile's lanes only (general draws and the categories it names), each
 * tie settled by its submission time where it has one.
 */
function forProfile(result: Qualification, profile: Profile, submittedAt: string | undefined, byLane: boolean): Qualification {
  const draws: DrawOutcome[] = [];
  let invited = 0;
  let undecided = 0;
  for (const d of result.draws) {
    if (byLane && !inLanes(profile, d.draw)) continue;
    const outcome = verdictFor(d.draw, profile.crs, submittedAt);
    if (outcome.invited === true) invited++;
    else if (outcome.invited === null) undecided++;
    draws.push(outcome);
  }
  const latest = byLane ? (draws[0] ?? result.latest) : result.latest && verdictFor(result.latest.draw, profile.crs, submittedAt);
  return { ...result, draws, invited, undecided, latest };
}

/** "-5", "470.5": a score gone wrong, which lands in the category now that the score may be left out. */
const NUMBERISH = /^[-+]?\d[\d.,]*$/;

/**
 * The category option, telling a mistyped score as such rather than as an unknown category. Read
 * in run(), after the score: without a score or a profile, "/check abc" is about the score.
 */
const category = z
  .string()
  .max(100, { error: 'That category name is too long' })
  .refine((value) => !NUMBERISH.test(value.trim()), { error: SCORE_MESSAGE })
  .optional()
  .meta(categoryOption().meta()!);

/** The category typed, or the UserError the option's validation would have given (with its example). */
function categoryOf(typed: string) {
  try {
    return resolveCategory(typed);
  } catch (error) {
    if (error instanceof UserError) throw withExample(error, '/check 470 healthcare');
    throw error;
  }
}

/** Rows of the per-draw table; older draws are summed up, not listed. */
const MAX_ROWS = 15;

function point(d: DrawOutcome, lane?: string): ChartPoint {
  const p: ChartPoint = { date: d.draw.date, crs: d.draw.crs, round: d.draw.round, highlight: d.invited === true };
  if (lane) p.lane = lane;
  return p;
}

export const check = defineCommand({
  name: 'check',
  description: 'Would your CRS score have been invited? Per draw, with tie-breaks',
  options: z.strictObject({
    crs: integerOption({
      description: 'Your CRS score (0-1200); left out, the one your /profile saved',
      min: 0,
      max: 1200,
      label: 'The CRS score',
    }).optional(),
    category,
    period: periodOption('Which draws: since 2025-01-01, 2025, last month, July… (default: the last 12 months)'),
    profile_date: dateOption('When you submitted your Express Entry profile, YYYY-MM-DD (decides ties)', 'The profile date'),
  }),
  examples: [
    '/check 470 healthcare',
    '/check 480 cec since 2025-01-01',
    '/check 480 cec 2025',
    '/check 470 french last month',
    '/check 462 healthcare profile_date=2024-11-30',
  ],
  async run({ crs: typedCrs, category: typedCategory, period: asked, profile_date: typedDate }, ctx) {
    const { data, now } = ctx;
    assertNotFuture(typedDate, now, 'The profile date', '/check 470 healthcare profile_date=2025-01-31');
    const profile = typedCrs === undefined ? await profileToCheck(ctx) : undefined;
    const category = typedCategory === undefined ? undefined : categoryOf(typedCategory);
    const resolved = asked && periodAsked(asked, now, '/check 470 cec since 2025-01-01');
    const crs = typedCrs ?? profile!.crs;
    // A date typed now wins over the saved submission time; the saved one may hold the time of day.
    const submittedAt = typedDate ?? profile?.submittedAt;
    const profile_date = submittedAt?.slice(0, 10);
    const from = resolved?.from ?? defaultSince(now);
    const during = resolved?.label ?? `since ${formatDate(from)}`;
    const qualified = qualify(data, { crs, category, since: from, until: resolved?.to, profileDate: profile_date });
    const result = profile ? forProfile(qualified, profile, submittedAt, !category) : qualified;
    const lines: string[] = [];
    if (profile) lines.push(`From your profile: CRS ${crs}; lanes ${describeLanes(profile)}.`);
    const personal = profile ? { private: true as const } : {};
    if (!result.latest) {
      return {
        kind: 'answer',
        title: `CRS ${crs}`,
        lines: [...lines, `There have been no ${drawsOf(category)} yet; /categories shows the categories IRCC has used.`],
        category,
        ...personal,
      };
    }
    const latest = result.latest;
    // Without a category, one count of every draw would mix draws few can enter (PNP, French,
    // physicians…) with those open to all: each kind of draw gets its own line instead.
    const lanes = checkLanes(result.draws, profile_date, crs);
    const perLane = !category && result.draws.length > 0;
    if (perLane) {
      lines.push(`Per kind of draw ${during}: only general draws are open to every program.`);
      if (lanes[0]?.category !== 'general') {
        const general = data.inCategory('general')[0];
        lines.push(
          `General (${laneNeeds('general')}): no draws${general ? `; the latest, #${general.round} on ${formatDate(general.date)}, had a cut-off of ${general.crs}` : ''}.`,
        );
      }
      for (const lane of lanes) lines.push(describeLane(lane, crs));
    } else {
      lines.push(
        `Latest ${category ? `${shortLabel(category)} ` : ''}draw, #${latest.draw.round} on ${formatDate(latest.draw.date)} (${category ? '' : `${shortLabel(latest.draw.category)}, `}cut-off ${latest.draw.crs}): ${describeOutcome(latest.outcome)}.`,
      );
      if (result.draws.length === 0) {
        lines.push(resolved ? emptyPeriod(data, category, resolved, today(now)) : `No ${drawsOf(category)} ${during}.`);
      } else {
        let summary = `${crs} would have made ${result.invited} of ${plural(result.draws.length, category ? `${shortLabel(category)} draw` : 'draw')} ${during}`;
        if (result.undecided) summary += `; ${undecidedNote(result.undecided)}`;
        const nominated = lanes[0]?.nominated;
        if (nominated) summary += `; ${nominationNote(crs, nominated, result.draws.length)}`;
        lines.push(`${summary}.`);
      }
    }
    if (!profile_date && result.undecided) {
      lines.push(profile ? 'Add submitted=YYYY-MM-DD to your /profile to settle ties.' : 'Add profile_date=YYYY-MM-DD to settle ties.');
    }
    if (category === 'pnp' || lanes.some((lane) => lane.category === 'pnp')) lines.push(PNP_NOTE);
    const shown = result.draws.slice(0, MAX_ROWS);
    if (result.draws.length > MAX_ROWS) lines.push(`Table: the ${MAX_ROWS} newest of ${result.draws.length}.`);
    const names = new Map(lanes.map((lane) => [lane.category, laneName(lane.category)]));
    let table: Reply['table'];
    if (shown.length) {
      table = perLane
        ? {
            columns: ['Date', 'Round', 'Draw', 'Cut-off', '', 'Result'],
            rows: shown.map((d) => [
              d.draw.date,
              `#${d.draw.round}`,
              shortLabel(d.draw.category),
              String(d.draw.crs),
              outcomeMark(d.invited),
              describeOutcome(d.outcome),
            ]),
            align: ['left', 'right', 'left', 'right', 'left', 'left'],
          }
        : {
            columns: ['Date', 'Round', 'Cut-off', '', 'Result'],
            rows: shown.map((d) => [
              d.draw.date,
              `#${d.draw.round}`,
              String(d.draw.crs),
              outcomeMark(d.invited),
              describeOutcome(d.outcome),
            ]),
            align: ['left', 'right', 'right', 'left', 'left'],
          };
    }
    const period = result.draws.length ? `${formatDate(from)} – ${formatDate(result.draws[0]!.draw.date)}` : '';
    return {
      kind: 'answer',
      title: `CRS ${crs} — ${drawsOf(category)} ${during}`,
      lines,
      table,
      chart: !result.draws.length
        ? undefined
        : perLane
          ? {
              title: `CRS ${crs} vs each kind of draw`,
              subtitle: `${period}: a line per kind of draw; only general draws are open to every program`,
              points: result.draws.map((d) => point(d, names.get(d.draw.category))).reverse(),
              lanes: [...names.values()],
              threshold: { value: crs, label: `Your CRS: ${crs}` },
            }
          : {
              title: `CRS ${crs} vs ${category ? categoryLabel(category) : 'all draws'}`,
              subtitle: `${period}: ${crs} would have made ${result.invited} of ${plural(result.draws.length, 'draw')}`,
              points: result.draws.map((d) => point(d)).reverse(),
              threshold: { value: crs, label: `Your CRS: ${crs}` },
            },
      link: drawLink(latest.draw),
      category,
      ...personal,
    };
  },
});
