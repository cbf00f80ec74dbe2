import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { FeedError } from './feedError.js';
import { IRCC_FEED_URL, readSource } from './readSource.js';
import { syncDataset } from './syncDataset.js';

const USAGE = 'Usage: npm run sync -- [--from PATH_OR_URL] [--out data/draws.json]';

async function main(): Promise<number> {
  let from: string;
  let out: string;
  try {
    const { values } = parseArgs({
      options: { from: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    from = values.from ?? IRCC_FEED_URL;
    out = values.out ?? 'data/draws.json';
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const body = await readSource(from);
    const report = await syncDataset({
      body,
      source: /^https?:/i.test(from) ? from : basename(from),
      dataFile: out,
      now: () => new Date(),
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
      console.error(`sync refused: ${(error as Error).message}. ${out} was left untouched.`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
