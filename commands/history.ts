import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categoryOption, integerOption } from '../src/commands/options.js';
import { categoryLabel, drawsOf, pnpNoteFor, shortLabel } from '../src/core/describeDraw.js';
import { drawHistory } from '../src/core/drawHistory.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';

export const history = defineCommand({
  name: 'history',
  description: 'The last draws (default 10, at most 50), overall or in one category',
  options: z.strictObject({
    category: categoryOption(),
    count: integerOption({ description: 'How many draws (1-50, default 10)', min: 1, max: 50, label: 'The count' }).default(10),
  }),
  examples: ['/history healthcare', '/history cec 20', '/history 5'],
  run({ category, count }, { data }) {
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
    const columns = category ? ['Date', 'Round', 'Invited', 'CRS'] : ['Date', 'Round', 'Category', 'Invited', 'CRS'];
    return {
      kind: 'answer',
      title: `Last ${draws.length} ${drawsOf(category)}`,
      ...(pnpNoteFor(draws).length ? { lines: pnpNoteFor(draws) } : {}),
      table: {
        columns,
        rows: draws.map((d) => [
          d.date,
          `#${d.round}`,
          ...(category ? [] : [shortLabel(d.category)]),
          formatNumber(d.invitations),
          String(d.crs),
        ]),
        align: category ? ['left', 'right', 'right', 'right'] : ['left', 'right', 'left', 'right', 'right'],
      },
      chart: {
        title: `${category ? categoryLabel(category) : 'All draws'} — CRS cut-offs, last ${plural(draws.length, 'draw')}`,
        subtitle: category ? period : `All categories, ${period}`,
        points: draws.map((d) => ({ date: d.date, crs: d.crs, round: d.round })).reverse(),
      },
      category,
    };
  },
});
