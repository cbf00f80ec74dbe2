export interface RateLimits {
  /** Messages per second over all chats; unset: no global limit (e.g. discord.js queues itself). */
  perSecond?: number;
  /** Messages per minute to one chat; unset or undefined for a chat: no limit for it. */
  perChatPerMinute?: (chatId: string) => number | undefined;
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

/**
 * Paces messages for one platform. Two rules, both on the instants messages are actually sent:
 * - a schedule one interval apart (window ÷ perSecond), so messages go evenly rather than in bursts
 *   at the edge of the server's window; time lost to a late timer or a stall of up to `catchUpMs` is
 *   made up (at 300/s an interval is 3.4 ms: Node's millisecond timers alone would cost ~10%);
 * - a sliding window: never more than `perSecond` messages in any window of 1000 / (1 − headroom)
 *   ms — the hard cap, which holds whatever the timers and the catch-up do.
 * Per chat, messages are spaced by 60 s ÷ perChatPerMinute; a 429 pauses one chat or everything.
 *
 * Pure timing with an injected clock: the caller asks `delay(chatId)`, sleeps that long (asking
 * again: a 429 may have come back meanwhile), and calls `take(chatId)` when it is 0, just before
 * sending.
 */
export class RateLimiter {
  private readonly interval: number;
  private readonly windowMs: number;
  private readonly catchUpMs: number;
  private readonly headroom: number;
  /** Send instants of the last `perSecond` messages, a ring; `head` is the oldest. */
  private readonly sent: Float64Array;
  private head = 0;
  private count = 0;
  /** Where the schedule is: the instant the next message is due. */
  private due = -Infinity;
  private pausedUntil = -Infinity;
  /** Per chat: the earliest instant its next message may go. Stale entries are swept. */
  private readonly chatNext = new Map<string, number>();
  /** Per chat: a pause a 429 asked for (rare, so kept apart from the spacing above). */
  private readonly chatPausedUntil = new Map<string, number>();
  private sweepAt = 1024;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.headroom = limits.headroom ?? 0.03;
    if (!(this.headroom >= 0 && this.headroom < 1)) throw new RangeError('headroom must be in [0, 1)');
    this.catchUpMs = Math.max(0, limits.catchUpMs ?? 100);
    const perWindow = limits.perSecond ? Math.max(1, Math.floor(limits.perSecond)) : 0;
    this.windowMs = 1000 / (1 - this.headroom);
    this.interval = perWindow ? this.windowMs / perWindow : 0;
    this.sent = new Float64Array(perWindow);
  }

  /** When a message to this chat could go as far as the chat's own spacing and pauses allow. */
  chatReadyAt(chatId: string): number {
    return Math.max(this.chatNext.get(chatId) ?? -Infinity, this.chatPausedUntil.get(chatId) ?? -Infinity, this.now());
  }

  /** Milliseconds until a message to `chatId` may go; 0: now. */
  delay(chatId: string): number {
    const now = this.now();
    const full = this.count === this.sent.length && this.count > 0;
    const earliest = Math.max(
      this.due,
      full ? this.sent[this.head]! + this.windowMs : -Infinity,
      this.pausedUntil,
      this.chatReadyAt(chatId),
    );
    return Math.max(0, earliest - now);
  }

  /** Counts a message to `chatId` as sent now. Call it when `delay(chatId)` is 0. */
  take(chatId: string): void {
    const now = this.now();
    if (this.sent.length > 0) {
      // Behind schedule by more than the allowance means idle (or a long stall): start afresh
      // rather than burst. Within it, the next message is due at once until we are back on time.
      this.due = now - this.due > this.catchUpMs ? now + this.interval : this.due + this.interval;
      this.sent[(this.head + this.count) % this.sent.length] = now;
      if (this.count < this.sent.length) this.count++;
      else this.head = (this.head + 1) % this.sent.length;
    }
    const perMinute = this.limits.perChatPerMinute?.(chatId);
    if (perMinute) this.chatNext.set(chatId, now + 60_000 / (perMinute * (1 - this.headroom)));
    this.sweep(now);
  }

  /** A 429: nothing before `until`, for one chat or (no chat) for every chat. */
  pause(until: number, chatId?: string): void {
    if (chatId === undefined) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.chatPausedUntil.set(chatId, Math.max(this.chatPausedUntil.get(chatId) ?? -Infinity, until));
  }

  /** Chats with a wait of their own still tracked (for tests of the sweep). */
  get trackedChats(): number {
    return this.chatNext.size + this.chatPausedUntil.size;
  }

  private sweep(now: number): void {
    if (this.chatNext.size + this.chatPausedUntil.size < this.sweepAt) return;
    for (const [chatId, next] of this.chatNext) if (next <= now) this.chatNext.delete(chatId);
    for (const [chatId, until] of this.chatPausedUntil) if (until <= now) this.chatPausedUntil.delete(chatId);
    // Amortised: the next sweep waits until the maps have doubled again.
    this.sweepAt = Math.max(1024, (this.chatNext.size + this.chatPausedUntil.size) * 2);
  }
}
