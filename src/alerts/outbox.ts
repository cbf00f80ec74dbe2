import { compareDraws } from '../domain/compareDraws.js';
import { type Draw, drawSchema, type Pool } from '../domain/drawSchema.js';
import { type Correction, corrections } from './corrections.js';
import type { AlertsDatabase } from './openDatabase.js';
import { type AlertPlatform, type Pause, POOL, type SubscriptionStore } from './subscriptionStore.js';

/** One message owed to one chat. */
export interface Delivery {
  id: number;
  platform: AlertPlatform;
  chatId: string;
  round: string;
  /** Failed tries so far (429 waits do not count). */
  attempts: number;
  /** The forum topic to post in (Telegram's message_thread_id), as subscribed when enqueued; null: the chat itself. */
  threadId: string | null;
}

export type DeliveryStatus = 'pending' | 'sent' | 'gone' | 'failed';

/** A sent alert whose round IRCC corrected since: to edit to the round's `revision`. */
export interface OwedEdit {
  id: number;
  chatId: string;
  round: string;
  messageId: string;
  revision: number;
}

/** A round whose figures IRCC corrected in the dataset just received: as stored until now, and now. */
export interface CorrectedRound {
  round: string;
  before: Draw;
  after: Draw;
  changes: Correction[];
}

const WATERMARK = 'newest_round';
/** alert_state: the newest pool distribution seen (JSON). */
const POOL_MARK = 'pool_as_of';

/** The alert key of a pool distribution: its deliveries stand where a round's would. */
export const poolKey = (asOf: string): string => `pool:${asOf}`;
export const isPoolKey = (key: string): boolean => key.startsWith('pool:');
const DAY_MS = 86_400_000;

/**
 * The alerts owed, one row per (platform, chat, round). Rows are created for every matching
 * subscription in the transaction that records the round, so a crash either records a round with
 * all its deliveries or not at all; UNIQUE makes enqueueing a round twice harmless, and a row once
 * 'sent' is never sent again.
 *
 * One sender per platform drains it (one process per database file): which rows are in flight is
 * the sender's to know, in memory — a row is either pending (to send, or in doubt after a crash:
 * sent again) or settled. Recording "in flight" too would cost a third more writes for a log line.
 * So does a row whose answer this database refused to record (disk full, SQLITE_BUSY): the sender
 * holds it in doubt, never sends it again in that run, and writes its answer once the file takes it.
 */
export class Outbox {
  private readonly insertRound;
  private readonly insertDeliveries;
  private readonly selectDue;
  private readonly selectIsDue;
  private readonly selectOlderDue;
  private readonly setSent;
  private readonly setRetry;
  private readonly setFailed;
  private readonly setGoneForChat;
  private readonly setFailedForChat;
  private readonly moveSentInto;
  private readonly dropMerged;
  private readonly moveRows;
  private readonly countPending;
  private readonly minDue;
  private readonly selectDraw;
  private readonly insertPoolDeliveries;
  private readonly selectState;
  private readonly upsertState;
  private readonly countByStatus;
  private readonly selectRounds;
  private readonly setCorrected;
  private readonly selectFirstDraw;
  private readonly selectRevision;
  private readonly selectOwedEdits;
  private readonly setEdited;

