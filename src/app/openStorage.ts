import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../lib/log.js';
import type { PostgresLock } from '../storage/postgres/lockPostgres.js';
import { alertsDbPath } from '../storage/sqlite/alertsDbPath.js';
import { lockDataDir } from '../storage/sqlite/lockDataDir.js';
import { openSqlite } from '../storage/sqlite/openSqlite.js';
import { createStorage, type Storage } from '../storage/storage.js';

/** The storage the config asks for, held by this process alone. */
export interface OpenedStorage {
  storage: Storage;
  /** Who this instance is when it claims deliveries. */
  instance: string;
  /** Where it is, for the log: `SQLite var/alerts.sqlite`, `PostgreSQL db.example:5432/eebot` (never a password). */
  where: string;
  /** Closes the storage and lets another process take it. Idempotent. */
  close(): Promise<void>;
}

/**
 * The engine the config picks — PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR — with
 * the instance lock taken first: two bots on one store would send every alert twice. A second bot
 * is refused at once with a message saying which store and what to do. A lock lost later (the
 * PostgreSQL session holding it ended) is `onLost`: the bot stops, and its supervisor restarts it.
 */
export async function openStorage(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  log: Logger,
  /** The store can no longer guarantee that this process is its only bot (PostgreSQL: the lock's session ended). */
  onLost?: (reason: string) => void,
): Promise<OpenedStorage> {
  const instance = randomUUID();
  if (config.databaseUrl) {
    // Loaded only here: a SQLite bot, the console and `npm run ask` never load the pg driver.
    const [{ openPostgres }, { lockPostgres }] = await Promise.all([
      import('../storage/postgres/openPostgres.js'),
      import('../storage/postgres/lockPostgres.js'),
    ]);
    const db = await openPostgres(config.databaseUrl, {
      onError: (error) => log.warn({ err: error }, 'a PostgreSQL connection was lost; the pool reconnects'),
      applicationName: `ee-draw-bot ${instance.slice(0, 8)}`,
    });
    let lock: PostgresLock;
    try {
      lock = await lockPostgres(db, undefined, () =>
        onLost?.('the PostgreSQL connection holding the instance lock was lost; another bot may take the database'),
      );
    } catch (error) {
      await db.close();
      throw error;
    }
    const url = new URL(config.databaseUrl);
    return {
      storage: createStorage(db),
      instance,
      where: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: once(async () => {
        await lock.release().catch(() => undefined);
        await db.close();
      }),
    };
  }
  const lock = await lockDataDir(config.dataDir);
  try {
    const path = alertsDbPath(config.dataDir);
    const db = openSqlite(path);
    return {
      storage: createStorage(db),
      instance,
      where: `SQLite ${path}`,
      close: once(async () => {
        await db.close();
        await lock.release();
      }),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= work();
    return done;
  };
}
