import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../lib/log.js';
import { alertsDbPath } from '../storage/sqlite/alertsDbPath.js';
import { lockDataDir } from '../storage/sqlite/lockDataDir.js';
import { openSqlite } from '../storage/sqlite/openSqlite.js';
import { createStorage, type Storage } from '../storage/storage.js';
import { DEFAULT_LEASE_TTL_MS } from './leadership.js';

/** The storage the config asks for. */
export interface OpenedStorage {
  storage: Storage;
  /** Who this instance is: its claims, its lease, its heartbeat. */
  instance: string;
  /** Where it is, for the log: `SQLite var/alerts.sqlite`, `PostgreSQL db.example:5432/eebot` (never a password). */
  where: string;
  /**
   * Whether this process is the store's only instance by construction (SQLite's DATA_DIR lock): it
   * leads without waiting for a lease a killed run left. PostgreSQL: any number of instances share it.
   */
  exclusive: boolean;
  /** Closes the storage (and lets another process take DATA_DIR). Idempotent. */
  close(): Promise<void>;
}

/**
 * The engine the config picks: PostgreSQL when DATABASE_URL is set (shared by any number of
 * instances, one of which leads: see Leadership), else SQLite in DATA_DIR, locked first — a second
 * bot on DATA_DIR is refused at once with a message saying which and what to do.
 */
export async function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'leaseTtlMs'>, log: Logger): Promise<OpenedStorage> {
  const instance = randomUUID();
  if (config.databaseUrl) {
    // Loaded only here: a SQLite bot, the console and `npm run ask` never load the pg driver.
    const { openPostgres } = await import('../storage/postgres/openPostgres.js');
    const db = await openPostgres(config.databaseUrl, {
      onError: (error) => log.warn({ err: error }, 'a PostgreSQL connection was lost; the pool reconnects'),
      applicationName: `ee-draw-bot ${instance.slice(0, 8)}`,
      // A leader frozen mid-transaction holds the lease row: the others wait for it no longer than the lease.
      idleInTransactionMs: config.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
    });
    const url = new URL(config.databaseUrl);
    return {
      storage: createStorage(db),
      instance,
      where: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
      exclusive: false,
      close: once(() => db.close()),
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
      exclusive: true,
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
