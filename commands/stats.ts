import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categoryOption, integerOption } from '../src/commands/options.js';
import { defaultSince } from '../src/commands/period.js';
import { drawsOf, PNP_NOTE } from '../src/core/describeDraw.js';
import { drawStats } from '../src/core/drawStats.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';
import { today } from '../src/core/today.js';
import { UserError } from '../src/domain/userError.js';

/** Express Entry's first round was on 2015-01-31. */
const FIRST_YEAR = 2015;

export const stats = defineCommand({
  name: 'stats',
  description: 'Draw statistics for a category and year (default: the last 12 months)',
  options: z.strictObject({
    category: categoryOption(),
    // Any four-digit year passes here; run() says which years have draws, naming this year.
    year: integerOption({
      description: 'Calendar year, e.g. 2025 (default: the last 12 months)',
      min: 1000,
      max: 9999,
      label: 'The year',
    }).optional(),
  }),
  examples: ['/stats healthcare 2025', '/stats cec', '/stats 2024'],
  run({ category, year }, { data, now }) {
    const thisYear = Number(today(now).slice(0, 4));
    const example = `/stats ${category ?? 'cec'} ${thisYear - 1}`;
    if (year !== undefined && year > thisYear) {
      throw new UserError(`${year} has not happened yet; pick a year from ${FIRST_YEAR} to ${thisYear}, for example ${example}.`);
    }
    if (year !== undefined && year < FIRST_YEAR) {
      throw new UserError(
        `Express Entry draws began in ${FIRST_YEAR}; pick a year from ${FIRST_YEAR} to ${thisYear}, for example ${example}.`,
      );
    }
    const from = year ? `${year}-01-01` : defaultSince(now);
    const to = year ? `${year}-12-31` : undefined;
    const period = year ? String(year) : `since ${formatDate(from)}`;
    const s = drawStats(data, { category, from, to }, now);
    const lastLine = s.lastDate
      ? `Latest ${drawsOf(category).replace(/s$/, '')}: ${formatDate(s.lastDate)}, ${plural(s.daysSinceLast!, 'day')} ago.`
      : `There have been no ${drawsOf(category)} yet.`;
    if (s.draws === 0) {
      return {
        kind: 'answer',
        title: `${drawsOf(category)} ${period}`.replace(/^./, (c) => c.toUpperCase()),
        lines: [`No ${drawsOf(category)} ${period}.`, lastLine],
        category,
      };
    }
    return {
      kind: 'answer',
      title: `${drawsOf(category)} ${period}`.replace(/^./, (c) => c.toUpperCase()),
      fields: [
        { name: 'Draws', value: formatNumber(s.draws), inline: true },
        { name: 'Invitations', value: formatNumber(s.invitations), inline: true },
        { name: 'Cut-off min / median / max', value: `${s.minCrs} / ${s.medianCrs} / ${s.maxCrs}`, inline: true },
        {
          name: 'Average gap',
          value: s.averageDaysBetween === null ? 'one draw only' : `${s.averageDaysBetween.toFixed(1)} days between draws`,
          inline: true,
        },
      ],
      lines: [lastLine, ...(category === 'pnp' ? [PNP_NOTE] : [])],
      category,
    };
  },
});
