import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { outcomeMark } from '../src/commands/describeOutcome.js';
import { categoryOption, integerOption, periodOption } from '../src/commands/options.js';
import { periodAsked } from '../src/commands/period.js';
import { privateProfile } from '../src/commands/personal.js';
import { categoryLabel, drawsOf, pnpNoteFor, shortLabel } from '../src/core/describeDraw.js';
import { drawHistory } from '../src/core/drawHistory.js';
import { emptyPeriod } from '../src/core/emptyPeriod.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';
import { today } from '../src/core/today.js';
import { inLanes, verdictFor } from '../src/core/verdict.js';

/** Without a period: the last 10; within one, all of it up to the most a table shows. */
const DEFAULT_COUNT = 10;
const MAX_COUNT = 50;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const history = defineCommand({
  name: 'history',
  description: 'The last draws (default 10, at most 50), overall or in one category, in a period',
  options: z.strictObject({
    category: categoryOption(),
    count: integerOption({
      description: 'How many draws (1-50; default 10, or all in the period)',
      min: 1,
      max: MAX_COUNT,
      label: 'The count',
    }).optional(),
    period: periodOption(),
  }),
  examples: ['/history healthcare', '/history cec 20', '/history cec since January', '/history french July 2026', '/history last month'],
  async run({ category, count, period: asked }, ctx) {
    const { data, now } = ctx;
    const period = asked && periodAsked(asked, now, '/history cec since January');
    // Within a period, all of its draws are counted once and the latest shown.
    const inPeriod = period ? data.between(category, period.from, period.to) : undefined;
    const draws = inPeriod ? inPeriod.slice(0, count ?? MAX_COUNT) : drawHistory(data, { category, count: count ?? DEFAULT_COUNT });
    if (draws.length === 0) {
      if (period) {
        return {
          kind: 'answer',
          title: `${capitalised(drawsOf(category))} ${period.label}`,
          lines: [emptyPeriod(data, category, period, today(now))],
          category,
        };
      }
      return {
        kind: 'answer',
        title: `No ${categoryLabel(category)} draws yet`,
        lines: ['/categories shows the categories IRCC has used.'],
        category,
      };
    }
    const oldest = draws[draws.length - 1]!.date;
    const newest = draws[0]!.date;
    const span = oldest === newest ? formatDate(newest) : `${formatDate(oldest)} – ${formatDate(newest)}`;
    // Personal marks only in a one-to-one chat: a group never reads anyone's score.
    const profile = await privateProfile(ctx);
    const mark = (d: (typeof draws)[number]) =>
      !profile ? [] : [inLanes(profile, d) ? outcomeMark(verdictFor(d, profile.crs, profile.submittedAt).invited) : '–'];
    const columns = [
      ...(category ? ['Date', 'Round', 'Invited', 'CRS'] : ['Date', 'Round', 'Category', 'Invited', 'CRS']),
      ...(profile ? ['You'] : []),
    ];
    const shownOf =
      inPeriod && inPeriod.length > draws.length
        ? [
            `The latest ${draws.length} of the ${inPeriod.length} ${drawsOf(category)} ${period!.label}; give a shorter period for the rest.`,
          ]
        : [];
    const lines = [
      ...shownOf,
      ...(profile
        ? [
            `You: ✓ your ${profile.crs} would have made it, ✗ not, ? a tie (your /profile's submission time settles most), – not one of your lanes.`,
          ]
        : []),
      ...pnpNoteFor(draws),
    ];
    const align: Array<'left' | 'right'> = category ? ['left', 'right', 'right', 'right'] : ['left', 'right', 'left', 'right', 'right'];
    return {
      kind: 'answer',
      title: period
        ? `${plural(inPeriod!.length, drawsOf(category).replace(/s$/, ''))} ${period.label}`
        : `Last ${draws.length} ${drawsOf(category)}`,
      ...(lines.length ? { lines } : {}),
      table: {
        columns,
        rows: draws.map((d) => [
          d.date,
          `#${d.round}`,
          ...(category ? [] : [shortLabel(d.category)]),
          formatNumber(d.invitations),
          String(d.crs),
          ...mark(d),
        ]),
        align: profile ? [...align, 'left'] : align,
      },
      chart: {
        title: `${category ? categoryLabel(category) : 'All draws'} — CRS cut-offs, ${period ? period.label : `last ${plural(draws.length, 'draw')}`}`,
        subtitle: category ? span : `All categories, ${span}`,
        points: draws.map((d) => ({ date: d.date, crs: d.crs, round: d.round })).reverse(),
        ...(profile ? { threshold: { value: profile.crs, label: `Your CRS: ${profile.crs}` } } : {}),
      },
      category,
    };
  },
});
