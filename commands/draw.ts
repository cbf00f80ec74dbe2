import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import type { OptionMeta } from '../src/commands/options.js';
import { parsePeriod } from '../src/commands/parsePeriod.js';
import { periodAsked } from '../src/commands/period.js';
import { privateProfile } from '../src/commands/personal.js';
import { drawFields, drawLink, pnpNoteFor, shortLabel } from '../src/core/describeDraw.js';
import { emptyPeriod } from '../src/core/emptyPeriod.js';
import { findRound } from '../src/core/findRound.js';
import { formatDate, formatNumber } from '../src/core/format.js';
import type { PeriodSpec } from '../src/core/period.js';
import type { Reply } from '../src/core/reply.js';
import { today } from '../src/core/today.js';
import { personalVerdictLine } from '../src/core/verdict.js';
import type { Draw } from '../src/domain/drawSchema.js';
import type { Profile } from '../src/domain/profile.js';
import { UserError } from '../src/domain/userError.js';

const ROUND = /^#?\d{1,4}[a-z]?$/i;
const MESSAGE = '/draw takes a round number (379, 91a) or one day (2026-07-21, Jul 21, today)';

/** A round number, or one day (every round that day); a longer period belongs to /history. */
const roundOrDay = z
  .string({ error: MESSAGE })
  .trim()
  .max(40, { error: MESSAGE })
  .transform((value, ctx): { round: string } | { day: PeriodSpec } => {
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    };
    if (/^(19|20)\d\d$/.test(value)) return fail(`${MESSAGE}; for a whole year, try /history ${value} or /stats ${value}`);
    if (ROUND.test(value)) return { round: value };
    let spec: PeriodSpec;
    try {
      spec = parsePeriod(value, 'The date');
    } catch (error) {
      // A date that is none says why ("February 2026 has 28 days"); anything else gets the forms.
      if (error instanceof UserError) return fail(error.message.startsWith('The date must be') ? MESSAGE : error.message);
      throw error;
    }
    const oneDay = spec.kind === 'today' || spec.kind === 'yesterday' || (spec.kind === 'point' && spec.point.unit === 'day');
    return oneDay ? { day: spec } : fail(`${MESSAGE}; for a period, try /history ${value.slice(0, 30)}`);
  })
  .meta({
    // A date's words are gathered as a date's ("Jul 21 2026"); one word ("379", "today") fills it alone.
    kind: 'date',
    description: 'Round number, e.g. 379 or 91a, or a day, e.g. 2026-07-21',
    autocomplete: 'round',
  } satisfies OptionMeta as unknown as Record<string, unknown>);

async function oneRound(found: Draw, profile: Profile | undefined): Promise<Reply> {
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
}

export const draw = defineCommand({
  name: 'draw',
  description: 'One round by its number (379, 91a), or every round on a day (2026-07-21)',
  options: z.strictObject({ round: roundOrDay }),
  examples: ['/draw 379', '/draw 91a', '/draw 2026-07-21', '/draw Jul 21 2026'],
  async run({ round }, ctx) {
    // In a private chat with a profile: its verdict on the round, and times in its zone.
    const profile = await privateProfile(ctx);
    if ('round' in round) return oneRound(findRound(ctx.data, round.round), profile);
    const day = periodAsked(round.day, ctx.now, '/draw 2026-07-21');
    const rounds = ctx.data.between(undefined, day.from, day.to);
    if (rounds.length === 0)
      return { kind: 'answer', title: `Rounds ${day.label}`, lines: [emptyPeriod(ctx.data, undefined, day, today(ctx.now))] };
    if (rounds.length === 1) return oneRound(rounds[0]!, profile);
    const verdicts = profile ? rounds.map((d) => personalVerdictLine(d, profile)).filter((line): line is string => !!line) : [];
    return {
      kind: 'answer',
      title: `${rounds.length} rounds ${day.label}`,
      lines: [...verdicts, ...pnpNoteFor(rounds), `/draw ${rounds[0]!.round} shows one of them in full.`],
      table: {
        columns: ['Round', 'Category', 'Invited', 'CRS', 'Tie-break (UTC)'],
        rows: rounds.map((d) => [
          `#${d.round}`,
          shortLabel(d.category),
          formatNumber(d.invitations),
          String(d.crs),
          d.tieBreak?.slice(11, 19) ?? '',
        ]),
        align: ['right', 'left', 'right', 'right', 'left'],
      },
      link: drawLink(rounds[0]!),
    };
  },
});
