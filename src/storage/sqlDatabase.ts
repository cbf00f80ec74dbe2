/** Which engine runs the SQL: the few statements that differ between them ask. */
export type Engine = 'sqlite' | 'postgres';

/**
 * Runs SQL written once for both engines: `?` placeholders (PostgreSQL's client numbers them), the
 * SQL both understand (`ON CONFLICT DO NOTHING`, `UPDATE … FROM`, `RETURNING`), integers as numbers.
 */
export interface SqlExecutor {
  readonly engine: Engine;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** How many rows the statement changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** One database, its connection or pool: what a storage engine hands the stores. */
export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs `work` in one write transaction — committed when it resolves, rolled back when it throws.
   * SQLite begins it IMMEDIATE (a second writer waits rather than fails half-way); PostgreSQL runs it
   * on one pooled connection at READ COMMITTED, rows locked as they are written.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
