import { compareDraws } from '../domain/compareDraws.js';
import { type Correction, corrections } from '../domain/corrections.js';
import type { Delivery, DeliveryStatus, OwedEdit } from '../domain/delivery.js';
import type { Draw, Pool } from '../domain/drawSchema.js';
import type { AlertPlatform, Pause } from '../domain/subscription.js';
import type { Storage, Stores } from '../storage/storage.js';
import { POOL } from '../storage/subscriptionRows.js';

export type { Delivery, DeliveryStatus, OwedEdit } from '../domain/delivery.js';

/** A round whose figures IRCC corrected in the dataset just received: as stored until now, and now. */
export interface CorrectedRound {
  round: string;
  before: Draw;
  after: Draw;
  changes: Correction[];
}

const WATERMARK = 'newest_round';
/** The newest pool distribution seen (JSON). */
const POOL_MARK = 'pool_as_of';

/** The alert key of a pool distribution: its deliveries stand where a round's would. */
export const poolKey = (asOf: string): string => `pool:${asOf}`;
export const isPoolKey = (key: string): boolean => key.startsWith('pool:');
const DAY_MS = 86_400_000;

/**
 * The alerts engine's view of the storage: what must change together changes in one transaction
 * (a round with all its deliveries and the watermark; a chat gone with its subscription), and the
 * queue's reads and claims pass through. Rows are created for every matching subscription in the
 * transaction that records the round, so a crash either records a round with all its deliveries or
 * not at all; a duplicate enqueue creates nothing, and a row once settled is never sent again.
 */
