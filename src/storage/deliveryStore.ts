import type { Delivery, DeliveryStatus, OwedEdit } from '../domain/delivery.js';
import type { AlertPlatform } from '../domain/subscription.js';
import type { SqlExecutor } from './sqlDatabase.js';
import { ALL, cancelUnwanted, POOL } from './subscriptionRows.js';

/**
 * The alerts owed, one row per (platform, chat, round): the queue the senders drain. A row is
 * pending (to send), claimed while its request is on the wire, then settled (sent, gone, failed).
 * Settling methods that take a `claimant` touch the row only while that claimant holds it.
 */
export interface DeliveryStore {
  /**
   * A pending row for every chat subscribed to the round's category (or every draw), not paused; how
   * many. Once per round: call it in the transaction whose RoundStore.record found the round new.
   */
  enqueueRound(round: string, category: string, at: number): Promise<number>;
  /** A pending row for every chat with pool alerts, not paused; how many. Once per pool key, as enqueueRound. */
  enqueuePool(key: string, at: number): Promise<number>;
  /** Pending rows due by `now` that nobody holds, oldest first. */
  due(platform: AlertPlatform, now: number, limit: number): Promise<Delivery[]>;
  /**
   * Takes the row for one request: whether it was still pending, due, for this chat and held by
   * nobody. Two instances claiming the same row: one wins (PostgreSQL skips a row another locks).
   */
  claim(id: number, chatId: string, claimant: string, now: number): Promise<boolean>;
  /** When the chat's older pending rows are due (the latest of them); undefined when it has none. */
  olderPendingDueAt(platform: AlertPlatform, chatId: string, id: number): Promise<number | undefined>;
  /** Sent: `messageId` to edit it later, `revision` the round's revision it showed (default: the current one). */
  markSent(id: number, claimant: string, at: number, messageId?: string, revision?: number): Promise<void>;
  /**
   * Try again at `at` (released): with an error the try counts as failed, without (a 429, a chat's
   * pace) it does not. Without a claimant, the row must be held by nobody (parking a row not sent).
   */
  retryLater(id: number, claimant: string | undefined, at: number, error?: string): Promise<void>;
  /** Given up: the row stays as a record and is never retried. */
  markFailed(id: number, claimant: string | undefined, error: string): Promise<void>;
  /** The chat's pending rows are dropped (it cannot be reached). */
  dropChat(platform: AlertPlatform, chatId: string): Promise<void>;
  /** The chat's pending rows are given up, with `error` (the bot may not post there). */
  failChat(platform: AlertPlatform, chatId: string, error: string): Promise<void>;
  /** The chat changed id: its rows follow, merged with the new id's (a round the old chat got counts as sent). */
  moveChat(platform: AlertPlatform, fromId: string, toId: string): Promise<void>;
  /** Pending rows not on the wire whose round the chat no longer subscribes to are deleted; how many. */
  cancelUnwanted(platform: AlertPlatform, chatId: string): Promise<number>;
  /** Every row naming the chat, whatever its state; how many. */
  forgetChat(platform: AlertPlatform, chatId: string): Promise<number>;
  pendingCount(platform: AlertPlatform): Promise<number>;
  /** When the earliest pending row nobody holds is due; undefined when none is. */
  nextDueAt(platform: AlertPlatform): Promise<number | undefined>;
  counts(platform: AlertPlatform): Promise<Record<DeliveryStatus, number>>;
  /** Sent alerts (with a known message id) of corrected rounds not yet edited to their round's revision, by id after `afterId`. */
  owedEdits(platform: AlertPlatform, limit: number, afterId?: number): Promise<OwedEdit[]>;
  /** The message now shows (or could not be made to show, and will not) the round at `revision`. */
  markEdited(id: number, revision: number): Promise<void>;
  /**
   * Claims left by a run that is gone (killed with requests on the wire): released, so those rows go
   * again — the only at-least-once window. `except`: a claimant still alive. How many.
   */
  releaseClaims(except?: string): Promise<number>;
  /**
   * Settled rows enqueued before `before` are deleted, `limit` at most (a batch: call again until
   * fewer come back, letting the bot answer in between); how many.
   */
  prune(before: number, limit: number): Promise<number>;
}

/** The SQL both engines share; `claim` alone says SKIP LOCKED on PostgreSQL. */
export class SqlDeliveryStore implements DeliveryStore {
  constructor(private readonly sql: SqlExecutor) {}

  enqueueRound(round: string, category: string, at: number): Promise<number> {
    // One row per chat: a chat holds either '*' or category rows, never both.
    return this.enqueueFor(round, [ALL, category], at);
  }

  enqueuePool(key: string, at: number): Promise<number> {
    return this.enqueueFor(key, [POOL], at);
  }

