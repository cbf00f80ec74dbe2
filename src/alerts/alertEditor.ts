import type { Reply } from '../core/reply.js';
import type { OwedEdit } from '../domain/delivery.js';
import type { AlertPlatform } from '../domain/subscription.js';
import { hashId } from '../lib/hashId.js';
import type { Logger } from '../lib/log.js';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { sleep as abortableSleep } from '../lib/sleep.js';
import type { AlertTransport, EditResult } from './alertTransport.js';
import type { Outbox } from './outbox.js';
import { type DispatchLane, PacedDispatcher } from './pacedDispatcher.js';

export interface AlertEditorOptions {
  outbox: Outbox;
  /** A transport that can edit (`edit` set). */
  transport: AlertTransport;
  /** The corrected alert for a round, with its "corrected" note, for the chat (a private chat's carries its owner's verdict). */
  reply: (round: string, to?: { platform: AlertPlatform; chatId: string }) => Promise<Reply | undefined>;
  /** The token's outgoing budget, shared with the sender and the answers: an edit is a request like a send. */
  limiter: RateLimiter;
  /**
   * The platform's dispatcher, shared with its AlertSender and made with this `limiter`: the pacing,
   * the cap on requests at once, one request at a time per chat whoever makes it (an edit never goes
   * to a chat whose alert is on the wire). Default: one of its own.
   */
  dispatcher?: PacedDispatcher;
  log: Logger;
  /** ms since the epoch. */
  now?: () => number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it must not reject). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Whether this instance may still act (it leads), asked right before each edit. Default: always. */
  mayAct?: () => boolean;
  /** Edits awaiting an answer at once (within the dispatcher's cap, shared with the sender). Default 10. */
  maxInFlight?: number;
  /** Failed tries of one edit before it is given up. Default 3. */
  maxAttempts?: number;
  /** Wait after a failed try. Default 10 s. */
  retryMs?: number;
}

export interface EditReport {
  edited: number;
  /** The message or its chat is gone, or it may not be edited: nothing to correct there. */
  skipped: number;
  /** Given up after failures. */
  failed: number;
}

/**
 * Edits the alerts already sent for rounds IRCC corrected, so that every chat reads the corrected
 * figures in the message it got — never a second message. What is owed lives in the outbox (a sent
 * delivery behind its round's revision); an edit is recorded as soon as its answer is known, so a
 * restart resumes the rest and edits nothing twice, except one on the wire when the process died
 * (editing a message again to the same text is harmless). Paced by the token's budget like sends,
 * one request at a time per chat, its alerts' included (the dispatcher shared with the sender).
 */
export class AlertEditor {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** This editor's requests in the platform's dispatcher. */
  private readonly lane: DispatchLane;
  private readonly stopping = new AbortController();
  private running: Promise<EditReport> | undefined;
  private again = false;
  /** Failed tries per delivery id, in this run of the bot. */
  private readonly failures = new Map<number, number>();
  /** When an edit put off (a failure, a 429) may be tried again, by delivery id. */
  private readonly retryAt = new Map<number, number>();

  constructor(private readonly options: AlertEditorOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    const maxInFlight = options.maxInFlight ?? 10;
    const dispatcher = options.dispatcher ?? new PacedDispatcher({ limiter: options.limiter, maxInFlight, sleep: this.sleep });
    if (dispatcher.limiter !== options.limiter) throw new Error('the dispatcher must pace the limiter the editor is given');
    this.lane = dispatcher.lane(maxInFlight);
  }

  get platform() {
    return this.options.transport.platform;
  }

