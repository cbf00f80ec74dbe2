import { parseArgs } from 'node:util';
import { IRCC_FEED_URL } from './readSource.js';

export const SYNC_USAGE = 'Usage: npm run sync -- [--from PATH_OR_URL] [--out data/draws.json] [--allow-many]';

export interface SyncArgs {
  help: boolean;
  from: string;
  out: string;
  /** Take more new rounds at once than the live sync would (a long-stale file, a deliberate import). */
  allowMany: boolean;
}

/** `npm run sync`'s arguments; an unknown option or a missing value throws (TypeError from parseArgs). */
export function parseSyncArgs(args: string[]): SyncArgs {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, out: { type: 'string' }, 'allow-many': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  return {
    help: values.help ?? false,
    from: values.from ?? IRCC_FEED_URL,
    out: values.out ?? 'data/draws.json',
    allowMany: values['allow-many'] ?? false,
  };
}
