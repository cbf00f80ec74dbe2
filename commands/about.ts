import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineCommand } from '../src/commands/defineCommand.js';
import { formatDate, formatNumber } from '../src/core/format.js';
import type { SyncStatus } from '../src/feed/feedPoller.js';

const ROUNDS_PAGE =
  'https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds.html';

/** "Aug 7, 2026 10:08 UTC (4 minutes ago)" */
function when(date: Date, now: DateTime): string {
  const at = DateTime.fromJSDate(date, { zone: 'utc' });
  const relative = Math.abs(at.diff(now).as('seconds')) < 30 ? 'now' : at.toRelative({ base: now, locale: 'en' });
  return `${at.toFormat('LLL d, yyyy HH:mm')} UTC (${relative})`;
}

const PROBLEMS: Record<NonNullable<SyncStatus['lastError']>['kind'], string> = {
  fetch: 'the feed could not be reached',
  refused: "the feed's content was refused",
  internal: 'an internal error',
};

/**
 * The kind of problem and since when — never the error's own text: it can name FEED_URL or the
 * bot's files, and any user may ask. The operator has the details in the logs.
 */
function describeError(error: NonNullable<SyncStatus['lastError']>, lastSuccessAt: Date | null, now: DateTime): string {
  const problem = PROBLEMS[error.kind];
  if (lastSuccessAt && lastSuccessAt > error.at) return `${problem} (last failed ${when(error.at, now)}; synced fine since)`;
  return `${problem} (since ${when(error.since, now)})`;
}

function syncFields(status: SyncStatus, now: DateTime) {
  const error = status.lastError;
  return [
    { name: 'Last sync with IRCC', value: status.lastSuccessAt ? when(status.lastSuccessAt, now) : 'not yet' },
    { name: 'Last sync error', value: error ? describeError(error, status.lastSuccessAt, now) : 'none' },
    { name: 'Next check', value: status.nextPollAt ? when(status.nextPollAt, now) : 'not scheduled' },
  ];
}

export const about = defineCommand({
  name: 'about',
  description: 'Where the data comes from, how fresh it is, and what this bot is not',
  options: z.strictObject({}),
  examples: ['/about'],
  run(_input, { data, now, status }) {
    const oldest = data.draws.at(-1)!;
    return {
      kind: 'answer',
      title: 'About this bot',
      lines: [
        "Answers come only from IRCC's published rounds of invitations (the ee_rounds_123_en.json feed behind IRCC's rounds page), imported and checked by this bot's importer.",
        'Not legal advice, and not affiliated with IRCC or the Government of Canada. Check the official page before you act.',
        'Open source: the dataset and its importer are in the repository.',
      ],
      fields: [
        {
          name: 'Rounds held',
          value: `${formatNumber(data.draws.length)} (#${oldest.round}, ${formatDate(oldest.date)} → #${data.newest.round}, ${formatDate(data.newest.date)})`,
        },
        { name: 'Dataset written', value: `${data.generatedAt.replace('T', ' ').replace('Z', ' UTC')} from ${data.source}` },
        ...(status ? syncFields(status(), now) : []),
      ],
      link: { label: 'IRCC rounds of invitations', url: ROUNDS_PAGE },
    };
  },
});
