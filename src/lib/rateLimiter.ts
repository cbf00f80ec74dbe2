export interface RateLimits {
  /** Messages per second over all chats; unset: no global limit. */
  perSecond?: number;
  /** Messages to one chat in any minute; unset, or undefined for a chat: no limit for it. */
  perChatPerMinute?: (chatId: string) => number | undefined;
  /**
   * The least time between two messages to one chat, for chats with a per-minute limit. Default:
   * the minute shared out evenly (60 s ÷ perChatPerMinute). Shorter lets a chat have a short burst
   * (an answer's text, then its chart) while the per-minute limit still holds.
   */
  perChatGapMs?: number;
  /**
   * Share of each limit left unused, to absorb the jitter between the moment a send is counted here
   * and the moment the server counts it (event-loop stalls, the network). Default 0.03: at most
   * `perSecond` messages in any 1000 / 0.97 ≈ 1031 ms.
   */
  headroom?: number;
  /**
   * How far behind schedule the sender may fall and still catch up, by sending back to back (never
   * beyond the window cap): covers event-loop stalls. Further behind counts as idle and restarts
   * the schedule without a burst. Default 100 ms.
   */
  catchUpMs?: number;
}

/** An answer waiting for its turn (see acquire). */
interface Waiter {
  chatId: string;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const MINUTE = 60_000;

/**
 * One bot token's outgoing budget, shared by its answers and its alerts. Two rules, both on the
 * instants messages are actually sent:
 * - a schedule one interval apart (window ÷ perSecond), so messages go evenly rather than in bursts
 *   at the edge of the server's window; time lost to a late timer or a stall of up to `catchUpMs` is
 *   made up (at 300/s an interval is 3.4 ms: Node's millisecond timers alone would cost ~10%);
 * - a sliding window: never more than `perSecond` messages in any window of 1000 / (1 − headroom)
 *   ms — the hard cap, which holds whatever the timers and the catch-up do.
 * Per chat: at most `perChatPerMinute` in any minute, `perChatGapMs` apart; a 429 pauses one chat
 * or everything.
 *
 * Several instances answering for one token each take a share of its budget (setShare): the
 * global rate and cap, and each chat's limits, scaled down so that together they stay within them.
 *
 * Answers come first. They wait in `acquire`, in the order they asked, and take each slot the
 * schedule frees before any alert: a broadcast delays an answer by one interval at most. Alerts
 * ask `delay(chatId)`, sleep that long (asking again: a 429 or an answer may have come meanwhile)
 * and call `take(chatId)` when it is 0, just before sending; `delay` counts the answers that are
 * waiting and ready as ahead of them. Pure timing on an injected clock, but for the one timer
 * that wakes waiting answers.
 */
export class RateLimiter {
  /** Messages in a window at the full budget (the ring's size); 0: no global limit. */
  private readonly perWindow: number;
  /** At the current share: the schedule's spacing, and the messages allowed in any window. */
  private interval: number;
  private cap: number;
  private shareOf = 1;
  private readonly windowMs: number;
  private readonly minuteMs: number;
  private readonly catchUpMs: number;
  private readonly headroom: number;
  /**
   * Send instants of the last `perSecond` messages, a ring; `head` is the oldest. Full size whatever
   * the share, so that a larger share later still sees every send of the last window.
   */
  private readonly sent: Float64Array;
  private head = 0;
  private count = 0;
  /**
   * Where the schedule is: the slot the last message took. The next is due an interval later, the
   * interval of the share at the time it is asked for, so a new share applies from the next message.
   */
  private scheduled = -Infinity;
  private pausedUntil = -Infinity;
  /**
   * Per chat: send instants of its recent messages, oldest first — as many as its per-minute limit
   * needs, or only the last when its gap alone keeps it within the limit. Stale entries are swept.
   */
  private readonly chatSent = new Map<string, number[]>();
  /** Per chat: a pause a 429 asked for (rare, so kept apart from the spacing above). */
  private readonly chatPausedUntil = new Map<string, number>();
  private sweepAt = 1024;
  /** Answers waiting for a slot, in the order they asked. */
  private readonly waiting: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.headroom = limits.headroom ?? 0.03;
    if (!(this.headroom >= 0 && this.headroom < 1)) throw new RangeError('headroom must be in [0, 1)');
    this.catchUpMs = Math.max(0, limits.catchUpMs ?? 100);
    this.perWindow = limits.perSecond ? Math.max(1, Math.floor(limits.perSecond)) : 0;
    this.windowMs = 1000 / (1 - this.headroom);
    this.minuteMs = MINUTE / (1 - this.headroom);
    this.interval = this.perWindow ? this.windowMs / this.perWindow : 0;
    this.cap = this.perWindow;
    this.sent = new Float64Array(this.perWindow);
  }

