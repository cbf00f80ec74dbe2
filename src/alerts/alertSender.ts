import { randomUUID } from 'node:crypto';
import type { Reply } from '../core/reply.js';
import type { Delivery } from '../domain/delivery.js';
import type { AlertPlatform } from '../domain/subscription.js';
import { hashId } from '../lib/hashId.js';
import type { Logger } from '../lib/log.js';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { sleep as abortableSleep } from '../lib/sleep.js';
import type { AlertTransport, DeliveryResult } from './alertTransport.js';
import type { Outbox } from './outbox.js';
import { type DispatchLane, PacedDispatcher } from './pacedDispatcher.js';

export interface AlertSenderOptions {
  outbox: Outbox;
  transport: AlertTransport;
  /**
   * The alert for a round, for the delivery's chat (the generic one cached by the caller: one round
   * goes to thousands of chats; a private chat's may carry its owner's verdict).
   */
  reply: (round: string, to?: { platform: AlertPlatform; chatId: string }) => Promise<Reply | undefined>;
  limiter: RateLimiter;
  /**
   * The platform's dispatcher, shared with its AlertEditor and made with this `limiter`: the pacing,
   * the cap on requests at once, one request at a time per chat whoever makes it. Default: one of
   * its own (`maxInFlight` at once).
   */
  dispatcher?: PacedDispatcher;
  /** Who claims rows (this instance; default a random id): a row claimed by another is never taken. */
  claimant?: string;
  /**
   * Starts each delivery's idempotency key (prefix + row id), unique to this install: Discord drops a
   * second message with the same nonce, so a resend after a crash is not shown twice.
   */
  keyPrefix?: string;
  log: Logger;
  /** ms since the epoch. */
  now?: () => number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it must not reject). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Requests awaiting an answer at once; also the most a crash can leave "in doubt". Default 30 (a
   * dispatcher given: its cap, which this one's stays within).
   */
  maxInFlight?: number;
  /** Rows read from the outbox at a time. Default 200. */
  batchSize?: number;
  /** Failed tries before a delivery is given up ('failed'). Default 5. */
  maxAttempts?: number;
  /** Back-off after the n-th failure: base × 2^(n-1), at most max. Defaults 10 s and 15 min. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** With nothing due and no wake(), look at the outbox again after this long. Default 60 s. */
  idleMs?: number;
  /**
   * Back-off between tries to record an answer the database refused (disk full, SQLITE_BUSY, I/O
   * error): base × 2^(n-1), at most max. Defaults 1 s and 1 min.
   */
  recordRetryBaseMs?: number;
  recordRetryMaxMs?: number;
  /** Told what became of each delivery tried, as counted in the DrainReport (the bot's metrics); it must not throw. */
  onDelivery?: (platform: AlertPlatform, outcome: DeliveryOutcome) => void;
  /**
   * Whether this instance may still send (it leads: Leadership.isLeader), asked before each claim and
   * again right before each request: a leader paused past its lease sends nothing when it wakes. A
   * row claimed when it turns false is handed back. Default: always.
   */
  mayAct?: () => boolean;
}

export interface DrainReport {
  sent: number;
  /** Rate-limited (429) and rescheduled. */
  rateLimited: number;
  /** Failed and rescheduled. */
  retried: number;
  gone: number;
  migrated: number;
  failed: number;
}

/** What became of one delivery tried: a count of the DrainReport. */
export type DeliveryOutcome = keyof DrainReport;

const emptyReport = (): DrainReport => ({ sent: 0, rateLimited: 0, retried: 0, gone: 0, migrated: 0, failed: 0 });

