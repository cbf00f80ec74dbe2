import type { Dataset } from '../domain/drawSchema.js';
import type { SqlDatabase, SqlExecutor } from './sqlDatabase.js';
import { SqlDatasetStore } from './sqlDatasetStore.js';

/** What a copy moved, table by table, and whether it had been done before. */
export interface CopyReport {
  /** The target already held exactly this copy (the same install, the same counts): nothing was written. */
  alreadyCopied: boolean;
  counts: Record<CopiedTable, number>;
  /** Chats with a subscription, and deliveries still pending. */
  chats: number;
  pending: number;
  /** Rounds in the dataset copied with them (0: none given). */
  rounds: number;
}

/** A copy that must not go ahead: one sentence for the operator. */
export class CopyRefusedError extends Error {
  override readonly name = 'CopyRefusedError';
}

/**
 * Every table the bot keeps, in an order that satisfies the foreign keys, with its columns and the
 * key that pages through it. Both engines' schemas hold these columns (migration 8 / migration 1).
 */
const TABLES = {
  subscriptions: {
    columns: ['platform', 'chat_id', 'category', 'created_at', 'thread_id', 'paused_reason', 'paused_fix', 'paused_at', 'owner_id'],
    order: 'platform, chat_id, category',
  },
  alert_rounds: { columns: ['round', 'draw', 'enqueued_at', 'first_draw', 'revision', 'category'], order: 'round' },
  deliveries: {
    columns: [
      'id',
      'platform',
      'chat_id',
      'round',
      'status',
      'attempts',
      'next_attempt_at',
      'created_at',
      'sent_at',
      'last_error',
      'thread_id',
      'message_id',
      'revision',
      'claimed_by',
      'claimed_at',
    ],
    order: 'id',
  },
  alert_state: { columns: ['key', 'value'], order: 'key' },
  profiles: {
    columns: ['platform', 'user_id', 'crs', 'categories', 'submitted_at', 'time_zone', 'updated_at'],
    order: 'platform, user_id',
  },
} as const;

export type CopiedTable = keyof typeof TABLES;
const NAMES = Object.keys(TABLES) as CopiedTable[];
/** Rows read and written at a time: 500 × 15 columns stays far under PostgreSQL's 65,535 parameters. */
const PAGE = 500;

/**
 * Copies everything the bot keeps from `source` into `target` (SQLite into PostgreSQL, when moving
 * up), and `dataset` (DATA_DIR/draws.json) into the target's dataset row, in one transaction on the target: all of it, counted and compared before the commit, or
 * nothing. A target that already holds this very copy is left alone (run it twice, get one copy);
 * any other non-empty target is refused. Neither store may have a bot running on it: the caller
 * holds both instance locks.
 */
export async function copyDatabase(source: SqlDatabase, target: SqlDatabase, dataset?: Dataset): Promise<CopyReport> {
  const counts = await countRows(source);
  const summary = { chats: await chatCount(source), pending: await pendingCount(source), rounds: dataset?.draws.length ?? 0 };
  const held = await countRows(target);
  if (NAMES.some((name) => held[name] > 0)) {
    if ((await sameInstall(source, target)) && NAMES.every((name) => held[name] === counts[name])) {
      return { alreadyCopied: true, counts, ...summary };
    }
    const what = NAMES.filter((name) => held[name] > 0)
      .map((name) => `${held[name]} ${name}`)
      .join(', ');
    throw new CopyRefusedError(`the target database is not empty (${what}); copy only into a new, empty database`);
  }
  await target.transaction(async (tx) => {
    for (const name of NAMES) await copyTable(source, tx, name);
    // The live sync's dataset (a file beside a SQLite database) goes into the database's row.
    if (dataset) await new SqlDatasetStore(tx).write(dataset);
    if (tx.engine === 'postgres') {
      // Rows kept their ids: new deliveries must be numbered after them.
      await tx.run(`SELECT setval(pg_get_serial_sequence('deliveries', 'id'), coalesce(MAX(id), 0) + 1, false) FROM deliveries`);
    }
    const copied = await countRows(tx);
    const wrong = NAMES.filter((name) => copied[name] !== counts[name]);
    if (wrong.length > 0) {
      throw new Error(
        `the copy's counts differ from the source's (${wrong.map((name) => `${name}: ${copied[name]} of ${counts[name]}`).join(', ')}); nothing was written`,
      );
    }
  });
  return { alreadyCopied: false, counts, ...summary };
}

async function copyTable(source: SqlExecutor, target: SqlExecutor, name: CopiedTable): Promise<void> {
  const { columns, order } = TABLES[name];
  const list = columns.join(', ');
  for (let offset = 0; ; offset += PAGE) {
    const rows = await source.all<Record<string, unknown>>(`SELECT ${list} FROM ${name} ORDER BY ${order} LIMIT ? OFFSET ?`, [
      PAGE,
      offset,
    ]);
    if (rows.length === 0) return;
    const placeholders = rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await target.run(
      `INSERT INTO ${name} (${list}) VALUES ${placeholders}`,
      rows.flatMap((row) => columns.map((column) => row[column] ?? null)),
    );
    if (rows.length < PAGE) return;
  }
}

async function countRows(db: SqlExecutor): Promise<Record<CopiedTable, number>> {
  const counts = {} as Record<CopiedTable, number>;
  for (const name of NAMES) counts[name] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${name}`))?.n ?? 0;
  return counts;
}

async function chatCount(db: SqlExecutor): Promise<number> {
  return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM (SELECT DISTINCT platform, chat_id FROM subscriptions) AS chats'))?.n ?? 0;
}

async function pendingCount(db: SqlExecutor): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'`))?.n ?? 0;
}

/** Both hold the same install's secret: the target is a copy of this source. */
async function sameInstall(source: SqlExecutor, target: SqlExecutor): Promise<boolean> {
  const secret = (db: SqlExecutor) => db.get<{ value: string }>(`SELECT value FROM alert_state WHERE key = 'install_secret'`);
  const [a, b] = await Promise.all([secret(source), secret(target)]);
  return a !== undefined && a.value === b?.value;
}
