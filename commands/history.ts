import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { outcomeMark } from '../src/commands/describeOutcome.js';
import { categoryOption, integerOption } from '../src/commands/options.js';
import { privateProfile } from '../src/commands/personal.js';
import { categoryLabel, drawsOf, pnpNoteFor, shortLabel } from '../src/core/describeDraw.js';
import { drawHistory } from '../src/core/drawHistory.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';
import { inLanes, verdictFor } from '../src/core/verdict.js';

export const history = defineCommand({
  name: 'history',
  description: 'The last draws (default 10, at most 50), overall or in one category',
  options: z.strictObject({
    category: categoryOption(),
    count: integerOption({ description: 'How many draws (1-50, default 10)', min: 1, max: 50, label: 'The count' }).default(10),
  }),
  examples: ['/history healthcare', '/history cec 20', '/history 5'],
  async run({ category, count }, ctx) {
    const { data } = ctx;
    const draws = drawHistory(data, { category, count });
    if (draws.length === 0) {
      return {
        kind: 'answer',
        title: `No ${categoryLabel(category)} draws yet`,
        lines: ['/categories shows the categories IRCC has used.'],
        category,
      };
    }
    const oldest = draws[draws.length - 1]!.date;
    const newest = draws[0]!.date;
    const period = oldest === newest ? formatDate(newest) : `${formatDate(oldest)} – ${formatDate(newest)}`;
    // Personal marks only in a one-to-one chat: a group never reads anyone's score.
    const profile = await privateProfile(ctx);
    const mark = (d: (typeof draws)[number]) =>
      !profile ? [] : [inLanes(profile, d) ? outcomeMark(verdictFor(d, profile.crs, profile.submittedAt).invited) : '–'];
    const columns = [
      ...(category ? ['Date', 'Round', 'Invited', 'CRS'] : ['Date', 'Round', 'Category', 'Invited', 'CRS']),
      ...(profile ? ['You'] : []),
    ];
    const lines = [
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
      title: `Last ${draws.length} ${drawsOf(category)}`,
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
        title: `${category ? categoryLabel(category) : 'All draws'} — CRS cut-offs, last ${plural(draws.length, 'draw')}`,
        subtitle: category ? period : `All categories, ${period}`,
        points: draws.map((d) => ({ date: d.date, crs: d.crs, round: d.round })).reverse(),
        ...(profile ? { threshold: { value: profile.crs, label: `Your CRS: ${profile.crs}` } } : {}),
      },
      category,
    };
  },
});
