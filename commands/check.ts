import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { describeOutcome, outcomeMark } from '../src/commands/describeOutcome.js';
import { categoryOption, dateOption, integerOption } from '../src/commands/options.js';
import { assertNotFuture, defaultSince } from '../src/commands/period.js';
import { categoryLabel, drawLink, drawsOf } from '../src/core/describeDraw.js';
import { formatDate, plural } from '../src/core/format.js';
import { qualify } from '../src/core/qualify.js';

/** Rows of the per-draw table; older draws are summed up, not listed. */
const MAX_ROWS = 15;

export const check = defineCommand({
  name: 'check',
  description: 'Would your CRS score have been invited? Per draw, with tie-breaks',
  options: z.strictObject({
    crs: integerOption({ description: 'Your CRS score (0-1200)', min: 0, max: 1200, label: 'The CRS score' }).required(),
    category: categoryOption(),
    since: dateOption('Count draws from this date, YYYY-MM-DD (default: 12 months ago)', 'The since date'),
    profile_date: dateOption('When you submitted your Express Entry profile, YYYY-MM-DD (decides ties)', 'The profile date'),
  }),
  examples: ['/check 470 healthcare', '/check 480 cec since=2025-01-01', '/check 462 healthcare profile_date=2024-11-30'],
  run({ crs, category, since, profile_date }, { data, now }) {
    assertNotFuture(since, now, 'The since date', '/check 470 healthcare since=2025-01-01');
    assertNotFuture(profile_date, now, 'The profile date', '/check 470 healthcare profile_date=2025-01-31');
    const from = since ?? defaultSince(now);
    const result = qualify(data, { crs, category, since: from, profileDate: profile_date });
    const lines: string[] = [];
    if (!result.latest) {
      return {
        kind: 'answer',
        title: `CRS ${crs}`,
        lines: [`There have been no ${drawsOf(category)} yet; /categories shows the categories IRCC has used.`],
        category,
      };
    }
    const latest = result.latest;
    lines.push(
      `Latest ${category ? `${category} ` : ''}draw, #${latest.draw.round} on ${formatDate(latest.draw.date)} (cut-off ${latest.draw.crs}): ${describeOutcome(latest.outcome)}.`,
    );
    if (result.draws.length === 0) {
      lines.push(`No ${drawsOf(category)} since ${formatDate(from)}.`);
    } else {
      let summary = `${crs} would have made ${result.invited} of ${plural(result.draws.length, category ? `${category} draw` : 'draw')} since ${formatDate(from)}`;
      if (result.undecided)
        summary += `; ${result.undecided} more ${result.undecided === 1 ? 'depends' : 'depend'} on when your profile was submitted`;
      lines.push(`${summary}.`);
    }
    if (!profile_date && result.undecided) lines.push('Add profile_date=YYYY-MM-DD to settle ties.');
    const shown = result.draws.slice(0, MAX_ROWS);
    if (result.draws.length > MAX_ROWS) lines.push(`Table: the ${MAX_ROWS} newest of ${result.draws.length}.`);
    return {
      kind: 'answer',
      title: `CRS ${crs} — ${drawsOf(category)} since ${formatDate(from)}`,
      lines,
      table: shown.length
        ? {
            columns: ['Date', 'Round', 'Cut-off', '', 'Result'],
            rows: shown.map((d) => [
              d.draw.date,
              `#${d.draw.round}`,
              String(d.draw.crs),
              outcomeMark(d.invited),
              describeOutcome(d.outcome),
            ]),
            align: ['left', 'right', 'right', 'left', 'left'],
          }
        : undefined,
      chart: result.draws.length
        ? {
            title: `CRS ${crs} vs ${category ? categoryLabel(category) : 'all draws'}`,
            subtitle: `${formatDate(from)} – ${formatDate(result.draws[0]!.draw.date)}: ${crs} would have made ${result.invited} of ${plural(result.draws.length, 'draw')}`,
            points: result.draws
              .map((d) => ({ date: d.draw.date, crs: d.draw.crs, round: d.draw.round, highlight: d.invited === true }))
              .reverse(),
            threshold: { value: crs, label: `Your CRS: ${crs}` },
          }
        : undefined,
      link: drawLink(latest.draw),
      category,
    };
  },
});
