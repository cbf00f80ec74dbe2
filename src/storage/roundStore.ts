import { type Draw, drawSchema } from '../domain/drawSchema.js';
import type { SqlExecutor } from './sqlDatabase.js';

/**
 * The rounds alerts were recorded for (a round number, or `pool:<asOf>` for a pool distribution), as
 * announced and as IRCC corrected them since: pending alerts survive a restart whatever the dataset
 * holds, and sent ones are edited to the round's revision.
 */
export interface RoundStore {
  /** Records the round under `key` unless it is already; whether it was new. */
  record(key: string, draw: Draw, category: string, at: number): Promise<boolean>;
  /** Whether an alert was recorded for the round. */
  has(key: string): Promise<boolean>;
  /** The round as it stands now (as corrected). */
  draw(key: string): Promise<Draw | undefined>;
  /** The round as its alert first announced it, if IRCC corrected it since; undefined otherwise. */
  firstDraw(key: string): Promise<Draw | undefined>;
  /** How many times the round was corrected since its alert was recorded (0: never, or unknown). */
  revision(key: string): Promise<number>;
  /** Every round recorded, as it stands now. */
  all(): Promise<Array<{ key: string; draw: Draw }>>;
  /** IRCC corrected the round: it stands as `draw` from now on, first announced kept, revision raised. */
  correct(key: string, draw: Draw): Promise<void>;
}

const parse = (json: string): Draw => drawSchema.parse(JSON.parse(json));

export class SqlRoundStore implements RoundStore {
  constructor(private readonly sql: SqlExecutor) {}

  async record(key: string, draw: Draw, category: string, at: number): Promise<boolean> {
    const changed = await this.sql.run(
      'INSERT INTO alert_rounds (round, draw, category, enqueued_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [key, JSON.stringify(draw), category, Math.round(at)],
    );
    return changed > 0;
  }

  async has(key: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 AS one FROM alert_rounds WHERE round = ?', [key])) !== undefined;
  }

  async draw(key: string): Promise<Draw | undefined> {
    const row = await this.sql.get<{ draw: string }>('SELECT draw FROM alert_rounds WHERE round = ?', [key]);
    return row === undefined ? undefined : parse(row.draw);
  }

  async firstDraw(key: string): Promise<Draw | undefined> {
    const row = await this.sql.get<{ first: string | null }>('SELECT first_draw AS first FROM alert_rounds WHERE round = ?', [key]);
    return row?.first == null ? undefined : parse(row.first);
  }

  async revision(key: string): Promise<number> {
    const row = await this.sql.get<{ revision: number }>('SELECT revision FROM alert_rounds WHERE round = ?', [key]);
    return row?.revision ?? 0;
  }

  async all(): Promise<Array<{ key: string; draw: Draw }>> {
    const rows = await this.sql.all<{ key: string; draw: string }>('SELECT round AS key, draw FROM alert_rounds');
    return rows.map((row) => ({ key: row.key, draw: parse(row.draw) }));
  }

  async correct(key: string, draw: Draw): Promise<void> {
    await this.sql.run(
      'UPDATE alert_rounds SET first_draw = coalesce(first_draw, draw), draw = ?, revision = revision + 1 WHERE round = ?',
      [JSON.stringify(draw), key],
    );
  }
}
