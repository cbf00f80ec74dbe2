import { rename } from 'node:fs/promises';
import { DrawIndex } from '../core/drawIndex.js';
import { compareDraws } from '../domain/compareDraws.js';
import type { DatasetStore } from '../domain/datasetStore.js';
import type { Dataset } from '../domain/drawSchema.js';
import { checkPlausible, ottawaToday } from '../feed/checkPlausible.js';
import { readDataset, UnreadableDatasetError } from '../feed/datasetFile.js';

/** A runtime dataset holding a round IRCC cannot have published (dated after today, say). */
export class ImplausibleDatasetError extends Error {
  constructor(
    readonly path: string,
    readonly reasons: string[],
  ) {
    super(`${path} holds an implausible round: ${reasons[0]}`);
    this.name = 'ImplausibleDatasetError';
  }
}

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
  /** Today, for the plausibility check, and the time in a set-aside file's name (default: now). */
  now?: () => Date;
}

/**
 * Opens whichever of the dataset files holds the newest round: one a live sync wrote under DATA_DIR
 * or the committed seed (`data/draws.json`). `paths` lists the runtime files first and the shipped
 * seed last. Missing files are skipped. A runtime file that is not a dataset (empty after a power
 * cut, cut short, another kind of JSON) is set aside as `<name>.corrupt-<UTC time>`, with a warning,
 * and the others are used: the live sync writes it afresh. A runtime file holding an implausible
 * round (checkPlausible: dated after today in Ottawa, a number unlike IRCC's, values out of range —
 * what an older bot may have merged from a poisoned feed) is set aside the same way, as
 * `<name>.implausible-<UTC time>`: it would otherwise stay "the newest" for good. The shipped seed
 * being unreadable throws.
 */
export async function openDrawStore(paths: readonly string[], options: OpenDrawStoreOptions = {}): Promise<DrawStore> {
  const now = options.now ?? (() => new Date());
  let best: DrawIndex | undefined;
  for (const [i, path] of paths.entries()) {
    const shipped = i === paths.length - 1;
    let dataset: Dataset | undefined;
    try {
      // Both files were validated when written (writeDataset): reading them again through zod would
      // cost every start, and every one-shot answer, a third of its time.
      dataset = await readDataset(path, { trusted: true });
      if (!shipped && dataset) {
        const reasons = checkPlausible(dataset.draws, { today: ottawaToday(now()), limit: 1 });
        if (reasons.length > 0) throw new ImplausibleDatasetError(path, reasons);
      }
    } catch (error) {
      if (shipped || !(error instanceof UnreadableDatasetError || error instanceof ImplausibleDatasetError)) throw error;
      const kind = error instanceof ImplausibleDatasetError ? 'implausible' : 'corrupt';
      const setAsideAs = await setAside(path, now(), kind);
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

/** Renames a refused file to `<path>.corrupt-20261201T201500Z` (or `.implausible-…`), kept for a look; its new name. */
async function setAside(path: string, now: Date, kind: 'corrupt' | 'implausible'): Promise<string> {
  const stamp = now.toISOString().replace(/\.\d+/, '').replace(/[-:]/g, '');
  const target = `${path}.${kind}-${stamp}`;
  try {
    await rename(path, target);
  } catch (error) {
    // Another process (npm run ask beside the bot) set it aside first.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return target;
}

/**
 * The dataset to answer from when the live sync keeps it in a store (the database, on PostgreSQL):
 * whichever of the store's and the shipped seed's holds the newest round. A stored dataset that
 * cannot be read, or holds an implausible round, is replaced by the seed's with a warning (a file
 * would be set aside; a row is simply written again), so that the live sync starts from sound data.
 */
export async function openDrawStoreFrom(
  stored: DatasetStore,
  seedPath: string,
  options: { onWarning?: (message: string, error: unknown) => void; now?: () => Date } = {},
): Promise<DrawStore> {
  const now = options.now ?? (() => new Date());
  const store = await openDrawStore([seedPath], { now });
  let dataset: Dataset | undefined;
  try {
    dataset = await stored.read();
    const reasons = dataset ? checkPlausible(dataset.draws, { today: ottawaToday(now()), limit: 1 }) : [];
    if (reasons.length > 0) throw new ImplausibleDatasetError(stored.name, reasons);
  } catch (error) {
    options.onWarning?.(
      `the dataset kept in ${stored.name} cannot be used (${error instanceof Error ? error.message : String(error)}); replacing it with ${seedPath}`,
      error,
    );
    const seed = store.current();
    await stored.write({ source: seed.source, generatedAt: seed.generatedAt, draws: [...seed.draws] });
    return store;
  }
  if (dataset?.draws.length && compareDraws(new DrawIndex(dataset).newest, store.current().newest) <= 0) store.update(dataset);
  return store;
}
