import { rename } from 'node:fs/promises';
import { DrawIndex } from '../core/drawIndex.js';
import { compareDraws } from '../domain/compareDraws.js';
import type { Dataset } from '../domain/drawSchema.js';
import { readDataset, UnreadableDatasetError } from '../feed/datasetFile.js';

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

export interface OpenDrawStoreOptions {
  /** Told, in one line, about a runtime file set aside (default: nobody; the store still opens). */
  onWarning?: (message: string, details: { path: string; setAsideAs: string; error: unknown }) => void;
  /** The time in a set-aside file's name (default: now). */
  now?: () => Date;
}

/**
 * Opens whichever of the dataset files holds the newest round: one a live sync wrote under DATA_DIR
 * or the committed seed (`data/draws.json`). `paths` lists the runtime files first and the shipped
 * seed last. Missing files are skipped. A runtime file that is not a dataset (empty after a power
 * cut, cut short, another kind of JSON) is set aside as `<name>.corrupt-<UTC time>`, with a warning,
 * and the others are used: the live sync writes it afresh. The shipped seed being unreadable throws.
 */
export async function openDrawStore(paths: readonly string[], options: OpenDrawStoreOptions = {}): Promise<DrawStore> {
  let best: DrawIndex | undefined;
  for (const [i, path] of paths.entries()) {
    const shipped = i === paths.length - 1;
    let dataset: Dataset | undefined;
    try {
      // Both files were validated when written (writeDataset): reading them again through zod would
      // cost every start, and every one-shot answer, a third of its time.
      dataset = await readDataset(path, { trusted: true });
    } catch (error) {
      if (shipped || !(error instanceof UnreadableDatasetError)) throw error;
      const setAsideAs = await setAside(path, (options.now ?? (() => new Date()))());
      options.onWarning?.(`${error.message}: set aside as ${setAsideAs}, starting from ${paths.slice(i + 1).join(' or ')}`, {
        path,
        setAsideAs,
        error,
      });
      continue;
    }
    if (!dataset?.draws.length) continue;
    const index = new DrawIndex(dataset);
    if (!best || compareDraws(index.newest, best.newest) < 0) best = index;
  }
  if (!best) throw new Error(`no dataset found (looked for ${paths.join(', ')}); run npm run sync`);
  return new DrawStore(best);
}

/** Renames an unreadable file to `<path>.corrupt-20261201T201500Z`, kept for a look; its new name. */
async function setAside(path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/\.\d+/, '').replace(/[-:]/g, '');
  const target = `${path}.corrupt-${stamp}`;
  try {
    await rename(path, target);
  } catch (error) {
    // Another process (npm run ask beside the bot) set it aside first.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return target;
}
