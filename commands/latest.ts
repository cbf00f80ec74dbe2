import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categoryOption } from '../src/commands/options.js';
import { privateProfile } from '../src/commands/personal.js';
import { categoryLabel, drawFields, drawLink, pnpNoteFor } from '../src/core/describeDraw.js';
import { formatDate, plural } from '../src/core/format.js';
import { latestDraw } from '../src/core/latestDraw.js';
import { daysBetween, today } from '../src/core/today.js';
import { personalVerdictLine } from '../src/core/verdict.js';

export const latest = defineCommand({
  name: 'latest',
  description: 'The most recent draw, overall or in one category',
  options: z.strictObject({ category: categoryOption() }),
  examples: ['/latest healthcare', '/latest', '/latest cec'],
  async run({ category }, ctx) {
    const { data, now } = ctx;
    const draw = latestDraw(data, category);
    if (!draw) {
      return {
        kind: 'answer',
        title: `No ${categoryLabel(category)} draws yet`,
        lines: ['IRCC has not held a draw in this category so far. /categories shows the ones it has.'],
        category,
      };
    }
    const ago = daysBetween(draw.date, today(now));
    // Personal marks only in a one-to-one chat: a group never reads anyone's score.
    const profile = await privateProfile(ctx);
    // The same verdict line as the owner's alerts carry.
    const verdict = profile && personalVerdictLine(draw, profile);
    const mine = !profile ? [] : verdict ? [verdict] : [`Not one of your lanes (your /profile names ${profile.categories.join(', ')}).`];
    return {
      kind: 'answer',
      title: category ? `Latest ${categoryLabel(category)} draw: #${draw.round}` : `Latest draw: #${draw.round}`,
      lines: [`${formatDate(draw.date)} — ${ago <= 0 ? 'today' : `${plural(ago, 'day')} ago`}.`, ...mine, ...pnpNoteFor([draw])],
      fields: drawFields(draw, profile?.timeZone),
      link: drawLink(draw),
      category: draw.category,
    };
  },
});
