import type { DatasetStore } from '../domain/datasetStore.js';
import type { Dataset, Draw } from '../domain/drawSchema.js';
import { utcInstant } from '../domain/utcInstant.js';
import { assertPlausible, ottawaToday } from './checkPlausible.js';
import { datasetFile } from './datasetFile.js';
import { mergeDraws } from './mergeDraws.js';
import { parseFeed } from './parseFeed.js';

export interface SyncReport {
  total: number;
  added: Draw[];
  updated: Draw[];
  missing: string[];
  warnings: string[];
  /** False when nothing changed and the file was left as it was. */
  written: boolean;
  /** What the file holds after the sync (the poller swaps it into memory without reading it back). */
  dataset: Dataset;
}

/**
 * The one path from a feed body to the dataset kept, used by `npm run sync` and the poller:
 * parse and validate, check that its rounds are plausible against what the file holds
 * (checkPlausible: a bad or implausible body throws FeedError before anything is touched), merge
 * by round number with what the file holds, write atomically.
 */
export async function syncDataset(options: {
  body: string;
  source: string;
  /** Where the dataset is kept (the live sync's store), or `dataFile`: a file, as `npm run sync` writes. */
  store?: DatasetStore;
  dataFile?: string;
  now: () => Date;
  /** `npm run sync -- --allow-many`: no limit on the rounds one sync adds (the live sync never sets it). */
  allowMany?: boolean;
}): Promise<SyncReport> {
  const store = options.store ?? datasetFile(options.dataFile!);
  const parsed = parseFeed(options.body);
  const existing = await store.read();
  assertPlausible(parsed.draws, { today: ottawaToday(options.now()), held: existing?.draws, allowMany: options.allowMany });
  const merge = mergeDraws(existing?.draws ?? [], parsed.draws);
  const changed = !existing || merge.added.length > 0 || merge.updated.length > 0;
  const dataset = changed
    ? {
        source: options.source,
        generatedAt: utcInstant(options.now()),
        draws: merge.draws,
      }
    : existing;
  if (changed) await store.write(dataset);
  return {
    total: merge.draws.length,
    added: merge.added,
    updated: merge.updated,
    missing: merge.missing,
    warnings: parsed.warnings,
    written: changed,
    dataset,
  };
}
