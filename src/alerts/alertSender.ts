import type { Reply } from '../core/reply.js';
import { hashId } from '../lib/hashId.js';
import type { Logger } from '../lib/log.js';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { sleep as abortableSleep } from '../lib/sleep.js';
import type { AlertTransport, DeliveryResult } from './alertTransport.js';
import type { Delivery, Outbox } from './outbox.js';
import type { AlertPlatform } from './subscriptionStore.js';

export interface AlertSenderOptions {
  outbox: Outbox;
  transport: AlertTransport;
  /**
   * The alert for a round, for the delivery's chat (the generic one cached by the caller: one round
   * goes to thousands of chats; a private chat's may carry its owner's verdict).
   */
  reply: (round: string, to?: { platform: AlertPlatform; chatId: string }) => Reply | undefined;
  limiter: RateLimiter;
  log: Logger;
  /** ms since the epoch. */
  now?: () => number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it must not reject). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Requests awaiting an answer at once; also the most a crash can leave "in doubt". Default 30. */
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
 * Drains one platform's outbox: paced by the rate limiter, one message at a time per chat, each
 * delivery recorded as soon as its answer is known.
 *
 * Delivery guarantee — exactly once, except for the requests on the wire when the process dies,
 * which are at-least-once. A row is marked 'sent' in the same tick its request resolves (a
 * synchronous SQLite commit), so a kill loses no knowledge except about the requests in flight at
 * that instant. Whether Telegram acted on those cannot be known (it has no idempotency key, nor
 * does Discord's message API), so we must choose: treating them as sent could leave a chat with no
 * alert, treating them as pending may send one twice. A missed draw is the worse failure for the
 * people relying on this, so they stay pending and go again on restart. The window is kept small:
 * at most `maxInFlight` requests (default 30, about one second of Telegram's rate), each lasting a
 * round trip. Marking rows "sending" before each request would only tell, after a crash, which of
 * the pending rows were the in-doubt ones — for a third more writes per message; not worth it.
 * A network error or timeout is the same doubt, resolved the same way: retried.
 *
 * Within a run, a row is sent at most once: before each request its row is read back (still
 * pending, due, same chat) with nothing awaited between that read and the request.
 *
 * When the database refuses to record an answer (disk full, SQLITE_BUSY, an I/O error), the row is
 * still pending and due, yet its message may well have gone out: it is held "in doubt" in memory,
 * never claimed again by this sender, and its answer is written again with back-off until the
 * database takes it. Meanwhile no new request goes out (each would only add a row in doubt), so a
 * crash while the database is failing resends at most the rows in doubt — `maxInFlight` at most,
 * the same bound as the requests on the wire: like them they are pending in the file and go again
 * on restart. The failure is logged once, and once more when the database takes the answers.
 *
 * One sender per platform and database file; run either `start()` or `drainOnce()`, not both.
 */
export class AlertSender {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly maxInFlight: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly idleMs: number;

  private readonly inFlight = new Map<number, Promise<void>>();
  /** Chats with a request in flight: their next message waits, so a chat's alerts keep their order. */
  private readonly busyChats = new Set<string>();
  private stopping = new AbortController();
  private idleWait: AbortController | undefined;
  private woken = false;
  private loop: Promise<void> | undefined;
  private report = emptyReport();
  private resumed = false;
  private readonly recordRetryBaseMs: number;
  private readonly recordRetryMaxMs: number;
  /** Answers received that the database refused to record, by row id: each is written again until it takes. */
  private readonly inDoubt = new Map<number, () => void>();
  /** Failed tries to record the rows in doubt since the database first refused one, and the next try's time. */
  private recordTries = 0;
  private recordRetryAt = 0;

  constructor(private readonly options: AlertSenderOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 30);
    this.batchSize = Math.max(1, options.batchSize ?? 200);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 10_000;
    this.retryMaxMs = options.retryMaxMs ?? 15 * 60_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.recordRetryBaseMs = options.recordRetryBaseMs ?? 1_000;
    this.recordRetryMaxMs = options.recordRetryMaxMs ?? 60_000;
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
    await Promise.all(this.inFlight.values());
    this.loop = undefined;
    if (this.inDoubt.size > 0) {
      this.recordRetryAt = 0;
      this.settleInDoubt();
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
    this.resume();
    this.report = emptyReport();
    const started = this.now();
    do {
      this.woken = false;
      this.settleInDoubt();
      await this.dispatchDue();
      await Promise.all(this.inFlight.values());
    } while (!this.stopped && this.hasDue());
    const report = this.report;
    const total = report.sent + report.rateLimited + report.retried + report.gone + report.migrated + report.failed;
    if (total > 0) this.options.log.info({ platform: this.platform, ...report, ms: this.now() - started }, `alerts: ${report.sent} sent`);
    return report;
  }

  /** Once per sender, before its first send: say what a previous run left. */
  private resume(): void {
    if (this.resumed) return;
    const pending = this.options.outbox.pendingCount(this.platform);
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

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Rows are in doubt: nothing new goes out until the database has taken their answers. */
  private get paused(): boolean {
    return this.inDoubt.size > 0;
  }

  private hasDue(): boolean {
    if (this.paused) return false;
    const next = this.options.outbox.nextDueAt(this.platform);
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
        wait = this.idleTime();
      } catch (error) {
        // The database or a bug, not a send (sends never throw here): log and try again later.
        log.error({ platform: this.platform, err: error }, 'alert sender failed; retrying in a while');
        wait = Math.min(this.idleMs, 5_000);
      }
      await this.idle(wait).catch(() => undefined); // sleep never rejects; belt and braces
    }
  }

  /** How long to wait before looking again: until the next try to record the rows in doubt, or the next row due. */
  private idleTime(): number {
    if (this.paused) return Math.max(0, this.recordRetryAt - this.now());
    const next = this.options.outbox.nextDueAt(this.platform);
    return next === undefined ? this.idleMs : Math.min(this.idleMs, Math.max(0, next - this.now()));
  }

  /** Writes again the answers the database refused, once their back-off is over. */
  private settleInDoubt(): void {
    if (this.inDoubt.size === 0 || this.now() < this.recordRetryAt) return;
    for (const [id, record] of this.inDoubt) {
      try {
        record();
      } catch {
        this.recordTries++;
        this.recordRetryAt = this.now() + this.recordBackoff();
        return; // logged once, when the first row went in doubt
      }
      this.inDoubt.delete(id);
    }
    this.options.log.info(
      { platform: this.platform, tries: this.recordTries + 1 },
      'the alerts database records deliveries again; sending resumes',
    );
    this.recordTries = 0;
    this.recordRetryAt = 0;
  }

  private recordBackoff(): number {
    return Math.min(this.recordRetryMaxMs, this.recordRetryBaseMs * 2 ** Math.max(0, this.recordTries - 1));
  }

  /** The database refused to record this answer: hold the row in doubt (never sent again) and write it later. */
  private holdInDoubt(delivery: Delivery, record: () => void, error: unknown): void {
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
    while (!this.stopped && !this.paused) {
      const due = outbox.claimDue(this.platform, this.now(), this.batchSize);
      if (due.length === 0) return;
      let dispatched = 0;
      for (const delivery of due) {
        if (this.stopped || this.paused) return;
        if (this.busyChats.has(delivery.chatId)) continue; // taken again once its chat is free
        // A chat's alerts keep the order of their rounds: an older row of the chat still pending
        // (parked by the chat's pacing, a 429 or a back-off) goes first, and this one after it. Without
        // this, a later row of a parked chat could go as soon as the chat is ready mid-batch.
        const olderDue = outbox.olderPendingDueAt(this.platform, delivery.chatId, delivery.id);
        if (olderDue !== undefined) {
          outbox.retryLater(delivery.id, Math.max(olderDue, this.now()));
          continue;
        }
        const readyAt = limiter.chatReadyAt(delivery.chatId);
        if (readyAt > this.now()) {
          // The chat's own limit: park the row rather than hold a global slot waiting for it.
          outbox.retryLater(delivery.id, readyAt);
          continue;
        }
        while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight.values());
        if (this.paused) return;
        const reply = this.options.reply(delivery.round, delivery);
        if (!reply) {
          outbox.markFailed(delivery.id, `round ${delivery.round} is not known`);
          this.count('failed');
          this.options.log.error({ platform: this.platform, round: delivery.round }, 'alert for an unknown round dropped');
          continue;
        }
        // Asked again after every sleep: a 429 may have come back meanwhile.
        for (let wait = limiter.delay(delivery.chatId); wait > 0; wait = limiter.delay(delivery.chatId)) {
          await this.sleep(wait, this.stopping.signal);
          if (this.stopped || this.paused) return;
        }
        // The batch was read before the waits: an answer since then may have settled this row (it
        // was in flight: sent, or put off), closed it (chat gone) or moved it (migrated). Checked
        // with nothing awaited between here and the request, so a row can never go out twice.
        if (this.busyChats.has(delivery.chatId) || !outbox.isDue(delivery.id, delivery.chatId, this.now())) continue;
        limiter.take(delivery.chatId);
        // Asked again: IRCC may have corrected the round during the waits (a cache hit otherwise).
        this.dispatch(delivery, this.options.reply(delivery.round, delivery) ?? reply);
        dispatched++;
      }
      // Everything due belonged to chats already busy: let one answer come back before looking again.
      if (dispatched === 0) {
        if (this.inFlight.size === 0) return;
        await Promise.race(this.inFlight.values());
      }
    }
  }

  private dispatch(delivery: Delivery, reply: Reply): void {
    this.busyChats.add(delivery.chatId);
    const done = this.deliver(delivery, reply)
      .catch((error: unknown) => {
        // deliver() holds database errors in doubt; only a bug gets here.
        this.options.log.error({ platform: this.platform, deliveryId: delivery.id, err: error }, 'an alert delivery failed unexpectedly');
      })
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.busyChats.delete(delivery.chatId);
      });
    this.inFlight.set(delivery.id, done);
  }

  private async deliver(delivery: Delivery, reply: Reply): Promise<void> {
    const { transport, outbox } = this.options;
    // The round's revision as the reply shows it, read in the same tick: a correction arriving while
    // the request is on the wire leaves this message owed an edit.
    const revision = outbox.revision(delivery.round);
    let result: DeliveryResult;
    try {
      result = await transport.send(delivery.chatId, reply, delivery.threadId ?? undefined);
    } catch (error) {
      result = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    const at = this.now();
    const record = () => this.record(delivery, result, at, revision);
    try {
      record();
    } catch (error) {
      this.holdInDoubt(delivery, record, error);
    }
  }

  /**
   * Writes what became of a delivery, then counts and logs it: a write that throws leaves nothing
   * counted, so writing again later (a row in doubt) counts it once. `at`: when the answer came.
   */
  private record(delivery: Delivery, result: DeliveryResult, at: number, revision?: number): void {
    const { outbox, limiter, log } = this.options;
    const { id, chatId, round } = delivery;
    // Never the id itself: a private chat's id is its user's (see hashId).
    const context = { platform: this.platform, chat: hashId(chatId), round };
    switch (result.status) {
      case 'sent':
        outbox.markSent(id, at, result.messageId, revision);
        this.count('sent');
        return;
      case 'retry': {
        const until = at + Math.max(0, result.afterMs);
        limiter.pause(until, result.scope === 'chat' ? chatId : undefined);
        outbox.retryLater(id, until);
        this.count('rateLimited');
        log.warn(
          { ...context, afterMs: result.afterMs, scope: result.scope ?? 'global', reason: result.reason },
          'alert held back (rate limit); trying again later',
        );
        return;
      }
      case 'gone':
        outbox.markGone(this.platform, chatId);
        this.count('gone');
        log.info({ ...context, reason: result.reason }, 'chat unreachable; its alert subscription is removed');
        return;
      case 'paused': {
        // Counted as failed: this alert is given up; the subscription stays, paused until /subscribe.
        const error = result.detail ?? result.reason;
        outbox.markPaused(this.platform, chatId, { reason: result.reason, fix: result.fix, at }, error);
        this.count('failed');
        log.warn({ ...context, error }, 'may not post in the chat; its alerts are paused until /subscribe is sent there again');
        return;
      }
      case 'migrated':
        if (result.toChatId === chatId) {
          outbox.markFailed(id, 'migrated to the same chat id');
          this.count('failed');
          return;
        }
        // The row follows the chat and stays due: the next claim sends it to the new id.
        outbox.moveChat(this.platform, chatId, result.toChatId);
        this.count('migrated');
        log.info({ ...context, toChat: hashId(result.toChatId) }, 'chat moved to a new id; subscription and alerts follow it');
        return;
      case 'failed': {
        const attempts = delivery.attempts + 1;
        if (result.permanent || attempts >= this.maxAttempts) {
          outbox.markFailed(id, result.error);
          this.count('failed');
          log.error({ ...context, attempts, error: result.error }, 'alert not delivered; giving up');
          return;
        }
        const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempts - 1));
        outbox.retryLater(id, at + backoff, result.error);
        this.count('retried');
        log.warn({ ...context, attempts, backoffMs: backoff, error: result.error }, 'alert failed; will retry');
        return;
      }
    }
  }
}
