import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { integerOption } from '../src/commands/options.js';
import { formatDate, formatNumber, formatShare } from '../src/core/format.js';
import { poolStanding } from '../src/core/poolStanding.js';

export const pool = defineCommand({
  name: 'pool',
  description: 'The CRS distribution of the pool; with a score, about how many rank above it',
  options: z.strictObject({
    crs: integerOption({ description: 'A CRS score to place in the pool (0-1200)', min: 0, max: 1200, label: 'The CRS score' }).optional(),
  }),
  examples: ['/pool 470', '/pool'],
  run({ crs }, { data }) {
    const standing = poolStanding(data, crs);
    if (!standing) return { kind: 'answer', title: 'Pool distribution', lines: ['IRCC has published no pool distribution yet.'] };
    const { pool: snapshot, draw } = standing;
    const lines = [
      `${formatNumber(snapshot.total)} profiles in the pool on ${formatDate(snapshot.asOf)} (published with round #${draw.round}).`,
    ];
    if (crs !== undefined) {
      lines.push(
        `About ${formatNumber(standing.above!)} profiles (${formatShare(standing.share!)}) score above ${crs}. ` +
          'Estimated: IRCC publishes only band totals, so profiles are assumed spread evenly within the band.',
      );
    }
    return {
      kind: 'answer',
      title: crs === undefined ? 'Pool distribution' : `Pool distribution — where ${crs} stands`,
      lines,
      table: {
        columns: ['CRS', 'Profiles', 'Share'],
        rows: [...snapshot.bands]
          .reverse()
          .map((b) => [
            `${b.min}-${b.max}${crs !== undefined && crs >= b.min && crs <= b.max ? ' ◀' : ''}`,
            formatNumber(b.count),
            formatShare(snapshot.total ? b.count / snapshot.total : 0),
          ]),
        align: ['left', 'right', 'right'],
      },
    };
  },
});