/**
 * Drains one platform's outbox: paced by the rate limiter, one request at a time per chat (with the
 * platform's AlertEditor: its dispatcher), each delivery claimed in the store before its request
 * and settled as soon as its answer is known.
 *
 * Delivery guarantee — exactly once, except for the requests on the wire when the process dies,
 * which are at-least-once. A row is claimed (claimant, time) in one statement that succeeds only if
 * it is still pending, due and held by nobody, so no other sender — in this process or another on
 * the same database — can send it too; its answer settles it (sent, retried, gone, failed) and
 * releases the claim. A kill loses no knowledge except about the claimed rows, the requests in
 * flight at that instant (at most `maxInFlight`, about one second of Telegram's rate): whether the
 * platform acted on them cannot be known (Telegram has no idempotency key; Discord's nonce drops a
 * resend within minutes), and a missed draw is the worse failure for the people relying on this, so
 * the next start releases those claims and they go again. A network error or timeout is the same
 * doubt, resolved the same way: retried.
 *
 * When the store refuses to record an answer (disk full, SQLITE_BUSY, a lost connection), the row
 * stays claimed — never taken again — and its answer is held "in doubt" in memory and written again
 * with back-off until the store takes it. Meanwhile no new request goes out (each would only add a
 * row in doubt). The failure is logged once, and once more when the store takes the answers.
 *
 * Run either `start()` or `drainOnce()`, not both.
 */
export class AlertSender {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** This sender's requests in the platform's dispatcher: a chat with a request in flight (an alert or an edit) waits, so its alerts keep their order. */
  private readonly lane: DispatchLane;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly idleMs: number;

  private stopping = new AbortController();
  private idleWait: AbortController | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private report = emptyReport();
  private resumed = false;
  private readonly recordRetryBaseMs: number;
  private readonly recordRetryMaxMs: number;
  /** Answers received that the database refused to record, by row id: each is written again until it takes. */
  private readonly inDoubt = new Map<number, () => Promise<void>>();
  private readonly claimant: string;
  /** Failed tries to record the rows in doubt since the database first refused one, and the next try's time. */
  private recordTries = 0;
  private recordRetryAt = 0;

  constructor(private readonly options: AlertSenderOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    const dispatcher =
      options.dispatcher ?? new PacedDispatcher({ limiter: options.limiter, maxInFlight: options.maxInFlight, sleep: this.sleep });
    if (dispatcher.limiter !== options.limiter) throw new Error('the dispatcher must pace the limiter the sender is given');
    this.lane = dispatcher.lane(options.maxInFlight);
    this.batchSize = Math.max(1, options.batchSize ?? 200);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 10_000;
    this.retryMaxMs = options.retryMaxMs ?? 15 * 60_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.recordRetryBaseMs = options.recordRetryBaseMs ?? 1_000;
    this.recordRetryMaxMs = options.recordRetryMaxMs ?? 60_000;
    this.claimant = options.claimant ?? randomUUID();
  }

  get platform() {
    return this.options.transport.platform;
  }

