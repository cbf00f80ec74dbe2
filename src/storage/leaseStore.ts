import type { Engine, SqlExecutor } from './sqlDatabase.js';

/** A write made as leader found the lease gone (expired, or taken by another instance): nothing was written. */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
  constructor(lease: string, epoch: number | undefined) {
    super(`this instance no longer holds the ${lease} lease (epoch ${epoch ?? 'none'}); the write was refused`);
  }
}

/** A lease as the database sees it now. */
export interface LeaseState {
  holder: string;
  /** Raised by every take: the fencing token. */
  epoch: number;
  /** How long it has still to run (0 or less: expired, free to take). */
  remainingMs: number;
  /** How long ago it was taken. */
  heldForMs: number;
  /** Given up by its holder (a clean stop), rather than left to run out. */
  released: boolean;
}

/**
 * Leases on the database's clock (never an instance's): one row per name, taken by one holder at a
 * time for a TTL, renewed before it runs out, each take raising the epoch. Whoever acts on a lease
 * checks it in the same transaction as its writes (`check`), so a holder that lost it — paused past
 * its TTL while another took over — writes nothing.
 */
export interface LeaseStore {
  /**
   * Takes the lease for `ttlMs` if nobody holds it (never taken, expired, released): its new epoch;
   * undefined while another holds it. `force`: whoever holds it (the caller knows by other means that
   * no other instance runs).
   */
  acquire(name: string, holder: string, ttlMs: number, force?: boolean): Promise<number | undefined>;
  /** Extends the lease held at `epoch` to `ttlMs` from now: false when it is no longer (expired, taken since). */
  renew(name: string, holder: string, epoch: number, ttlMs: number): Promise<boolean>;
  /** Gives it up at once (a clean stop), so that another need not wait out the TTL. */
  release(name: string, holder: string, epoch: number): Promise<void>;
  read(name: string): Promise<LeaseState | undefined>;
  /**
   * Inside a transaction, before its writes: throws NotLeaderError unless `holder` still holds the
   * lease at `epoch`. On PostgreSQL the row stays locked (FOR SHARE) until the transaction ends, so a
   * takeover waits for these writes, and writes after it find the new epoch.
   */
  check(name: string, holder: string, epoch: number | undefined): Promise<void>;
  /** Records `instance` as alive now; how many instances were seen within `withinMs` (itself included). */
  heartbeat(instance: string, withinMs: number): Promise<number>;
  /** A clean stop: the instance no longer counts as alive. */
  leave(instance: string): Promise<void>;
}

/** Now on the database's clock, in ms since the epoch: one clock for every instance. */
export function databaseNow(engine: Engine): string {
  return engine === 'postgres'
    ? 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)'
    : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
}

/** Heartbeats older than this are deleted when an instance beats (instances gone long ago). */
const FORGET_INSTANCES_MS = 86_400_000;

export class SqlLeaseStore implements LeaseStore {
  private readonly now: string;

  constructor(private readonly sql: SqlExecutor) {
    this.now = databaseNow(sql.engine);
  }

  async acquire(name: string, holder: string, ttlMs: number, force = false): Promise<number | undefined> {
    // One statement: of two instances taking an expired lease at once, one updates the row and the
    // other finds it no longer expired (PostgreSQL re-reads a row it waited on).
    const taken = await this.sql.run(
      `INSERT INTO leases (name, holder, epoch, expires_at, acquired_at) VALUES (?, ?, 1, ${this.now} + ?, ${this.now})
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, epoch = leases.epoch + 1,
         expires_at = excluded.expires_at, acquired_at = excluded.acquired_at
       WHERE ${force ? 'TRUE' : `leases.expires_at <= ${this.now}`}`,
      [name, holder, Math.round(ttlMs)],
    );
    if (taken !== 1) return undefined;
    const row = await this.sql.get<{ epoch: number }>('SELECT epoch FROM leases WHERE name = ? AND holder = ?', [name, holder]);
    return row?.epoch;
  }

  async renew(name: string, holder: string, epoch: number, ttlMs: number): Promise<boolean> {
    const renewed = await this.sql.run(
      `UPDATE leases SET expires_at = ${this.now} + ? WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > ${this.now}`,
      [Math.round(ttlMs), name, holder, epoch],
    );
    return renewed === 1;
  }

  async release(name: string, holder: string, epoch: number): Promise<void> {
    // 0 rather than now: a lease given up reads as released, not as run out (a failover).
    await this.sql.run('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND epoch = ?', [name, holder, epoch]);
  }

  async read(name: string): Promise<LeaseState | undefined> {
    return this.sql
      .get<LeaseState>(
        `SELECT holder, epoch, expires_at - ${this.now} AS "remainingMs", ${this.now} - acquired_at AS "heldForMs",
         CASE WHEN expires_at = 0 THEN 1 ELSE 0 END AS released FROM leases WHERE name = ?`,
        [name],
      )
      .then((row) => row && { ...row, released: Boolean(row.released) });
  }

  async check(name: string, holder: string, epoch: number | undefined): Promise<void> {
    if (epoch === undefined) throw new NotLeaderError(name, epoch);
    const lock = this.sql.engine === 'postgres' ? 'FOR SHARE' : '';
    const row = await this.sql.get<{ epoch: number }>(
      `SELECT epoch FROM leases WHERE name = ? AND holder = ? AND epoch = ? AND expires_at > ${this.now} ${lock}`,
      [name, holder, epoch],
    );
    if (!row) throw new NotLeaderError(name, epoch);
  }

  async heartbeat(instance: string, withinMs: number): Promise<number> {
    await this.sql.run(
      `INSERT INTO instances (id, seen_at, started_at) VALUES (?, ${this.now}, ${this.now})
       ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
      [instance],
    );
    await this.sql.run(`DELETE FROM instances WHERE seen_at < ${this.now} - ?`, [FORGET_INSTANCES_MS]);
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM instances WHERE seen_at > ${this.now} - ?`, [
      Math.round(withinMs),
    ]);
    return Math.max(1, row?.n ?? 1);
  }

  async leave(instance: string): Promise<void> {
    await this.sql.run('DELETE FROM instances WHERE id = ?', [instance]);
  }
}