  /**
   * Edits everything owed, resolving when none is left (or stop()). Called while a run is under way,
   * it makes that run look again once done and returns it: corrections arriving meanwhile are not missed.
   */
  run(): Promise<EditReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop()
      .catch((error: unknown) => {
        // The database or a bug (edits never throw): what is owed stays owed for the next run.
        this.options.log.error({ platform: this.platform, err: error }, 'editing corrected alerts failed');
        return { edited: 0, skipped: 0, failed: 0 };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops taking edits and waits for those in flight; the rest stays owed. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async loop(): Promise<EditReport> {
    const report: EditReport = { edited: 0, skipped: 0, failed: 0 };
    do {
      this.again = false;
      await this.editOwed(report);
    } while (this.again && !this.stopped);
    const total = report.edited + report.skipped + report.failed;
    if (total > 0) this.options.log.info({ platform: this.platform, ...report }, `alerts: ${report.edited} corrected in place`);
    return report;
  }

  private async editOwed(report: EditReport): Promise<void> {
    const { outbox } = this.options;
    const { lane } = this;
    const { signal } = this.stopping;
    // Rows seen this pass and left owed (a chat busy, a retry): looked at again in the next pass.
    let afterId = 0;
    let leftOwed = false;
    /** Chats of rows left owed because a request held them. */
    const waitedOn = new Set<string>();
    while (!this.stopped) {
      const batch = await outbox.owedEdits(this.platform, 100, afterId);
      if (batch.length === 0) {
        await lane.settled();
        if (!leftOwed || this.stopped) return;
        // Some waited on their chat or a failure's back-off: once the requests settle, look again.
        afterId = 0;
        leftOwed = false;
        // Every chat waited on still held (by the sender: its alert on the wire): until a request settles, not in a spin.
        if (waitedOn.size > 0 && [...waitedOn].every((chatId) => lane.busy(chatId))) await lane.settleOne(signal);
        waitedOn.clear();
        const retryAt = this.nextRetryAt;
        if (retryAt > this.now()) await this.sleep(retryAt - this.now(), signal);
        continue;
      }
      for (const owed of batch) {
        afterId = owed.id;
        if (this.stopped) break;
        if ((this.retryAt.get(owed.id) ?? 0) > this.now()) {
          leftOwed = true;
          continue;
        }
        if (lane.busy(owed.chatId)) {
          leftOwed = true;
          waitedOn.add(owed.chatId);
          continue;
        }
        await lane.whenSlotFree(signal);
        if (this.stopped) break;
        if (!(await lane.paced(owed.chatId, signal))) {
          if (this.stopped) break;
          leftOwed = true; // the sender took the chat meanwhile
          waitedOn.add(owed.chatId);
          continue;
        }
        try {
          // The reply is read now, just before the request: a correction since the batch was read shows
          // already (and the row, recorded at its older revision, is edited again to the same text).
          const reply = await this.options.reply(owed.round, { platform: this.options.transport.platform, chatId: owed.chatId });
          if (!reply) {
            await outbox.markEdited(owed.id, owed.revision);
            continue;
          }
          lane.start(owed.chatId, () =>
            this.edit(owed, reply, report).catch((error: unknown) => {
              // Recording it failed (the database): the edit stays owed, tried again after a while.
              this.retryAt.set(owed.id, this.now() + (this.options.retryMs ?? 10_000));
              this.options.log.error({ platform: this.platform, deliveryId: owed.id, err: error }, 'could not record an alert edit');
            }),
          );
        } finally {
          lane.release(owed.chatId); // nothing, once its request started
        }
      }
    }
    await lane.settled();
  }

  private get nextRetryAt(): number {
    let next = 0;
    for (const at of this.retryAt.values()) if (next === 0 || at < next) next = at;
    return next;
  }

  private async edit(owed: OwedEdit, reply: Reply, report: EditReport): Promise<void> {
    const { transport, outbox, limiter, log } = this.options;
    let result: EditResult;
    if (this.options.mayAct && !this.options.mayAct()) return; // the new leader's editor makes it
    try {
      result = transport.edit ? await transport.edit(owed.chatId, owed.messageId, reply) : { status: 'skipped', reason: 'cannot edit' };
    } catch (error) {
      result = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    // Never the chat id itself: a private chat's id is its user's (see hashId).
    const context = { platform: this.platform, chat: hashId(owed.chatId), round: owed.round };
    switch (result.status) {
      case 'edited':
        await outbox.markEdited(owed.id, owed.revision);
        this.settle(owed.id);
        report.edited++;
        return;
      case 'skipped':
        await outbox.markEdited(owed.id, owed.revision);
        this.settle(owed.id);
        report.skipped++;
        log.info({ ...context, reason: result.reason }, 'corrected alert not edited: the message is gone');
        return;
      case 'retry': {
        const until = this.now() + Math.max(0, result.afterMs);
        limiter.pause(until, result.scope === 'chat' ? owed.chatId : undefined);
        this.retryAt.set(owed.id, until);
        log.warn({ ...context, afterMs: result.afterMs, reason: result.reason }, 'alert edit held back (rate limit); trying again later');
        return;
      }
      case 'failed': {
        const tries = (this.failures.get(owed.id) ?? 0) + 1;
        if (result.permanent || tries >= Math.max(1, this.options.maxAttempts ?? 3)) {
          await outbox.markEdited(owed.id, owed.revision);
          this.settle(owed.id);
          report.failed++;
          log.error({ ...context, tries, error: result.error }, 'corrected alert could not be edited; giving up');
          return;
        }
        this.failures.set(owed.id, tries);
        this.retryAt.set(owed.id, this.now() + (this.options.retryMs ?? 10_000));
        log.warn({ ...context, tries, error: result.error }, 'alert edit failed; will retry');
        return;
      }
    }
  }

  private settle(id: number): void {
    this.failures.delete(id);
    this.retryAt.delete(id);
  }
}