  /** Resumes what a previous run left pending, then keeps draining until stop(). */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run().catch((error: unknown) => {
      // run() catches what it calls; this is belt and braces against an unhandled rejection.
      this.options.log.error({ platform: this.platform, err: error }, 'alert sender stopped on an unexpected error');
    });
  }

  /**
   * Stops taking rows and waits for the requests in flight; what is left stays pending. Rows still
   * in doubt get one last try to be recorded; if the database still refuses, they go again at the
   * next start.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.lane.settled();
    this.loop = undefined;
    if (this.inDoubt.size > 0) {
      this.recordRetryAt = 0;
      await this.settleInDoubt();
    }
    if (this.inDoubt.size > 0)
      this.options.log.error(
        { platform: this.platform, inDoubt: this.inDoubt.size },
        `${this.inDoubt.size} alert answer(s) could not be recorded; those rows stay pending and are sent again at the next start`,
      );
  }

  /** Rows whose answer the database has not taken yet (never sent again by this sender). */
  get inDoubtCount(): number {
    return this.inDoubt.size;
  }

  /** New rows were enqueued: look now rather than at the next idle check. */
  wake(): void {
    this.woken = true;
    this.idleWait?.abort();
  }

  /**
   * Sends everything due now (and what becomes due while doing so, such as a migrated chat's
   * resend), waiting for every answer. Rows put off to later (429, back-off) stay pending.
   */
  async drainOnce(): Promise<DrainReport> {
    await this.resume();
    this.report = emptyReport();
    const started = this.now();
    do {
      this.woken = false;
      await this.settleInDoubt();
      await this.dispatchDue();
      await this.lane.settled();
    } while (!this.stopped && (await this.hasDue()));
    const report = this.report;
    const total = report.sent + report.rateLimited + report.retried + report.gone + report.migrated + report.failed;
    if (total > 0) this.options.log.info({ platform: this.platform, ...report, ms: this.now() - started }, `alerts: ${report.sent} sent`);
    return report;
  }

  /** Once per sender, before its first send: say what a previous run left. */
  private async resume(): Promise<void> {
    if (this.resumed) return;
    const pending = await this.options.outbox.pendingCount(this.platform);
    this.resumed = true;
    if (pending > 0) this.options.log.info({ platform: this.platform, pending }, `${pending} alert(s) pending`);
  }

  private count(outcome: DeliveryOutcome): void {
    this.report[outcome]++;
    try {
      this.options.onDelivery?.(this.platform, outcome);
    } catch (error) {
      this.options.log.warn({ platform: this.platform, err: error }, 'the delivery observer failed');
    }
  }

  private mayAct(): boolean {
    return this.options.mayAct?.() ?? true;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Rows are in doubt: nothing new goes out until the database has taken their answers. */
  private get paused(): boolean {
    return this.inDoubt.size > 0;
  }

  private async hasDue(): Promise<boolean> {
    if (this.paused) return false;
    const next = await this.options.outbox.nextDueAt(this.platform);
    return next !== undefined && next <= this.now();
  }

  private async run(): Promise<void> {
    const { log } = this.options;
    while (!this.stopped) {
      let wait: number;
      try {
        await this.drainOnce();
        if (this.stopped) break;
        if (this.woken && !this.paused) continue;
        wait = await this.idleTime();
      } catch (error) {
        // The database or a bug, not a send (sends never throw here): log and try again later.
        log.error({ platform: this.platform, err: error }, 'alert sender failed; retrying in a while');
        wait = Math.min(this.idleMs, 5_000);
      }
      await this.idle(wait).catch(() => undefined); // sleep never rejects; belt and braces
    }
  }

  /** How long to wait before looking again: until the next try to record the rows in doubt, or the next row due. */
  private async idleTime(): Promise<number> {
    if (this.paused) return Math.max(0, this.recordRetryAt - this.now());
    const next = await this.options.outbox.nextDueAt(this.platform);
    return next === undefined ? this.idleMs : Math.min(this.idleMs, Math.max(0, next - this.now()));
  }

  /** Writes again the answers the database refused, once their back-off is over. */
  private async settleInDoubt(): Promise<void> {
    if (this.inDoubt.size === 0 || this.now() < this.recordRetryAt) return;
    for (const [id, record] of this.inDoubt) {
      try {
        await record();
      } catch {
        this.recordTries++;
        this.recordRetryAt = this.now() + this.recordBackoff();
        return; // logged once, when the first row went in doubt
      }
      this.inDoubt.delete(id);
    }
    this.options.log.info({ platform: this.platform, tries: this.recordTries + 1 }, 'the store records deliveries again; sending resumes');
    this.recordTries = 0;
    this.recordRetryAt = 0;
  }

  private recordBackoff(): number {
    return Math.min(this.recordRetryMaxMs, this.recordRetryBaseMs * 2 ** Math.max(0, this.recordTries - 1));
  }

  /** The database refused to record this answer: hold the row in doubt (never sent again) and write it later. */
  private holdInDoubt(delivery: Delivery, record: () => Promise<void>, error: unknown): void {
    const first = this.inDoubt.size === 0;
    this.inDoubt.set(delivery.id, record);
    if (!first) return;
    this.recordTries = 1;
    this.recordRetryAt = this.now() + this.recordBackoff();
    this.options.log.error(
      { platform: this.platform, deliveryId: delivery.id, round: delivery.round, err: error },
      'could not record an alert delivery; it is not sent again, and sending pauses until the database records it',
    );
  }

  private async idle(ms: number): Promise<void> {
    this.idleWait = new AbortController();
    await this.sleep(ms, AbortSignal.any([this.stopping.signal, this.idleWait.signal]));
    this.idleWait = undefined;
  }

  /** Claims due rows batch by batch and sends them, paced, until none is due (or stop()). */
  private async dispatchDue(): Promise<void> {
    const { outbox, limiter } = this.options;
    const { lane } = this;
    const { signal } = this.stopping;
    while (!this.stopped && !this.paused) {
      const due = await outbox.due(this.platform, this.now(), this.batchSize);
      if (due.length === 0) return;
      let dispatched = 0;
      for (const delivery of due) {
        if (this.stopped || this.paused) return;
        const { chatId } = delivery;
        if (lane.busy(chatId)) continue; // taken again once its chat is free (its alert or an edit on the wire)
        // A chat's alerts keep the order of their rounds: an older row of the chat still pending
        // (parked by the chat's pacing, a 429 or a back-off) goes first, and this one after it. Without
        // this, a later row of a parked chat could go as soon as the chat is ready mid-batch.
        const olderDue = await outbox.olderPendingDueAt(this.platform, chatId, delivery.id);
        if (olderDue !== undefined) {
          await outbox.retryLater(delivery.id, undefined, Math.max(olderDue, this.now()));
          continue;
        }
        const readyAt = limiter.chatReadyAt(chatId);
        if (readyAt > this.now()) {
          // The chat's own limit: park the row rather than hold a global slot waiting for it.
          // Whole ms: the limiter's instants are fractional, the store keeps integers (PostgreSQL's BIGINT refuses a fraction).
          await outbox.retryLater(delivery.id, undefined, Math.ceil(readyAt));
          continue;
        }
        await lane.whenSlotFree(signal);
        if (this.stopped || this.paused) return;
        // The chat's turn in the budget (stopping, or rows going in doubt, end the wait).
        if (!(await lane.paced(chatId, signal, () => !this.paused))) {
          if (this.stopped || this.paused) return;
          continue; // an edit took the chat meanwhile: taken again once it is free
        }
        try {
          // The batch was read before the waits: an answer since then may have settled this row (it
          // was in flight: sent, or put off), /unsubscribe or /forget may have removed it, another
          // instance may hold it. The claim takes it only if it is still pending, due and free.
          if (!this.mayAct()) return;
          if (!(await outbox.claim(delivery, this.claimant, this.now()))) continue;
          // Read once the row is ours, just before its request: a correction during the waits shows.
          const reply = await this.replyFor(delivery);
          if (!reply) {
            await outbox.markFailed(delivery.id, this.claimant, `round ${delivery.round} is not known`);
            this.count('failed');
            this.options.log.error({ platform: this.platform, round: delivery.round }, 'alert for an unknown round dropped');
            continue;
          }
          this.dispatch(delivery, reply);
          dispatched++;
        } finally {
          lane.release(chatId); // nothing, once its request started
        }
      }
      // Everything due belonged to chats already busy: let one answer come back before looking again.
      if (dispatched === 0 && !(await lane.settleOne(signal))) return;
    }
  }

  /**
   * The alert for a row just claimed. The store failing here (the round or a profile unreadable)
   * hands the row back, so that it goes at a later look rather than stay claimed for the run.
   */
  private async replyFor(delivery: Delivery): Promise<Reply | undefined> {
    try {
      return await this.options.reply(delivery.round, delivery);
    } catch (error) {
      await this.options.outbox.retryLater(delivery.id, this.claimant, this.now()).catch(() => undefined);
      throw error;
    }
  }

  private dispatch(delivery: Delivery, reply: Reply): void {
    this.lane.start(delivery.chatId, () =>
      this.deliver(delivery, reply).catch((error: unknown) => {
        // deliver() holds database errors in doubt; only a bug gets here.
        this.options.log.error({ platform: this.platform, deliveryId: delivery.id, err: error }, 'an alert delivery failed unexpectedly');
      }),
    );
  }

  private async deliver(delivery: Delivery, reply: Reply): Promise<void> {
    const { transport, outbox } = this.options;
    // The round's revision as the reply shows it, read in the same tick: a correction arriving while
    // the request is on the wire leaves this message owed an edit.
    let revision: number | undefined;
    let result: DeliveryResult;
    try {
      revision = await outbox.revision(delivery.round);
      if (!this.mayAct()) {
        // No longer the leader: the row goes back for the one who is (it would release it anyway).
        await outbox.retryLater(delivery.id, this.claimant, this.now()).catch(() => undefined);
        return;
      }
      result = await transport.send(
        delivery.chatId,
        reply,
        delivery.threadId ?? undefined,
        `${this.options.keyPrefix ?? ''}${delivery.id}`,
      );
    } catch (error) {
      result = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    const at = this.now();
    const record = () => this.record(delivery, result, at, revision);
    try {
      await record();
    } catch (error) {
      this.holdInDoubt(delivery, record, error);
    }
  }

  /**
   * Writes what became of a delivery, then counts and logs it: a write that throws leaves nothing
   * counted, so writing again later (a row in doubt) counts it once. `at`: when the answer came.
   */
  private async record(delivery: Delivery, result: DeliveryResult, at: number, revision?: number): Promise<void> {
    const { outbox, limiter, log } = this.options;
    const { id, chatId, round } = delivery;
    // Never the id itself: a private chat's id is its user's (see hashId).
    const context = { platform: this.platform, chat: hashId(chatId), round };
    switch (result.status) {
      case 'sent':
        await outbox.markSent(id, this.claimant, at, result.messageId, revision);
        this.count('sent');
        return;
      case 'retry': {
        const until = at + Math.ceil(Math.max(0, result.afterMs)); // whole ms, as the store keeps them
        limiter.pause(until, result.scope === 'chat' ? chatId : undefined);
        await outbox.retryLater(id, this.claimant, until);
        this.count('rateLimited');
        log.warn(
          { ...context, afterMs: result.afterMs, scope: result.scope ?? 'global', reason: result.reason },
          'alert held back (rate limit); trying again later',
        );
        return;
      }
      case 'gone':
        await outbox.markGone(this.platform, chatId);
        this.count('gone');
        log.info({ ...context, reason: result.reason }, 'chat unreachable; its alert subscription is removed');
        return;
      case 'paused': {
        // Counted as failed: this alert is given up; the subscription stays, paused until /subscribe.
        const error = result.detail ?? result.reason;
        await outbox.markPaused(this.platform, chatId, { reason: result.reason, fix: result.fix, at }, error);
        this.count('failed');
        log.warn({ ...context, error }, 'may not post in the chat; its alerts are paused until /subscribe is sent there again');
        return;
      }
      case 'migrated':
        if (result.toChatId === chatId) {
          await outbox.markFailed(id, this.claimant, 'migrated to the same chat id');
          this.count('failed');
          return;
        }
        // The row follows the chat and stays due: the next claim sends it to the new id.
        await outbox.moveChat(this.platform, chatId, result.toChatId);
        this.count('migrated');
        log.info({ ...context, toChat: hashId(result.toChatId) }, 'chat moved to a new id; subscription and alerts follow it');
        return;
      case 'failed': {
        const attempts = delivery.attempts + 1;
        if (result.permanent || attempts >= this.maxAttempts) {
          await outbox.markFailed(id, this.claimant, result.error);
          this.count('failed');
          log.error({ ...context, attempts, error: result.error }, 'alert not delivered; giving up');
          return;
        }
        const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempts - 1));
        await outbox.retryLater(id, this.claimant, at + backoff, result.error);
        this.count('retried');
        log.warn({ ...context, attempts, backoffMs: backoff, error: result.error }, 'alert failed; will retry');
        return;
      }
    }
  }
}
