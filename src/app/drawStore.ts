import { DrawIndex } from '../core/drawIndex.js';
import { compareDraws } from '../domain/compareDraws.js';
import type { Dataset } from '../domain/drawSchema.js';
import { readDataset } from '../feed/datasetFile.js';

/**
 * Holds the dataset the bot answers from. Commands read `current()` on every call, so a live sync
 * can `replace()` it without a restart.
 */
export class DrawStore {
  constructor(private index: DrawIndex) {}

  current = (): DrawIndex => this.index;

  replace(index: DrawIndex): void {
    this.index = index;
  }

  /** A live sync's new dataset, indexed and swapped in (bound: hand it over as a callback). */
  update = (dataset: Dataset): void => {
    this.index = new DrawIndex(dataset);
  };
}

/**
 * Opens whichever of the dataset files holds the newest round: the committed seed
 * (`data/draws.json`) or one a live sync wrote under DATA_DIR. Missing files are skipped.
 */
export async function openDrawStore(paths: readonly string[]): Promise<DrawStore> {
  let best: DrawIndex | undefined;
  for (const path of paths) {
    // Both files were validated when written (writeDataset): reading them again through zod would
    // cost every start, and every one-shot answer, a third of its time.
    const dataset = await readDataset(path, { trusted: true });
    if (!dataset?.draws.length) continue;
    const index = new DrawIndex(dataset);
    if (!best || compareDraws(index.newest, best.newest) < 0) best = index;
  }
  if (!best) throw new Error(`no dataset found (looked for ${paths.join(', ')}); run npm run sync`);
  return new DrawStore(best);
}
