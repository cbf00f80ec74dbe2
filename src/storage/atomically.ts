import type { SqlDatabase, SqlExecutor } from './sqlDatabase.js';

/**
 * Runs `work` in a transaction of its own, or in the caller's when `sql` is already one: a store's
 * several statements are one change either way, and a transaction is never nested.
 */
export function atomically<T>(sql: SqlExecutor, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return 'transaction' in sql ? (sql as SqlDatabase).transaction(work) : work(sql);
}
