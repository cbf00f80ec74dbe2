import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categoryOption, periodOption } from '../src/commands/options.js';
import { defaultSince, periodAsked } from '../src/commands/period.js';
import { drawsOf, PNP_NOTE } from '../src/core/describeDraw.js';
import { drawStats } from '../src/core/drawStats.js';
import { emptyPeriod } from '../src/core/emptyPeriod.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';
import { today } from '../src/core/today.js';

export const stats = defineCommand({
  name: 'stats',
  description: 'Draw statistics for a category and a period (default: the last 12 months)',
  options: z.strictObject({
    category: categoryOption(),
    period: periodOption('A year (2025), a month (July 2026), since January, last month… (default: the last 12 months)'),
  }),
  examples: ['/stats healthcare 2025', '/stats cec', '/stats cec 2026-03', '/stats french since January', '/stats last month'],
  run({ category, period: asked }, { data, now }) {
    const resolved = asked && periodAsked(asked, now, '/stats cec 2025');
    const from = resolved ? resolved.from : defaultSince(now);
    const to = resolved?.to;
    const period = resolved ? resolved.label : `since ${formatDate(from)}`;
    const s = drawStats(data, { category, from, to }, now);
    const lastLine = s.lastDate
      ? `Latest ${drawsOf(category).replace(/s$/, '')}: ${formatDate(s.lastDate)}, ${plural(s.daysSinceLast!, 'day')} ago.`
      : `There have been no ${drawsOf(category)} yet.`;
    if (s.draws === 0) {
      return {
        kind: 'answer',
        title: `${drawsOf(category)} ${period}`.replace(/^./, (c) => c.toUpperCase()),
        lines: resolved ? [emptyPeriod(data, category, resolved, today(now))] : [`No ${drawsOf(category)} ${period}.`, lastLine],
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
