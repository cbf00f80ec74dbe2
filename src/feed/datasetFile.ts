import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Dataset, datasetSchema } from '../domain/drawSchema.js';

/**
 * Reads a dataset file; undefined when it does not exist. Validated with the schema unless
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
  const json: unknown = JSON.parse(text);
  if (!options.trusted) return datasetSchema.parse(json);
  // Trusted, but not blindly: a file that is not a dataset at all is refused by name.
  const draws = (json as Partial<Dataset> | null)?.draws;
  if (!Array.isArray(draws) || (draws.length > 0 && typeof draws[0]?.round !== 'string')) {
    throw new Error(`${path} is not a dataset of draws (written by npm run sync or the live sync)`);
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
 * a crash) never sees half a file.
 */
export async function writeDataset(path: string, dataset: Dataset): Promise<void> {
  const valid = datasetSchema.parse(dataset);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, formatDataset(valid), 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
