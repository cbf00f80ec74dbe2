import type { DatasetStore } from '../domain/datasetStore.js';
import { type Dataset, datasetSchema } from '../domain/drawSchema.js';
import type { SqlExecutor } from './sqlDatabase.js';

/**
 * The live sync's dataset as one row, so that every instance on the database answers from the same
 * rounds (PostgreSQL; a SQLite bot keeps DATA_DIR/draws.json). Read back through the schema: what a
 * database returns is checked like any other input.
 */
export class SqlDatasetStore implements DatasetStore {
  readonly name = 'the database';

  constructor(
    private readonly sql: SqlExecutor,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<Dataset | undefined> {
    const row = await this.sql.get<{ body: string }>('SELECT body FROM dataset WHERE id = 1');
    return row === undefined ? undefined : datasetSchema.parse(JSON.parse(row.body));
  }

  async version(): Promise<number | undefined> {
    const row = await this.sql.get<{ version: number }>('SELECT updated_at AS version FROM dataset WHERE id = 1');
    return row?.version;
  }

  async write(dataset: Dataset): Promise<void> {
    await this.sql.run(
      `INSERT INTO dataset (id, body, updated_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body,
         -- Always higher than before, even within one ms or with a clock set back: followers compare it.
         updated_at = CASE WHEN excluded.updated_at > dataset.updated_at THEN excluded.updated_at ELSE dataset.updated_at + 1 END`,
      [JSON.stringify(dataset), this.now()],
    );
  }
}