  /** The part of the token's budget this limiter uses, in (0, 1]; 1 unless setShare said otherwise. */
  get share(): number {
    return this.shareOf;
  }

  /**
   * Uses `share` of the budget, so that instances sending for one token together stay within its
   * limits: the schedule an interval of window ÷ (perSecond × share) apart, at most
   * ⌊perSecond × share⌋ (at least 1) messages in any window, and per chat ⌊limit × share⌋ (at
   * least 1) a minute, gap ÷ share apart. Applies from the next message; waiting answers are re-timed.
   * A chat whose gap alone kept its limit has only its last send on record: should the new share
   * need its minute, that chat's count starts afresh.
   */
  setShare(share: number): void {
    if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]');
    if (share === this.shareOf) return; // asked again at every heartbeat: nothing to re-time
    this.shareOf = share;
    this.interval = this.perWindow ? this.windowMs / (this.perWindow * share) : 0;
    this.cap = this.perWindow ? scaled(this.perWindow, share) : 0;
    // The wake-up set for the old share may be too late (a larger share): set it afresh.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.grant();
  }

  /** When a message to this chat could go as far as the chat's own limits and pauses allow. */
  chatReadyAt(chatId: string): number {
    let ready = Math.max(this.chatPausedUntil.get(chatId) ?? -Infinity, this.now());
    const sent = this.chatSent.get(chatId);
    const limit = sent && this.chatLimit(chatId);
    if (sent && limit) {
      ready = Math.max(ready, sent[sent.length - 1]! + limit.gapMs / (1 - this.headroom));
      if (sent.length >= limit.perMinute) ready = Math.max(ready, sent[sent.length - limit.perMinute]! + this.minuteMs);
    }
    return ready;
  }

  /**
   * Milliseconds until an alert to `chatId` may go; 0: now. Answers waiting whose chat is ready
   * by then go first, so the alert is put off by a slot for each.
   */
  delay(chatId: string): number {
    const now = this.now();
    const slot = this.slotAt();
    let ahead = 0;
    for (const waiter of this.waiting) if (this.chatReadyAt(waiter.chatId) <= slot) ahead++;
    const earliest = Math.max(slot + ahead * this.interval, this.chatReadyAt(chatId));
    // An answer ahead when there is no global schedule (interval 0) still goes first: wait a tick.
    return Math.max(ahead > 0 ? 1 : 0, earliest - now);
  }

  /** Counts a message to `chatId` as sent now. Call it when `delay(chatId)` is 0. */
  take(chatId: string): void {
    const now = this.now();
    if (this.sent.length > 0) {
      // Behind schedule by more than the allowance means idle (or a long stall): start afresh
      // rather than burst. Within it, the next message is due at once until we are back on time.
      const due = this.scheduled + this.interval;
      this.scheduled = now - due > this.catchUpMs ? now : due;
      this.sent[(this.head + this.count) % this.sent.length] = now;
      if (this.count < this.sent.length) this.count++;
      else this.head = (this.head + 1) % this.sent.length;
    }
    const limit = this.chatLimit(chatId);
    if (limit) {
      const sent = this.chatSent.get(chatId) ?? [];
      sent.push(now);
      // Only the window's worth is ever read, and only the last one when the gap alone keeps the limit.
      const keep = gapOnly(limit) ? 1 : limit.perMinute;
      if (sent.length > keep) sent.splice(0, sent.length - keep);
      this.chatSent.set(chatId, sent);
    }
    this.sweep(now);
  }

  /**
   * Waits for an answer's turn to `chatId` and counts it as sent: before any alert, after the
   * answers that asked earlier and whose chat is ready. Rejects with the signal's reason if it
   * aborts first.
   */
  acquire(chatId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.waiting.length === 0 && this.slotAt() <= this.now() && this.chatReadyAt(chatId) <= this.now()) {
      this.take(chatId);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { chatId, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiting.push(waiter);
      this.grant();
    });
  }

  /** A 429: nothing before `until`, for one chat or (no chat) for every chat. */
  pause(until: number, chatId?: string): void {
    if (chatId === undefined) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.chatPausedUntil.set(chatId, Math.max(this.chatPausedUntil.get(chatId) ?? -Infinity, until));
  }

  /** Answers waiting for a slot. */
  get waitingAnswers(): number {
    return this.waiting.length;
  }

  /** Chats with a wait of their own still tracked (for tests of the sweep). */
  get trackedChats(): number {
    return this.chatSent.size + this.chatPausedUntil.size;
  }

  /** The instant the global schedule, its window and a global pause allow the next message. */
  private slotAt(): number {
    // The window holds `cap` messages: the cap-th most recent send must have left it.
    const full = this.cap > 0 && this.count >= this.cap;
    const capped = full ? this.sent[(this.head + this.count - this.cap) % this.sent.length]! + this.windowMs : -Infinity;
    return Math.max(this.scheduled + this.interval, capped, this.pausedUntil);
  }

  /** A chat's limits at the current share; undefined: none. */
  private chatLimit(chatId: string): ChatLimit | undefined {
    const perMinute = this.limits.perChatPerMinute?.(chatId);
    if (!perMinute) return undefined;
    const gapMs = this.limits.perChatGapMs ?? MINUTE / perMinute;
    return this.shareOf === 1 ? { perMinute, gapMs } : { perMinute: scaled(perMinute, this.shareOf), gapMs: gapMs / this.shareOf };
  }

  /** Lets waiting answers go, first come first served among chats that are ready, as slots free. */
  private grant(): void {
    for (;;) {
      if (this.waiting.length === 0) return;
      const now = this.now();
      const slot = this.slotAt();
      if (slot > now) {
        this.wakeAt(slot);
        return;
      }
      const index = this.waiting.findIndex((waiter) => this.chatReadyAt(waiter.chatId) <= now);
      if (index < 0) {
        this.wakeAt(Math.min(...this.waiting.map((waiter) => this.chatReadyAt(waiter.chatId))));
        return;
      }
      const [waiter] = this.waiting.splice(index, 1);
      if (waiter!.onAbort) waiter!.signal?.removeEventListener('abort', waiter!.onAbort);
      this.take(waiter!.chatId);
      waiter!.resolve();
    }
  }

  private wakeAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return; // an earlier wake looks again anyway
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.grant();
      },
      Math.max(0, Math.ceil(at - this.now())),
    );
    // Waiting answers belong to requests that keep the process alive themselves.
    this.timer.unref?.();
  }

  private sweep(now: number): void {
    if (this.chatSent.size + this.chatPausedUntil.size < this.sweepAt) return;
    for (const [chatId, sent] of this.chatSent) {
      // A chat kept by its gap alone is done with once the gap is over; others once their last
      // message is a minute old.
      const limit = this.chatLimit(chatId);
      const over = sent[sent.length - 1]! + (limit && gapOnly(limit) ? limit.gapMs / (1 - this.headroom) : this.minuteMs);
      if (over <= now) this.chatSent.delete(chatId);
    }
    for (const [chatId, until] of this.chatPausedUntil) if (until <= now) this.chatPausedUntil.delete(chatId);
    // Amortised: the next sweep waits until the maps have doubled again.
    this.sweepAt = Math.max(1024, (this.chatSent.size + this.chatPausedUntil.size) * 2);
  }
}

interface ChatLimit {
  perMinute: number;
  gapMs: number;
}

/** Whether the gap alone keeps a chat within its per-minute limit. */
function gapOnly({ perMinute, gapMs }: ChatLimit): boolean {
  return gapMs * perMinute >= MINUTE;
}

/**
 * ⌊limit × share⌋, at least 1. The nudge keeps exact products exact: 98 × (1 / 49) is 1.999…
 * in floating point, and a 49th of 98 is 2.
 */
function scaled(limit: number, share: number): number {
  return Math.max(1, Math.floor(limit * share + 1e-9));
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}