  /**
   * A row for every chat not paused holding one of `categories`. Only for a round recorded in this
   * same transaction (RoundStore.record said it was new): no row can exist for it yet, so the
   * hottest write there is needs no conflict check per row (PostgreSQL's planner would even scan
   * every delivery for one); the UNIQUE key still stands guard.
   */
  private enqueueFor(round: string, categories: readonly string[], at: number): Promise<number> {
    return this.sql.run(
      `INSERT INTO deliveries (platform, chat_id, round, next_attempt_at, created_at, thread_id)
       SELECT platform, chat_id, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), thread_id FROM subscriptions
       WHERE category IN (${categories.map(() => '?').join(', ')}) AND paused_at IS NULL`,
      [round, whole(at), whole(at), ...categories],
    );
  }

  async due(platform: AlertPlatform, now: number, limit: number): Promise<Delivery[]> {
    const rows = await this.sql.all<Omit<Delivery, 'platform'>>(
      `SELECT id, chat_id AS "chatId", round, attempts, thread_id AS "threadId" FROM deliveries
       WHERE platform = ? AND status = 'pending' AND next_attempt_at <= ? AND claimed_by IS NULL
       ORDER BY next_attempt_at, id LIMIT ?`,
      [platform, Math.floor(now), limit],
    );
    return rows.map((row) => ({ ...row, platform }));
  }

  async claim(id: number, chatId: string, claimant: string, now: number): Promise<boolean> {
    const skipLocked = this.sql.engine === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const changed = await this.sql.run(
      `UPDATE deliveries SET claimed_by = ?, claimed_at = ?
       WHERE id = (SELECT id FROM deliveries
                   WHERE id = ? AND chat_id = ? AND status = 'pending' AND next_attempt_at <= ? AND claimed_by IS NULL ${skipLocked})`,
      [claimant, Math.floor(now), id, chatId, Math.floor(now)],
    );
    return changed === 1;
  }

  async olderPendingDueAt(platform: AlertPlatform, chatId: string, id: number): Promise<number | undefined> {
    const row = await this.sql.get<{ at: number | null }>(
      `SELECT MAX(next_attempt_at) AS at FROM deliveries WHERE platform = ? AND chat_id = ? AND status = 'pending' AND id < ?`,
      [platform, chatId, id],
    );
    return row?.at ?? undefined;
  }

  async markSent(id: number, claimant: string, at: number, messageId?: string, revision?: number): Promise<void> {
    // Without a revision given, the message shows the round as it is now.
    await this.sql.run(
      `UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL, message_id = ?, claimed_by = NULL, claimed_at = NULL,
         revision = coalesce(CAST(? AS INTEGER), (SELECT revision FROM alert_rounds AS r WHERE r.round = deliveries.round))
       WHERE id = ? AND status = 'pending' AND claimed_by = ?`,
      [whole(at), messageId ?? null, revision ?? null, id, claimant],
    );
  }

