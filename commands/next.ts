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
    const { latest, daysSinceLatest } = facts;
    const lane = category ? `${shortLabel(category)} ` : '';
    const last = `The latest ${lane}draw was #${latest.round} on ${formatDate(latest.date)}, ${ago(daysSinceLatest)}.`;
    const gap = gapLine(facts, lane);
    const lines = [NO_FORECAST, gap ? `${last} ${gap}` : last, weekdaysLine(facts, lane), hoursLine(facts)].filter(
      (l): l is string => l !== undefined,
    );
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

/**
 * "Weeks with a draw (Monday to Sunday, Ottawa time) usually came 14 days apart (median of the last 10 gaps)."
 * Over all draws it is weeks, not days: a run of categories on consecutive days would read "1 day apart".
 */
function gapLine(facts: NextDrawFacts, lane: string): string | undefined {
  const { usualGap, gaps } = facts;
  if (usualGap === null) return undefined;
  const what = facts.gapBetween === 'weeks' ? 'Weeks with a draw (Monday to Sunday, Ottawa time)' : `${lane}draws`;
  const sample = gaps === 1 ? 'only 1 gap so far' : `median of the last ${gaps} gaps`;
  const line = `${what[0]!.toUpperCase()}${what.slice(1)} usually came ${days(usualGap)} apart (${sample})`;
  return `${line}${facts.longerThanUsual ? '; it has now been longer than that.' : '.'}`;
}

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
