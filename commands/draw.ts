import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { roundOption } from '../src/commands/options.js';
import { privateProfile } from '../src/commands/personal.js';
import { drawFields, drawLink, pnpNoteFor } from '../src/core/describeDraw.js';
import { findRound } from '../src/core/findRound.js';
import { formatDate, formatNumber } from '../src/core/format.js';
import { personalVerdictLine } from '../src/core/verdict.js';

export const draw = defineCommand({
  name: 'draw',
  description: 'One round by its number, e.g. 379 or 91a',
  options: z.strictObject({ round: roundOption() }),
  examples: ['/draw 379', '/draw 91a'],
  async run({ round }, ctx) {
    const found = findRound(ctx.data, round);
    // In a private chat with a profile: its verdict on this round, and times in its zone.
    const profile = await privateProfile(ctx);
    const lines = found.programs.length ? [`Programs: ${found.programs.join(', ')}.`] : [];
    if (found.pool) lines.push(`Pool on ${formatDate(found.pool.asOf)}: ${formatNumber(found.pool.total)} profiles.`);
    lines.push(...pnpNoteFor([found]));
    const verdict = profile && personalVerdictLine(found, profile);
    if (verdict) lines.push(verdict);
    return {
      kind: 'answer',
      title: `Round #${found.round} — ${formatDate(found.date)}`,
      fields: drawFields(found, profile?.timeZone),
      lines,
      link: drawLink(found),
      category: found.category,
    };
  },
});