export class Outbox {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
    /**
     * Run first in every transaction that writes as the one sender (enqueue, claim, catch-up,
     * corrections…): throws unless this instance still leads (Leadership.fence). None: a single instance.
     */
    private readonly fence?: (stores: Stores) => Promise<void>,
  ) {}

  /** `work` in one transaction, behind the fence. */
  private transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    const { fence } = this;
    if (!fence) return this.storage.transaction(work);
    return this.storage.transaction(async (stores) => {
      await fence(stores);
      return work(stores);
    });
  }

  /**
   * Claims left by instances gone or no longer leading (killed with requests on the wire): released,
   * so those rows go again — the only at-least-once window. How many.
   */
  releaseClaims(except: string): Promise<number> {
    return this.transaction((stores) => stores.deliveries.releaseClaims(except));
  }

  /**
   * Records new rounds and a pending delivery for every chat that asked for them, in ONE
   * transaction. Returns how many deliveries were created (re-enqueueing a round creates none).
   */
  enqueue(draws: readonly Draw[]): Promise<number> {
    return this.transaction((stores) => this.enqueueIn(stores, draws));
  }

  /**
   * Rounds newer than the newest this outbox has seen, enqueued now: the feed poller writes the
   * dataset before it reports new rounds, so a bot killed in between would otherwise never announce
   * them. `draws` is every draw held (newest first, as DrawIndex keeps them). The first start only
   * remembers the newest round (no flood of history); rounds older than `maxAgeDays` are skipped.
   */
  catchUp(draws: readonly Draw[], maxAgeDays = 7): Promise<{ enqueued: Draw[]; tooOld: Draw[] }> {
    return this.transaction(async (stores) => {
      const mark = await watermark(stores);
      if (!mark) {
        await raiseWatermark(stores, draws);
        return { enqueued: [], tooOld: [] };
      }
      const unseen: Draw[] = [];
      for (const draw of draws) {
        if (compareDraws(draw, mark) < 0 && !(await stores.rounds.has(draw.round))) {
          unseen.push(draw);
        }
      }
      const since = new Date(this.now() - maxAgeDays * DAY_MS).toISOString().slice(0, 10);
      const enqueued = unseen.filter((d) => d.date >= since).reverse(); // oldest first, as the poller reports
      const tooOld = unseen.filter((d) => d.date < since);
      await this.enqueueIn(stores, enqueued);
      await raiseWatermark(stores, draws);
      return { enqueued, tooOld };
    });
  }

  /**
   * A pool distribution newer than the last one seen, announced to the chats that asked for pool
   * alerts (`/subscribe pool`): one delivery each, under the key `pool:<asOf>` with the draw that
   * carries the pool, so the sender's exactly-once rules hold as for rounds. `draws`: every draw
   * held, newest first. The first look only remembers the newest pool (no alert for the one the
   * bot starts with). Returns what was announced, if anything.
   */
  announcePool(draws: readonly Draw[]): Promise<{ key: string; created: number } | undefined> {
    return this.transaction(async ({ state, rounds, deliveries }) => {
      const newest = draws.find((draw) => draw.pool);
      if (!newest?.pool) return undefined;
      const json = await state.get(POOL_MARK);
      const seen = json === undefined ? undefined : (JSON.parse(json) as Pool);
      if (seen && newest.pool.asOf <= seen.asOf) return undefined;
      await state.set(POOL_MARK, JSON.stringify(newest.pool));
      if (!seen) return undefined;
      const at = this.now();
      const key = poolKey(newest.pool.asOf);
      if (!(await rounds.record(key, newest, POOL, at))) return undefined; // announced already
      // The distribution it replaces, for the alert's "moved most": IRCC may overwrite a round's
      // pool in place, so the dataset alone may no longer hold it.
      await state.set(`${key}:before`, JSON.stringify(seen));
      return { key, created: await deliveries.enqueuePool(key, at) };
    });
  }

  /** The distribution a pool alert's (`pool:<asOf>`) replaced, as the outbox last saw it. */
  async poolBefore(key: string): Promise<Pool | undefined> {
    const json = await this.storage.state.get(`${key}:before`);
    return json === undefined ? undefined : (JSON.parse(json) as Pool);
  }

  /** Pending deliveries due by `now` that nobody holds, oldest first. */
  due(platform: AlertPlatform, now: number, limit: number): Promise<Delivery[]> {
    return this.storage.deliveries.due(platform, now, limit);
  }

  /** Takes the row for its request (see DeliveryStore.claim). */
  claim(delivery: Delivery, claimant: string, now: number): Promise<boolean> {
    // Behind the fence: a leader that lost its lease claims nothing, so it sends nothing.
    if (this.fence) return this.transaction((stores) => stores.deliveries.claim(delivery.id, delivery.chatId, claimant, now));
    return this.storage.deliveries.claim(delivery.id, delivery.chatId, claimant, now);
  }

  olderPendingDueAt(platform: AlertPlatform, chatId: string, id: number): Promise<number | undefined> {
    return this.storage.deliveries.olderPendingDueAt(platform, chatId, id);
  }

  markSent(id: number, claimant: string, at: number, messageId?: string, revision?: number): Promise<void> {
    return this.storage.deliveries.markSent(id, claimant, at, messageId, revision);
  }

  retryLater(id: number, claimant: string | undefined, at: number, error?: string): Promise<void> {
    return this.storage.deliveries.retryLater(id, claimant, at, error);
  }

  markFailed(id: number, claimant: string | undefined, error: string): Promise<void> {
    return this.storage.deliveries.markFailed(id, claimant, error);
  }

  /** The chat can no longer be reached: its pending alerts are dropped and its subscription removed. */
  markGone(platform: AlertPlatform, chatId: string): Promise<void> {
    return this.transaction(async ({ deliveries, subscriptions }) => {
      await deliveries.dropChat(platform, chatId);
      await subscriptions.removeChat(platform, chatId);
    });
  }

  /**
   * The bot may not post in the chat for now: its pending alerts are given up (failed, with
   * `error`), and its subscription kept but paused, so no round is enqueued for it until someone
   * sends /subscribe there again.
   */
  markPaused(platform: AlertPlatform, chatId: string, pause: Pause, error: string): Promise<void> {
    return this.transaction(async ({ deliveries, subscriptions }) => {
      await deliveries.failChat(platform, chatId, error);
      await subscriptions.pause(platform, chatId, pause);
    });
  }

  /** The chat changed id: subscription and deliveries follow it, merged with what the new id has. */
  moveChat(platform: AlertPlatform, fromId: string, toId: string): Promise<void> {
    if (fromId === toId) return Promise.resolve();
    return this.transaction(async ({ deliveries, subscriptions }) => {
      await deliveries.moveChat(platform, fromId, toId);
      await subscriptions.moveChat(platform, fromId, toId);
    });
  }

  pendingCount(platform: AlertPlatform): Promise<number> {
    return this.storage.deliveries.pendingCount(platform);
  }

  /** When the earliest pending delivery nobody holds is due; undefined when none is. */
  nextDueAt(platform: AlertPlatform): Promise<number | undefined> {
    return this.storage.deliveries.nextDueAt(platform);
  }

  counts(platform: AlertPlatform): Promise<Record<DeliveryStatus, number>> {
    return this.storage.deliveries.counts(platform);
  }

  /** The round as it stands (as enqueued, or as IRCC corrected it since). */
  draw(round: string): Promise<Draw | undefined> {
    return this.storage.rounds.draw(round);
  }

  /**
   * Rounds announced whose cut-off, size, tie-break or date differ in `draws` (the dataset now
   * held): each is stored as it is now and its revision raised, in one transaction, so that its
   * pending alerts go out with the corrected figures and its sent ones are owed an edit. A rename
   * alone changes nothing. Rounds no longer in `draws` are left as announced.
   */
  correct(draws: readonly Draw[]): Promise<CorrectedRound[]> {
    return this.transaction(async ({ rounds }) => {
      const byRound = new Map(draws.map((d) => [d.round, d]));
      const corrected: CorrectedRound[] = [];
      for (const { key, draw: before } of await rounds.all()) {
        const after = byRound.get(key);
        if (!after) continue;
        const changes = corrections(before, after);
        if (changes.length === 0) continue;
        await rounds.correct(key, after);
        corrected.push({ round: key, before, after, changes });
      }
      return corrected;
    });
  }

  /** The round as its alert first announced it, if IRCC corrected it since; undefined otherwise. */
  firstDraw(round: string): Promise<Draw | undefined> {
    return this.storage.rounds.firstDraw(round);
  }

  /** How many times the round was corrected since its alert was recorded (0: never, or unknown). */
  revision(round: string): Promise<number> {
    return this.storage.rounds.revision(round);
  }

  owedEdits(platform: AlertPlatform, limit: number, afterId = 0): Promise<OwedEdit[]> {
    return this.storage.deliveries.owedEdits(platform, limit, afterId);
  }

  markEdited(id: number, revision: number): Promise<void> {
    return this.storage.deliveries.markEdited(id, revision);
  }

  private async enqueueIn(stores: Stores, draws: readonly Draw[]): Promise<number> {
    const at = this.now();
    let created = 0;
    for (const draw of draws) {
      // A round recorded before got its deliveries then: enqueueing it again creates nothing.
      if (await stores.rounds.record(draw.round, draw, draw.category, at)) {
        created += await stores.deliveries.enqueueRound(draw.round, draw.category, at);
      }
    }
    await raiseWatermark(stores, draws);
    return created;
  }
}

async function watermark({ state }: Stores): Promise<Pick<Draw, 'round' | 'date'> | undefined> {
  const json = await state.get(WATERMARK);
  return json === undefined ? undefined : (JSON.parse(json) as Pick<Draw, 'round' | 'date'>);
}

async function raiseWatermark(stores: Stores, draws: readonly Draw[]): Promise<void> {
  const newest = [...draws].sort(compareDraws)[0];
  const mark = await watermark(stores);
  if (newest && (!mark || compareDraws(newest, mark) < 0)) {
    await stores.state.set(WATERMARK, JSON.stringify({ round: newest.round, date: newest.date }));
  }
}
