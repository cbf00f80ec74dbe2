import type { SqlExecutor } from './sqlDatabase.js';

/**
 * The platform updates taken, by key (`telegram:<update_id>`): with several instances behind one
 * webhook, an update redelivered (to this instance or another) is answered once.
 */
export interface UpdateStore {
  /**
   * Records `key` as taken at `at`: true when this call recorded it (the first time), false when it
   * was taken before. Two instances racing on one key: exactly one gets true.
   */
  first(key: string, at: number): Promise<boolean>;
  /**
   * Keys taken before `before` are deleted, `limit` at most (a batch: call again until fewer come
   * back, letting the bot answer in between); how many.
   */
  prune(before: number, limit: number): Promise<number>;
}

export class SqlUpdateStore implements UpdateStore {
  constructor(private readonly sql: SqlExecutor) {}

  async first(key: string, at: number): Promise<boolean> {
    // One statement: the primary key decides the race, not a read before the write.
    const recorded = await this.sql.run('INSERT INTO seen_updates (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      key,
      Math.floor(at),
    ]);
    return recorded === 1;
  }

  prune(before: number, limit: number): Promise<number> {
    return this.sql.run('DELETE FROM seen_updates WHERE key IN (SELECT key FROM seen_updates WHERE seen_at < ? LIMIT ?)', [
      Math.floor(before),
      limit,
    ]);
  }
}
