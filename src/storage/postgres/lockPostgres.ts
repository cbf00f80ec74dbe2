import { hostname } from 'node:os';
import type { PoolClient } from 'pg';
import type { PostgresDatabase } from './openPostgres.js';

/** Another process holds the database's copy lock (npm run db:copy). */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

export interface PostgresLock {
  /**
   * The holding connection failed: the server ended its session, and the lock with it, so another bot
   * may now take the database. Whoever holds the lock should stop.
   */
  readonly lost: boolean;
  /** Unlocks and closes the holding connection; call it before the database's close(), which waits for it. */
  release(): Promise<void>;
}

/** Session-level: held for as long as the connection lives, released by the server if the process dies. */
const BOT_LOCK = 0x6565_5f62_6f74n; // "ee_bot"

/**
 * Claims the database for this process alone among those taking this lock: `npm run db:copy`, so
 * that two copies never run into one database at once (bots share a database and take the leader
 * lease instead, see src/app/leadership.ts). `name` labels the holding connection in pg_stat_activity (it is
 * cut at 63 characters), so that a refused bot can say which one holds the database.
 */
export async function lockPostgres(
  db: PostgresDatabase,
  name = `ee-draw-bot ${hostname()} pid ${process.pid}`,
  onLost?: (error: Error) => void,
): Promise<PostgresLock> {
  const client = await db.pool.connect();
  let lost = false;
  let held = false;
  // A checked-out client has no pool listener: without this, its connection dying would be an uncaught 'error'.
  const onError = (error: Error) => {
    lost = true;
    if (held) onLost?.(error);
  };
  client.on('error', onError);
  const close = () => {
    client.removeListener('error', onError);
    // Destroyed rather than pooled: the session (with its name, and any lock left) ends with it.
    client.release(true);
  };
  try {
    await client.query("SELECT set_config('application_name', $1, false)", [name]);
    // The server drops the session, and the lock, once this process is gone. A killed process closes
    // its socket at once; a lost machine sends nothing, so the server probes: idle 10 s, then 3 probes
    // 5 s apart, and the lock is free within about half a minute rather than the OS's two hours.
    await client.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3');
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${BOT_LOCK}) AS locked`);
    if (!rows[0]?.locked) {
      throw new DatabaseInUseError(
        `the database at DATABASE_URL is in use by another bot process (${await holderOf(client)}); stop it first (a bot whose machine was lost lets go within about 30 s)`,
      );
    }
  } catch (error) {
    close();
    throw error;
  }
  held = true;
  let released: Promise<void> | undefined;
  const release = async () => {
    held = false;
    try {
      if (!lost) await client.query(`SELECT pg_advisory_unlock(${BOT_LOCK})`);
    } catch {
      // Closing the connection below ends the session, which releases the lock all the same.
    } finally {
      close();
    }
  };
  return {
    get lost() {
      return lost;
    },
    release() {
      released ??= release();
      return released;
    },
  };
}

/** Who holds the lock, as far as this role may see (pg_stat_activity hides other roles' details). */
async function holderOf(client: PoolClient): Promise<string> {
  try {
    const { rows } = await client.query<{ application_name: string | null; pid: number; client_addr: string | null }>(
      `SELECT a.application_name, l.pid, host(a.client_addr) AS client_addr
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295)
        LIMIT 1`,
      [String(BOT_LOCK)],
    );
    const holder = rows[0];
    if (!holder) return 'holder not visible';
    const parts = [`backend pid ${holder.pid}`];
    if (holder.application_name) parts.unshift(`"${holder.application_name}"`);
    if (holder.client_addr) parts.push(`from ${holder.client_addr}`);
    return parts.join(', ');
  } catch {
    return 'holder not readable';
  }
}