  async retryLater(id: number, claimant: string | undefined, at: number, error?: string): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET next_attempt_at = ?, attempts = attempts + ?, last_error = coalesce(?, last_error),
         claimed_by = NULL, claimed_at = NULL
       WHERE id = ? AND status = 'pending' AND ${held(claimant)}`,
      [Math.ceil(at), error === undefined ? 0 : 1, error ?? null, id, ...(claimant === undefined ? [] : [claimant])],
    );
  }

  async markFailed(id: number, claimant: string | undefined, error: string): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, claimed_by = NULL, claimed_at = NULL
       WHERE id = ? AND status = 'pending' AND ${held(claimant)}`,
      [error, id, ...(claimant === undefined ? [] : [claimant])],
    );
  }

  async dropChat(platform: AlertPlatform, chatId: string): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'gone', claimed_by = NULL, claimed_at = NULL WHERE platform = ? AND chat_id = ? AND status = 'pending'`,
      [platform, chatId],
    );
  }

  async failChat(platform: AlertPlatform, chatId: string, error: string): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, claimed_by = NULL, claimed_at = NULL
       WHERE platform = ? AND chat_id = ? AND status = 'pending'`,
      [error, platform, chatId],
    );
  }

  async moveChat(platform: AlertPlatform, fromId: string, toId: string): Promise<void> {
    if (fromId === toId) return;
    // A round the old chat already got is in the new chat's history too (Telegram keeps it).
    await this.sql.run(
      `UPDATE deliveries AS t SET status = 'sent', sent_at = f.sent_at
       FROM deliveries AS f
       WHERE t.platform = ? AND t.chat_id = ? AND t.status = 'pending'
         AND f.platform = ? AND f.chat_id = ? AND f.round = t.round AND f.status = 'sent' AND f.status <> 'pending'`,
      [platform, toId, platform, fromId],
    );
    for (const status of BY_CHAT) {
      await this.sql.run(
        `DELETE FROM deliveries AS x WHERE platform = ? AND chat_id = ? AND ${status}
           AND EXISTS (SELECT 1 FROM deliveries AS y WHERE y.platform = x.platform AND y.round = x.round AND y.chat_id = ?)`,
        [platform, fromId, toId],
      );
      // Released: a row that was on the wire to the old id goes again, to the new one.
      await this.sql.run(
        `UPDATE deliveries SET chat_id = ?, claimed_by = NULL, claimed_at = NULL WHERE platform = ? AND chat_id = ? AND ${status}`,
        [toId, platform, fromId],
      );
    }
  }

  cancelUnwanted(platform: AlertPlatform, chatId: string): Promise<number> {
    return cancelUnwanted(this.sql, platform, chatId);
  }

  async forgetChat(platform: AlertPlatform, chatId: string): Promise<number> {
    let deleted = 0;
    for (const status of BY_CHAT) {
      deleted += await this.sql.run(`DELETE FROM deliveries WHERE platform = ? AND chat_id = ? AND ${status}`, [platform, chatId]);
    }
    return deleted;
  }

  async pendingCount(platform: AlertPlatform): Promise<number> {
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM deliveries WHERE platform = ? AND status = 'pending'`, [
      platform,
    ]);
    return row?.n ?? 0;
  }

  async nextDueAt(platform: AlertPlatform): Promise<number | undefined> {
    const row = await this.sql.get<{ at: number | null }>(
      `SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE platform = ? AND status = 'pending' AND claimed_by IS NULL`,
      [platform],
    );
    return row?.at ?? undefined;
  }

  async counts(platform: AlertPlatform): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, sent: 0, gone: 0, failed: 0 };
    const rows = await this.sql.all<{ status: DeliveryStatus; n: number }>(
      'SELECT status, COUNT(*) AS n FROM deliveries WHERE platform = ? GROUP BY status',
      [platform],
    );
    for (const { status, n } of rows) counts[status] = n;
    return counts;
  }

  async owedEdits(platform: AlertPlatform, limit: number, afterId = 0): Promise<OwedEdit[]> {
    // Round by round (the few corrected ones), each through deliveries_editable's range on revision:
    // never a walk over every delivery. `id + 0` keeps both planners off the primary key, whose order
    // would tempt them to scan millions of rows for the hundred they want.
    const corrected = await this.sql.all<{ round: string; revision: number }>(
      'SELECT round, revision FROM alert_rounds WHERE revision > 0',
    );
    const owed: OwedEdit[] = [];
    for (const { round, revision } of corrected) {
      const rows = await this.sql.all<Omit<OwedEdit, 'revision'>>(
        `SELECT id, chat_id AS "chatId", round, message_id AS "messageId" FROM deliveries
         WHERE round = ? AND platform = ? AND revision < ? AND message_id IS NOT NULL AND status = 'sent' AND id > ?
         ORDER BY id + 0 LIMIT ?`,
        [round, platform, revision, afterId, limit],
      );
      for (const row of rows) owed.push({ ...row, revision });
    }
    return owed.sort((a, b) => a.id - b.id).slice(0, limit);
  }

  async markEdited(id: number, revision: number): Promise<void> {
    await this.sql.run('UPDATE deliveries SET revision = CASE WHEN revision > ? THEN revision ELSE ? END WHERE id = ?', [
      revision,
      revision,
      id,
    ]);
  }

  releaseClaims(except?: string): Promise<number> {
    return this.sql.run(`UPDATE deliveries SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by IS NOT NULL AND claimed_by <> ?`, [
      except ?? '',
    ]);
  }

  prune(before: number, limit: number): Promise<number> {
    return this.sql.run(
      `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE status <> 'pending' AND created_at < ? LIMIT ?)`,
      [Math.floor(before), limit],
    );
  }
}

/**
 * Instants are whole ms in the store (PostgreSQL's BIGINT refuses a fraction; the rate limiter's are
 * fractional): a row is due no earlier than asked (ceil), and `now` never runs ahead (floor).
 */
const whole = (ms: number): number => Math.round(ms);

/**
 * A chat's rows over every state, as two statements: each matches one of the partial indexes by
 * chat (pending, settled), which a single `chat_id = ?` could not use.
 */
const BY_CHAT = [`status = 'pending'`, `status <> 'pending'`] as const;

/** The row held by `claimant`, or (none given) by nobody. */
const held = (claimant: string | undefined): string => (claimant === undefined ? 'claimed_by IS NULL' : 'claimed_by = ?');