  constructor(
    private readonly db: AlertsDatabase,
    private readonly subscriptions: SubscriptionStore,
    private readonly now: () => number = Date.now,
  ) {
    this.insertRound = db.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO alert_rounds (round, draw, enqueued_at) VALUES (?, ?, ?)',
    );
    // DISTINCT is belt and braces: a chat holds either '*' or category rows, never both.
    this.insertDeliveries = db.prepare<[string, number, number, string]>(
      `INSERT OR IGNORE INTO deliveries (platform, chat_id, round, next_attempt_at, created_at, thread_id)
       SELECT DISTINCT platform, chat_id, ?, ?, ?, thread_id FROM subscriptions WHERE category IN ('*', ?) AND paused_at IS NULL`,
    );
    this.insertPoolDeliveries = db.prepare<[string, number, number]>(
      `INSERT OR IGNORE INTO deliveries (platform, chat_id, round, next_attempt_at, created_at, thread_id)
       SELECT DISTINCT platform, chat_id, ?, ?, ?, thread_id FROM subscriptions WHERE category = '${POOL}' AND paused_at IS NULL`,
    );
    this.selectDue = db.prepare<[AlertPlatform, number, number], Omit<Delivery, 'platform'>>(
      `SELECT id, chat_id AS chatId, round, attempts, thread_id AS threadId FROM deliveries
       WHERE platform = ? AND status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.selectIsDue = db
      .prepare<[number, string, number], number>(
        `SELECT 1 FROM deliveries WHERE id = ? AND chat_id = ? AND status = 'pending' AND next_attempt_at <= ?`,
      )
      .pluck();
    this.selectOlderDue = db
      .prepare<[AlertPlatform, string, number], number | null>(
        `SELECT MAX(next_attempt_at) FROM deliveries WHERE platform = ? AND chat_id = ? AND status = 'pending' AND id < ?`,
      )
      .pluck();
    // Without a revision given, the message shows the round as it is now.
    this.setSent = db.prepare<[number, string | null, number | null, number]>(
      `UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL, message_id = ?,
         revision = coalesce(?, (SELECT revision FROM alert_rounds AS r WHERE r.round = deliveries.round))
       WHERE id = ? AND status = 'pending'`,
    );
    this.setRetry = db.prepare<[number, number, string | null, number]>(
      `UPDATE deliveries SET next_attempt_at = ?, attempts = attempts + ?, last_error = coalesce(?, last_error)
       WHERE id = ? AND status = 'pending'`,
    );
    this.setFailed = db.prepare<[string, number]>(
      `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'`,
    );
    this.setGoneForChat = db.prepare<[AlertPlatform, string]>(
      `UPDATE deliveries SET status = 'gone' WHERE platform = ? AND chat_id = ? AND status = 'pending'`,
    );
    this.setFailedForChat = db.prepare<[string, AlertPlatform, string]>(
      `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE platform = ? AND chat_id = ? AND status = 'pending'`,
    );
    // A round the old chat already got is in the new chat's history too (Telegram keeps it).
    this.moveSentInto = db.prepare<{ platform: AlertPlatform; from: string; to: string }>(
      `UPDATE deliveries AS t SET status = 'sent', sent_at = f.sent_at
       FROM deliveries AS f
       WHERE t.platform = @platform AND t.chat_id = @to AND t.status = 'pending'
         AND f.platform = @platform AND f.chat_id = @from AND f.round = t.round AND f.status = 'sent'`,
    );
    this.dropMerged = db.prepare<{ platform: AlertPlatform; from: string; to: string }>(
      `DELETE FROM deliveries WHERE platform = @platform AND chat_id = @from
         AND round IN (SELECT round FROM deliveries WHERE platform = @platform AND chat_id = @to)`,
    );
    this.moveRows = db.prepare<{ platform: AlertPlatform; from: string; to: string }>(
      `UPDATE deliveries SET chat_id = @to WHERE platform = @platform AND chat_id = @from`,
    );
    this.countPending = db
      .prepare<[AlertPlatform], number>(`SELECT COUNT(*) FROM deliveries WHERE platform = ? AND status = 'pending'`)
      .pluck();
    this.minDue = db
      .prepare<[AlertPlatform], number | null>(`SELECT MIN(next_attempt_at) FROM deliveries WHERE platform = ? AND status = 'pending'`)
      .pluck();
    this.selectDraw = db.prepare<[string], string>('SELECT draw FROM alert_rounds WHERE round = ?').pluck();
    this.selectState = db.prepare<[string], string>('SELECT value FROM alert_state WHERE key = ?').pluck();
    this.upsertState = db.prepare<[string, string]>(
      'INSERT INTO alert_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.countByStatus = db.prepare<[AlertPlatform], { status: DeliveryStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM deliveries WHERE platform = ? GROUP BY status',
    );
    this.selectRounds = db.prepare<[], { round: string; draw: string }>('SELECT round, draw FROM alert_rounds');
    this.setCorrected = db.prepare<[string, string]>(
      'UPDATE alert_rounds SET first_draw = coalesce(first_draw, draw), draw = ?, revision = revision + 1 WHERE round = ?',
    );
    this.selectFirstDraw = db.prepare<[string], string | null>('SELECT first_draw FROM alert_rounds WHERE round = ?').pluck();
    this.selectRevision = db.prepare<[string], number>('SELECT revision FROM alert_rounds WHERE round = ?').pluck();
    this.selectOwedEdits = db.prepare<[AlertPlatform, number, number], OwedEdit>(
      `SELECT d.id, d.chat_id AS chatId, d.round, d.message_id AS messageId, r.revision
       FROM alert_rounds AS r JOIN deliveries AS d ON d.round = r.round
       WHERE r.revision > 0 AND d.platform = ? AND d.message_id IS NOT NULL AND d.status = 'sent'
         AND d.revision < r.revision AND d.id > ?
       ORDER BY d.id LIMIT ?`,
    );
    this.setEdited = db.prepare<[number, number]>('UPDATE deliveries SET revision = max(revision, ?) WHERE id = ?');
  }

  /**
   * Records new rounds and a pending delivery for every chat that asked for them, in ONE
   * transaction. Returns how many deliveries were created (re-enqueueing a round creates none).
   * Write transactions here begin IMMEDIATE: a deferred one that reads first can fail at once with
   * SQLITE_BUSY when another connection (a backup, a tool) wrote meanwhile, without waiting out
   * busy_timeout.
   */
  enqueue(draws: readonly Draw[]): number {
    return this.db
      .transaction(() => {
        const at = this.now();
        let created = 0;
        for (const draw of draws) {
          this.insertRound.run(draw.round, JSON.stringify(draw), at);
          created += this.insertDeliveries.run(draw.round, at, at, draw.category).changes;
        }
        this.raiseWatermark(draws);
        return created;
      })
      .immediate();
  }

  /**
   * Rounds newer than the newest this outbox has seen, enqueued now: the feed poller writes the
   * dataset before it reports new rounds, so a bot killed in between would otherwise never announce
   * them. `draws` is every draw held (newest first, as DrawIndex keeps them). The first start only
   * remembers the newest round (no flood of history); rounds older than `maxAgeDays` are skipped.
   */
  catchUp(draws: readonly Draw[], maxAgeDays = 7): { enqueued: Draw[]; tooOld: Draw[] } {
    return this.db
      .transaction(() => {
        const none = { enqueued: [], tooOld: [] };
        const mark = this.watermark();
        if (!mark) {
          this.raiseWatermark(draws);
          return none;
        }
        const unseen = draws.filter((d) => compareDraws(d, mark) < 0 && this.selectDraw.get(d.round) === undefined);
        const since = new Date(this.now() - maxAgeDays * DAY_MS).toISOString().slice(0, 10);
        const enqueued = unseen.filter((d) => d.date >= since).reverse(); // oldest first, as the poller reports
        const tooOld = unseen.filter((d) => d.date < since);
        this.enqueue(enqueued);
        this.raiseWatermark(draws);
        return { enqueued, tooOld };
      })
      .immediate();
  }

  /**
   * A pool distribution newer than the last one seen, announced to the chats that asked for pool
   * alerts (`/subscribe pool`): one delivery each, under the key `pool:<asOf>` with the draw that
   * carries the pool, so the sender's exactly-once rules hold as for rounds. `draws`: every draw
   * held, newest first. The first look only remembers the newest pool (no alert for the one the
   * bot starts with). Returns what was announced, if anything.
   */
  announcePool(draws: readonly Draw[]): { key: string; created: number } | undefined {
    return this.db
      .transaction(() => {
        const newest = draws.find((draw) => draw.pool);
        if (!newest?.pool) return undefined;
        const json = this.selectState.get(POOL_MARK);
        const seen = json === undefined ? undefined : (JSON.parse(json) as Pool);
        if (seen && newest.pool.asOf <= seen.asOf) return undefined;
        this.upsertState.run(POOL_MARK, JSON.stringify(newest.pool));
        if (!seen) return undefined;
        const at = this.now();
        const key = poolKey(newest.pool.asOf);
        this.insertRound.run(key, JSON.stringify(newest), at);
        // The distribution it replaces, for the alert's "moved most": IRCC may overwrite a round's
        // pool in place, so the dataset alone may no longer hold it.
        this.upsertState.run(`${key}:before`, JSON.stringify(seen));
        return { key, created: this.insertPoolDeliveries.run(key, at, at).changes };
      })
      .immediate();
  }

  /** The distribution a pool alert's (`pool:<asOf>`) replaced, as the outbox last saw it. */
  poolBefore(key: string): Pool | undefined {
    const json = this.selectState.get(`${key}:before`);
    return json === undefined ? undefined : (JSON.parse(json) as Pool);
  }

  /** Pending deliveries due by `now`, oldest first (the caller skips those it has in flight). */
  claimDue(platform: AlertPlatform, now: number, limit: number): Delivery[] {
    return this.selectDue.all(platform, now, limit).map((row) => ({ ...row, platform }));
  }

  /** Whether a claimed row is still pending, due and for this chat (a read: no write per send). */
  isDue(id: number, chatId: string, now: number): boolean {
    return this.selectIsDue.get(id, chatId, now) !== undefined;
  }

  /**
   * When the chat's older pending rows are due (the latest of them), or undefined when it has
   * none: rows were created in the order the rounds were published, and a chat gets them in it.
   */
  olderPendingDueAt(platform: AlertPlatform, chatId: string, id: number): number | undefined {
    return this.selectOlderDue.get(platform, chatId, id) ?? undefined;
  }

  /**
   * `messageId`: the platform's id of the message (to edit it if IRCC corrects the round);
   * `revision`: the round's revision the message showed (default: the current one).
   */
  markSent(id: number, at: number, messageId?: string, revision?: number): void {
    this.setSent.run(at, messageId ?? null, revision ?? null, id);
  }

  /** Try again at `at`; with an error the try counts as failed, without (a 429 wait) it does not. */
  retryLater(id: number, at: number, error?: string): void {
    this.setRetry.run(at, error === undefined ? 0 : 1, error ?? null, id);
  }

  /** Given up: the row stays as a record and is never retried. */
  markFailed(id: number, error: string): void {
    this.setFailed.run(error, id);
  }

  /** The chat can no longer be reached: its pending alerts are dropped and its subscription removed. */
  markGone(platform: AlertPlatform, chatId: string): void {
    this.db
      .transaction(() => {
        this.setGoneForChat.run(platform, chatId);
        this.subscriptions.removeChat(platform, chatId);
      })
      .immediate();
  }

  /**
   * The bot may not post in the chat for now: its pending alerts are given up (failed, with
   * `error`), and its subscription kept but paused, so no round is enqueued for it until someone
   * sends /subscribe there again.
   */
  markPaused(platform: AlertPlatform, chatId: string, pause: Pause, error: string): void {
    this.db
      .transaction(() => {
        this.setFailedForChat.run(error, platform, chatId);
        this.subscriptions.pause(platform, chatId, pause);
      })
      .immediate();
  }

  /** The chat changed id: subscription and deliveries follow it, merged with what the new id has. */
  moveChat(platform: AlertPlatform, fromId: string, toId: string): void {
    if (fromId === toId) return;
    const ids = { platform, from: fromId, to: toId };
    this.db
      .transaction(() => {
        this.moveSentInto.run(ids);
        this.dropMerged.run(ids);
        this.moveRows.run(ids);
        this.subscriptions.moveChat(platform, fromId, toId);
      })
      .immediate();
  }

  pendingCount(platform: AlertPlatform): number {
    return this.countPending.get(platform) ?? 0;
  }

  /** When the earliest pending delivery is due; undefined when none is. */
  nextDueAt(platform: AlertPlatform): number | undefined {
    return this.minDue.get(platform) ?? undefined;
  }

  counts(platform: AlertPlatform): Record<DeliveryStatus, number> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, sent: 0, gone: 0, failed: 0 };
    for (const { status, n } of this.countByStatus.all(platform)) counts[status] = n;
    return counts;
  }

  /** The round as it was enqueued. */
  draw(round: string): Draw | undefined {
    const json = this.selectDraw.get(round);
    return json === undefined ? undefined : drawSchema.parse(JSON.parse(json));
  }

  /**
   * Rounds announced whose cut-off, size, tie-break or date differ in `draws` (the dataset now
   * held): each is stored as it is now and its revision raised, in one transaction, so that its
   * pending alerts go out with the corrected figures and its sent ones are owed an edit. A rename
   * alone changes nothing. Rounds no longer in `draws` are left as announced.
   */
  correct(draws: readonly Draw[]): CorrectedRound[] {
    return this.db
      .transaction(() => {
        const byRound = new Map(draws.map((d) => [d.round, d]));
        const corrected: CorrectedRound[] = [];
        for (const row of this.selectRounds.all()) {
          const after = byRound.get(row.round);
          if (!after) continue;
          const before = drawSchema.parse(JSON.parse(row.draw));
          const changes = corrections(before, after);
          if (changes.length === 0) continue;
          this.setCorrected.run(JSON.stringify(after), row.round);
          corrected.push({ round: row.round, before, after, changes });
        }
        return corrected;
      })
      .immediate();
  }

  /** The round as its alert first announced it, if IRCC corrected it since; undefined otherwise. */
  firstDraw(round: string): Draw | undefined {
    const json = this.selectFirstDraw.get(round);
    return json == null ? undefined : drawSchema.parse(JSON.parse(json));
  }

  /** How many times the round was corrected since its alert was recorded (0: never, or unknown). */
  revision(round: string): number {
    return this.selectRevision.get(round) ?? 0;
  }

  /** Sent alerts (with a known message id) of corrected rounds not yet edited to their round's revision, by id after `afterId`. */
  owedEdits(platform: AlertPlatform, limit: number, afterId = 0): OwedEdit[] {
    return this.selectOwedEdits.all(platform, afterId, limit);
  }

  /** The message now shows (or could not be made to show, and will not) the round at `revision`. */
  markEdited(id: number, revision: number): void {
    this.setEdited.run(revision, id);
  }

  private watermark(): Pick<Draw, 'round' | 'date'> | undefined {
    const json = this.selectState.get(WATERMARK);
    return json === undefined ? undefined : (JSON.parse(json) as Pick<Draw, 'round' | 'date'>);
  }

  private raiseWatermark(draws: readonly Draw[]): void {
    const newest = [...draws].sort(compareDraws)[0];
    const mark = this.watermark();
    if (newest && (!mark || compareDraws(newest, mark) < 0)) {
      this.upsertState.run(WATERMARK, JSON.stringify({ round: newest.round, date: newest.date }));
    }
  }
}
