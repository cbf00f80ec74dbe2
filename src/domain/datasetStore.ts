import type { Dataset } from './drawSchema.js';

/**
 * Where the live sync keeps the dataset it merged: a file in DATA_DIR (SQLite), or a row in the
 * database (PostgreSQL), so that every instance on it answers from the same rounds.
 */
export interface DatasetStore {
  /** For logs: the file's path, or "PostgreSQL". */
  readonly name: string;
  /** The dataset kept; undefined when none is yet. */
  read(): Promise<Dataset | undefined>;
  /** Replaces it, whole, atomically. */
  write(dataset: Dataset): Promise<void>;
  /** Changes with every write (a follower compares it to know when to read again); undefined when none is kept. */
  version?(): Promise<number | undefined>;
}
