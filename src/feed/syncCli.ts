import { basename } from 'node:path';
import { safeUrl } from '../lib/safeUrl.js';
import { FeedError } from './feedError.js';
import { readSource } from './readSource.js';
import { parseSyncArgs, SYNC_USAGE, type SyncArgs } from './syncArgs.js';
import { syncDataset } from './syncDataset.js';

async function main(): Promise<number> {
  let args: SyncArgs;
  try {
    args = parseSyncArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${SYNC_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(SYNC_USAGE);
    return 0;
  }
  const { from, out, allowMany } = args;
  try {
    const body = await readSource(from);
    const report = await syncDataset({
      body,
      // Shown by /about: no key or password from the URL.
      source: /^https?:/i.test(from) ? safeUrl(from) : basename(from),
      dataFile: out,
      now: () => new Date(),
      allowMany,
    });
    for (const warning of report.warnings) console.warn(`warning: ${warning}`);
    if (report.missing.length) console.warn(`kept ${report.missing.length} rounds the feed no longer lists: ${report.missing.join(', ')}`);
    console.log(
      `${out}: ${report.total} rounds; ${report.added.length} new, ${report.updated.length} updated` +
        (report.written ? '' : ' (unchanged, not rewritten)'),
    );
    return 0;
  } catch (error) {
    if (error instanceof FeedError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      const hint = /rounds at once|numbered far beyond/.test((error as Error).message)
        ? ' If the file is just long out of date, run again with --allow-many.'
        : '';
      console.error(`sync refused: ${(error as Error).message}. ${out} was left untouched.${hint}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
