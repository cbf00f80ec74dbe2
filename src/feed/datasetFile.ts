import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DatasetStore } from '../domain/datasetStore.js';
import { type Dataset, datasetSchema } from '../domain/drawSchema.js';

/**
 * A dataset file whose content is not a dataset: empty or cut short (a power cut during a write on
 * a disk that lied about its flush), not JSON, or JSON of another shape. Not an I/O error.
 */
export class UnreadableDatasetError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} ${reason}`, options);
    this.name = 'UnreadableDatasetError';
  }
}

/**
 * Reads a dataset file; undefined when it does not exist. A file whose content is not a dataset
 * throws an UnreadableDatasetError naming it. Validated with the schema unless
 * `trusted`: files this project wrote (writeDataset validates before writing) are read as they are
 * at start-up, where zod would cost a one-shot answer a third of its time.
 */
export async function readDataset(path: string, options: { trusted?: boolean } = {}): Promise<Dataset | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = text.trim() ? `is not valid JSON (${(error as Error).message})` : 'is empty';
    throw new UnreadableDatasetError(path, reason, { cause: error });
  }
  if (!options.trusted) {
    const parsed = datasetSchema.safeParse(json);
    if (!parsed.success) throw new UnreadableDatasetError(path, `is not a valid dataset: ${parsed.error.message}`, { cause: parsed.error });
    return parsed.data;
  }
  // Trusted, but not blindly: a file that is not a dataset at all is refused by name.
  const draws = (json as Partial<Dataset> | null)?.draws;
  if (!Array.isArray(draws) || (draws.length > 0 && typeof draws[0]?.round !== 'string')) {
    throw new UnreadableDatasetError(path, 'is not a dataset of draws (written by npm run sync or the live sync)');
  }
  return json as Dataset;
}

/** One round a line: the file stays small and a changed round is a one-line diff. */
export function formatDataset(dataset: Dataset): string {
  const draws = dataset.draws.map((d) => `    ${JSON.stringify(d)}`).join(',\n');
  return `{\n  "source": ${JSON.stringify(dataset.source)},\n  "generatedAt": ${JSON.stringify(dataset.generatedAt)},\n  "draws": [\n${draws}\n  ]\n}\n`;
}

/**
 * Writes through a temporary file in the same folder and renames it into place, so a reader (or
 * a crash) never sees half a file. The temporary file is flushed to disk before the rename and the
 * folder after it, so a power cut leaves the old file or the new one, never an empty one.
 */
export async function writeDataset(path: string, dataset: Dataset): Promise<void> {
  const valid = datasetSchema.parse(dataset);
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'w');
    try {
      await file.writeFile(formatDataset(valid), 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/**
 * Flushes a folder's entries (a rename in it) to disk. Some platforms cannot open or fsync a
 * folder (Windows: EISDIR; some file systems: EINVAL): there the rename is as durable as it gets.
 */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EINVAL') return;
    throw error;
  }
}

/** The dataset file as a DatasetStore: readDataset and writeDataset on one path. */
export function datasetFile(path: string): DatasetStore {
  return { name: path, read: () => readDataset(path), write: (dataset) => writeDataset(path, dataset) };
}
