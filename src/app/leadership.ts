import { performance } from 'node:perf_hooks';
import type { Logger } from '../lib/log.js';
import { sleep } from '../lib/sleep.js';
import type { LeaseStore } from '../storage/leaseStore.js';
import type { Stores } from '../storage/storage.js';

export const LEADER_LEASE = 'leader';
export const DEFAULT_LEASE_TTL_MS = 10_000;

export interface LeadershipOptions {
  leases: LeaseStore;
  /** This instance (its claims carry the same id). */
  holder: string;
  /** Default 10 s: a dead leader is replaced within this and one renewal interval. */
  ttlMs?: number;
  /** How often the leader renews and a follower looks. Default a quarter of the TTL. */
  renewEveryMs?: number;
  /**
   * The leader stops acting this long before the lease would run out, counted from when it sent its
   * last confirmed renewal (so never later than the database's expiry): covers clock-rate drift
   * between the machines. Default a fifth of the TTL.
   */
  marginMs?: number;
  /**
   * Take the lease even while another holds it: the storage's own lock already makes this process the
   * only instance (SQLite's DATA_DIR lock), so a lease left by a killed run need not be waited out.
   */
  exclusive?: boolean;
  log: Logger;
  /** Starts the leader's work (polling, sending) at `epoch`; awaited before the next renewal. */
  onLead(epoch: number): Promise<void>;
  /** Stops it (no new sends; requests in flight finish). `isLeader` is false already when it is called. */
  onFollow(reason: string): Promise<void>;
  /** Told every renewal's outcome and every take (metrics). */
  onRenewal?(ok: boolean): void;
  /** Took the lead from a leader whose lease ran out (not released): a failover. */
  onFailover?(): void;
  /** Told how many instances are alive after every heartbeat (this one included): the send budget is shared out among them. */
  onInstances?(count: number): void;
  /** Monotonic ms (default performance.now): immune to the wall clock being set. */
  monotonic?: () => number;
}

/** What /healthz shows of the role. */
export interface RoleStatus {
  role: 'leader' | 'follower';
  /** The leader's epoch (this instance's when it leads), as last seen. */
  epoch?: number;
  /** How long this instance has led (leader), or since the leader took the lease (follower). */
  leaderForSeconds?: number;
  /** Instances seen alive lately, this one included. */
  instances: number;
  /** Follower: how long no instance has held the lease, when none does. */
  leaderlessSeconds?: number;
}

/**
 * One leader among the instances on a store: a lease row with an epoch (the fencing token) and a
 * TTL on the database's clock, renewed every few seconds. The leader stops acting — `isLeader` turns
 * false — as soon as a renewal has not been confirmed in time, measured on this process's monotonic
 * clock from when the last confirmed renewal was sent: a process paused past its lease (GC, SIGSTOP,
 * a frozen VM) finds it false when it wakes, before anything else runs. Its writes check the epoch
 * in their transaction (`fence`), so one that raced past the check still writes nothing.
 */
export class Leadership {
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly marginMs: number;
  private readonly monotonic: () => number;
  private epochHeld: number | undefined;
  /** Monotonic instant until which the lease is surely ours. */
  private validUntil = Number.NEGATIVE_INFINITY;
  private ledSince = 0;
  private lossTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  /** Work in progress starting or stopping the leader's work: one at a time. */
  private transition: Promise<void> = Promise.resolve();
  private seen: { epoch?: number; heldForMs?: number; leaderlessSinceMs?: number } = {};
  private instances = 1;
  private renewFailing = false;

