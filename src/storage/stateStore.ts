import type { SqlExecutor } from './sqlDatabase.js';

/** Small facts kept between runs, by key (the newest round seen, the last pool distribution, the install's secret). */
export interface StateStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Sets `value` unless the key has one; the value the key holds afterwards (two instances agree on one). */
  setOnce(key: string, value: string): Promise<string>;
}

export class SqlStateStore implements StateStore {
  constructor(private readonly sql: SqlExecutor) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.sql.get<{ value: string }>('SELECT value FROM alert_state WHERE key = ?', [key]))?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.sql.run('INSERT INTO alert_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value,
    ]);
  }

  async setOnce(key: string, value: string): Promise<string> {
    await this.sql.run('INSERT INTO alert_state (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING', [key, value]);
    return (await this.get(key)) ?? value;
  }
}
