import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { categoryOption } from '../src/commands/options.js';
import { drawsOf, shortLabel } from '../src/core/describeDraw.js';
import { formatDate, formatNumber, plural } from '../src/core/format.js';
import { type NextDrawFacts, nextDraw } from '../src/core/nextDraw.js';

const NO_FORECAST = 'IRCC does not announce draws in advance, so this is the pattern of recent draws, not a forecast.';

/** A median of an even number of gaps may end in .5, which plural() keeps. */
const days = (count: number) => plural(count, 'day');
const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
const ago = (count: number) => (count === 0 ? 'today' : `${days(count)} ago`);

export const next = defineCommand({
  name: 'next',
  description: 'When the next draw might come: days since the last ones, usual gaps, weekdays and hours',
  options: z.strictObject({ category: categoryOption('Category to look at: cec, pnp, french, healthcare… (default: all draws)') }),
  examples: ['/next', '/next cec'],
  run({ category }, { data, now }) {
    const facts = nextDraw(data, now, category);
    const title = category ? `When is the next ${shortLabel(category)} draw?` : 'When is the next draw?';
    if (!facts) {
      return {
        kind: 'answer',
        title,
        lines: [`IRCC has held no ${drawsOf(category)} so far, so there is no pattern to go by. /categories shows the ones it has.`],
        category,
      };
    }
    const { latest, daysSinceLatest, usualGap } = facts;
    const lane = category ? `${shortLabel(category)} ` : '';
    let last = `The latest ${lane}draw was #${latest.round} on ${formatDate(latest.date)}, ${ago(daysSinceLatest)}.`;
    if (usualGap !== null) {
      last += ` Recent ${lane}draw days were a median of ${days(usualGap)} apart (last ${plural(facts.gaps, 'gap')})`;
      last += daysSinceLatest > usualGap ? '; it has now been longer than that.' : '.';
    }
    const lines = [NO_FORECAST, last, weekdaysLine(facts, lane), hoursLine(facts)].filter((l): l is string => l !== undefined);
    const overdue = facts.lanes.filter((l) => l.usualGap !== null && l.daysSince > l.usualGap);
    if (overdue.length) {
      lines.push(
        `Longer than their usual gap now: ${overdue.map((l) => `${shortLabel(l.category)} (${days(l.daysSince)}, usually ${days(l.usualGap!)})`).join(', ')}.`,
      );
    }
    return {
      kind: 'answer',
      title,
      lines,
      table: facts.lanes.length
        ? {
            columns: ['Category', 'Last draw', 'Days ago', 'Usual gap'],
            rows: facts.lanes.map((l) => [
              shortLabel(l.category),
              l.lastDate,
              formatNumber(l.daysSince),
              l.usualGap === null ? '—' : days(l.usualGap),
            ]),
            align: ['left', 'left', 'right', 'right'],
          }
        : undefined,
      category,
    };
  },
});

/** "The last 20 draw days fell on Tue 7, Wed 6, Thu 4." */
function weekdaysLine(facts: NextDrawFacts, lane: string): string {
  if (facts.days === 1) return `It fell on a ${facts.weekdays[0]!.day}.`;
  return `The last ${facts.days} ${lane}draw days fell on ${facts.weekdays.map((w) => `${w.day} ${w.count}`).join(', ')}.`;
}

/** "Their 24 rounds with a published time ran mostly 10:00–12:00 UTC (20 of 24)." */
function hoursLine(facts: NextDrawFacts): string | undefined {
  const { mostly, hours } = facts;
  if (!mostly) return undefined;
  if (mostly.of === 1) return `It ran in the ${hour(hours[0]!.hour)} UTC hour.`;
  const rounds = `Their ${plural(mostly.of, 'round')} with a published time ran`;
  if (hours.length <= 3) return `${rounds} in the UTC hours ${hours.map((h) => `${hour(h.hour)} (${h.count})`).join(', ')}.`;
  return `${rounds} mostly ${hour(mostly.from)}–${hour(mostly.to + 1)} UTC (${mostly.count} of ${mostly.of}).`;
}