  constructor(private readonly options: LeadershipOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(250, Math.floor(this.ttlMs / 4));
    this.marginMs = options.marginMs ?? Math.floor(this.ttlMs / 5);
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** How often it renews (leading) or looks (following), and beats: others count a newcomer within this. */
  get renewEvery(): number {
    return this.renewEveryMs;
  }

  /** Whether this instance leads right now (checked before every send). */
  get isLeader(): boolean {
    return this.epochHeld !== undefined && this.monotonic() < this.validUntil;
  }

  /** The epoch held while leading. */
  get epoch(): number | undefined {
    return this.isLeader ? this.epochHeld : undefined;
  }

  /** For a transaction's first statement: refuses (NotLeaderError) unless this instance still holds the lease. */
  readonly fence = (stores: Stores): Promise<void> =>
    stores.leases.check(LEADER_LEASE, this.options.holder, this.isLeader ? this.epochHeld : undefined);

  status(): RoleStatus {
    const leading = this.isLeader;
    const now = this.monotonic();
    return {
      role: leading ? 'leader' : 'follower',
      ...(leading ? { epoch: this.epochHeld } : this.seen.epoch === undefined ? {} : { epoch: this.seen.epoch }),
      ...(leading
        ? { leaderForSeconds: round((now - this.ledSince) / 1000) }
        : this.seen.heldForMs === undefined
          ? {}
          : { leaderForSeconds: round(this.seen.heldForMs / 1000) }),
      instances: this.instances,
      ...(!leading && this.seen.leaderlessSinceMs !== undefined
        ? { leaderlessSeconds: round((now - this.seen.leaderlessSinceMs) / 1000) }
        : {}),
    };
  }

  /** Looks once (leading at once if the lease is free), then keeps renewing or watching until stop(). */
  async start(): Promise<void> {
    if (this.loop) return;
    await this.tick();
    this.loop = this.run();
    await this.transition; // a lead taken at once has started its work
  }

  /** Stops the leader's work, gives the lease up for another instance to take at once, and stops looking. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    const epoch = this.epochHeld;
    if (epoch !== undefined) await this.demote('stopping');
    await this.transition;
    const { leases, holder } = this.options;
    if (epoch !== undefined) await leases.release(LEADER_LEASE, holder, epoch).catch(() => undefined);
    await leases.leave(holder).catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await sleep(this.renewEveryMs, this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      await this.tick();
    }
  }

  private async tick(): Promise<void> {
    const { leases, holder } = this.options;
    try {
      this.instances = await leases.heartbeat(holder, 3 * this.renewEveryMs + 1000);
      this.options.onInstances?.(this.instances);
    } catch {
      // The renewal below says what is wrong with the database.
    }
    if (this.epochHeld !== undefined) await this.renew();
    else await this.tryLead();
  }

  private async renew(): Promise<void> {
    const { leases, holder, log } = this.options;
    const epoch = this.epochHeld!;
    const sentAt = this.monotonic();
    // Past its time already (a pause, a renewal that hung): once lost, a lead is never resumed, even
    // if nobody took the lease meanwhile — the next one is taken afresh, at a new epoch.
    if (sentAt >= this.validUntil) {
      await this.demote('no renewal of the lease was confirmed in time');
      return;
    }
    let renewed: boolean;
    try {
      renewed = await leases.renew(LEADER_LEASE, holder, epoch, this.ttlMs);
    } catch (error) {
      this.options.onRenewal?.(false);
      if (!this.renewFailing) log.warn({ err: error, epoch }, 'could not renew the leader lease; still leading until it runs out');
      this.renewFailing = true;
      return; // the loss timer ends the lead if no renewal is confirmed in time
    }
    this.options.onRenewal?.(renewed);
    if (this.epochHeld !== epoch) return; // lost meanwhile (the timer fired)
    if (!renewed) {
      await this.demote('the lease was taken by another instance or ran out');
      return;
    }
    if (this.renewFailing) log.info({ epoch }, 'the leader lease is renewed again');
    this.renewFailing = false;
    this.holdUntil(sentAt + this.ttlMs - this.marginMs);
  }

  private async tryLead(): Promise<void> {
    const { leases, holder, log, exclusive } = this.options;
    const now = this.monotonic();
    let previous: Awaited<ReturnType<LeaseStore['read']>>;
    let epoch: number | undefined;
    try {
      previous = await leases.read(LEADER_LEASE);
      if (!exclusive && previous && previous.remainingMs > 0 && previous.holder !== holder) {
        if (this.seen.epoch !== previous.epoch) log.info({ epoch: previous.epoch }, 'following: another instance leads');
        this.seen = { epoch: previous.epoch, heldForMs: previous.heldForMs };
        return;
      }
      this.seen.leaderlessSinceMs ??= now;
      epoch = await leases.acquire(LEADER_LEASE, holder, this.ttlMs, exclusive);
      this.renewFailing = false;
    } catch (error) {
      if (!this.renewFailing) log.warn({ err: error }, 'could not read the leader lease; trying again');
      this.renewFailing = true;
      return;
    }
    if (epoch === undefined) return; // another instance took it first
    const failover = previous !== undefined && previous.holder !== holder && !previous.released && !exclusive;
    this.epochHeld = epoch;
    this.ledSince = now;
    this.seen = {};
    this.holdUntil(now + this.ttlMs - this.marginMs);
    log.info(
      { epoch, ...(previous ? { previousEpoch: previous.epoch } : {}) },
      failover ? 'took the lead: the previous leader stopped renewing' : 'took the lead',
    );
    if (failover) this.options.onFailover?.();
    this.transition = this.transition.then(async () => {
      if (this.epochHeld !== epoch) return;
      try {
        await this.options.onLead(epoch);
      } catch (error) {
        // Given up for another instance (or this one, at the next look) to take afresh.
        log.error({ err: error, epoch }, 'starting the leader work failed; giving the lead up');
        this.lose();
        await this.options.onFollow('starting the leader work failed').catch(() => undefined);
        await leases.release(LEADER_LEASE, holder, epoch).catch(() => undefined);
      }
    });
    // Not awaited here: the leader's work may take a while to start (a catch-up over a large store,
    // a gateway login), and renewals must go on meanwhile.
  }

  /** The lease is ours until `until` (monotonic); past it, leading ends even if no renewal answers. */
  private holdUntil(until: number): void {
    this.validUntil = until;
    clearTimeout(this.lossTimer);
    const epoch = this.epochHeld;
    this.lossTimer = setTimeout(
      () => {
        if (this.epochHeld === epoch && this.monotonic() >= this.validUntil)
          void this.demote('no renewal of the lease was confirmed in time');
      },
      Math.max(0, until - this.monotonic()) + 1,
    );
    this.lossTimer.unref();
  }

  /** Stops leading at once (isLeader false from here on). */
  private lose(): void {
    this.epochHeld = undefined;
    this.validUntil = Number.NEGATIVE_INFINITY;
    clearTimeout(this.lossTimer);
  }

  private demote(reason: string): Promise<void> {
    const epoch = this.epochHeld;
    if (epoch === undefined) return this.transition;
    this.lose();
    const log = this.options.log;
    if (reason === 'stopping') log.info({ epoch }, 'giving the lead up (stopping)');
    else log.warn({ epoch, reason }, `lost the lead: ${reason}; following`);
    this.transition = this.transition.then(() =>
      this.options.onFollow(reason).catch((error: unknown) => log.error({ err: error }, 'stopping the leader work failed')),
    );
    return this.transition;
  }
}

const round = (seconds: number): number => Math.round(seconds * 10) / 10;
