import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { integerOption } from '../src/commands/options.js';
import { privateProfile } from '../src/commands/personal.js';
import { formatDate, formatNumber, formatShare } from '../src/core/format.js';
import { poolStanding, profilesAbove } from '../src/core/poolStanding.js';

export const pool = defineCommand({
  name: 'pool',
  description: 'The CRS distribution of the pool; with a score, about how many rank above it',
  options: z.strictObject({
    crs: integerOption({ description: 'A CRS score to place in the pool (0-1200)', min: 0, max: 1200, label: 'The CRS score' }).optional(),
  }),
  examples: ['/pool 470', '/pool'],
  async run({ crs: typed }, ctx) {
    const { data } = ctx;
    // No score: the asker's own, in a private chat only (a group gets the distribution as ever).
    const profile = typed === undefined ? await privateProfile(ctx) : undefined;
    const crs = typed ?? profile?.crs;
    const standing = poolStanding(data, crs);
    if (!standing) return { kind: 'answer', title: 'Pool distribution', lines: ['IRCC has published no pool distribution yet.'] };
    const { pool: snapshot, draw } = standing;
    const lines = [
      `${formatNumber(snapshot.total)} profiles in the pool on ${formatDate(snapshot.asOf)} (published with round #${draw.round}).`,
    ];
    if (profile) {
      // At or above: those it competes with for the same invitations, itself among them.
      const atOrAbove = crs === 0 ? snapshot.total : profilesAbove(snapshot, crs! - 1);
      lines.push(
        `Your profile's ${crs}: about ${formatNumber(atOrAbove)} profiles (${formatShare(snapshot.total ? atOrAbove / snapshot.total : 0)}) at or above it. ` +
          'Estimated: IRCC publishes only band totals, so profiles are assumed spread evenly within the band.',
      );
    } else if (crs !== undefined) {
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
      ...(profile ? { private: true } : {}),
    };
  },
});
