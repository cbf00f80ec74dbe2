import type { RateLimiter } from '../lib/rateLimiter.js';
import { sleep as abortableSleep } from '../lib/sleep.js';

export interface PacedDispatcherOptions {
  /** The token's outgoing budget, shared with its answers (which go first). */
  limiter: RateLimiter;
  /** Requests at once over every lane: on the wire, or holding their chat while they wait for their pace. Default 30. */
  maxInFlight?: number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it must not reject). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** One user's access to a PacedDispatcher (the sender's, the editor's): see there. */
export interface DispatchLane {
  /** A turn of any lane holds the chat: a request to it is on the wire, or waiting for its pace. */
  busy(chatId: string): boolean;
  /** This lane's turns. */
  readonly inFlight: number;
  /** Resolves once this lane and the dispatcher have room for one more turn (it reserves none), or when `signal` aborts. */
  whenSlotFree(signal: AbortSignal): Promise<void>;
  /**
   * Waits for a slot, then holds the chat and waits until the budget lets a request to it go now:
   * `limiter.delay(chatId)` is 0, asked again after every sleep (a 429 or an answer may have come
   * meanwhile). True: the turn is this lane's, to `start` or `release`. False, holding nothing: the
   * chat is another turn's, `signal` aborted, or `keepWaiting` (asked after every wait) said no.
   */
  paced(chatId: string, signal: AbortSignal, keepWaiting?: () => boolean): Promise<boolean>;
  /**
   * Counts the request in the budget (`limiter.take`) and runs it; the turn (its chat, its slot)
   * ends when it settles. Only with the turn `paced` gave. `request` handles its own failures (a
   * rejection is ignored here).
   */
  start(chatId: string, request: () => Promise<void>): void;
  /** Gives back the turn `paced` gave if no request used it (a no-op once started): call it in a `finally`. */
  release(chatId: string): void;
  /** Waits until a turn ends (any lane's), or `signal` aborts: true then; false at once when none is held. */
  settleOne(signal?: AbortSignal): Promise<boolean>;
  /** Resolves once this lane's requests now on the wire have settled. */
  settled(): Promise<void>;
}

interface Lane {
  readonly maxInFlight: number;
  held: number;
  readonly requests: Set<Promise<void>>;
}

/** A chat's turn: one lane's, from `paced` until its request settles (or `release`). */
interface Turn {
  lane: Lane;
  started: boolean;
}

/**
 * One platform's outgoing alert requests — the sender's alerts and the editor's corrections —
 * paced by the token's budget, one request at a time per chat whoever makes it (an edit never goes
 * to a chat whose alert is on the wire, nor the reverse: a chat's requests keep their order and its
 * pace), at most `maxInFlight` at once. Each user takes a lane, with a cap of its own within the
 * shared one; for each request, `paced(chat)` waits for a slot, the chat and its moment in the
 * budget and holds them (a turn), then `start(chat, request)` spends the budget and runs it, or
 * `release(chat)` gives the turn back unused. What to send, claims and answers stay the users'.
 *
 * From the moment a turn finds the budget ready (`limiter.delay` 0) to its `start` or `release`, no
 * other turn takes the budget: two lanes never spend one slot.
 */
export class PacedDispatcher {
  readonly limiter: RateLimiter;
  private readonly maxInFlight: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly turns = new Map<string, Turn>();
  private readonly lanes: Lane[] = [];
  /** The chat whose turn found the budget ready and has neither started nor been given back. */
  private pacer: string | undefined;
  /** Turns ended so far (settled or given back). */
  private ended = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: PacedDispatcherOptions) {
    this.limiter = options.limiter;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 30);
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** A user of the dispatcher (the sender, the editor); `maxInFlight` caps its own turns, within the shared cap. */
  lane(maxInFlight?: number): DispatchLane {
    const lane: Lane = { maxInFlight: Math.max(1, maxInFlight ?? this.maxInFlight), held: 0, requests: new Set() };
    this.lanes.push(lane);
    return {
      busy: (chatId) => this.busy(chatId),
      get inFlight() {
        return lane.held;
      },
      whenSlotFree: (signal) => this.whenSlotFree(lane, signal),
      paced: (chatId, signal, keepWaiting) => this.paced(lane, chatId, signal, keepWaiting),
      start: (chatId, request) => this.start(lane, chatId, request),
      release: (chatId) => this.release(lane, chatId),
      settleOne: (signal) => this.settleOne(signal),
      settled: async () => {
        await Promise.all(lane.requests);
      },
    };
  }

  /** A turn holds the chat: a request to it is on the wire, or waiting for its pace. */
  busy(chatId: string): boolean {
    return this.turns.has(chatId);
  }

  /** Turns held, over every lane. */
  get inFlight(): number {
    return this.turns.size;
  }

  /** Waits until a turn ends (any lane's), or `signal` aborts: true then; false at once when none is held. */
  async settleOne(signal?: AbortSignal): Promise<boolean> {
    if (this.turns.size === 0) return false;
    const ended = this.ended;
    while (this.ended === ended && !signal?.aborted) await this.changed(signal);
    return true;
  }

  /** Resolves once every request now on the wire, of every lane, has settled. */
  async settled(): Promise<void> {
    await Promise.all(this.lanes.flatMap((lane) => [...lane.requests]));
  }

  private hasSlot(lane: Lane): boolean {
    return this.turns.size < this.maxInFlight && lane.held < lane.maxInFlight;
  }

  private async whenSlotFree(lane: Lane, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.hasSlot(lane)) await this.changed(signal);
  }

  private async paced(lane: Lane, chatId: string, signal: AbortSignal, keepWaiting: () => boolean = () => true): Promise<boolean> {
    const giveUp = () => signal.aborted || !keepWaiting();
    while (!this.hasSlot(lane)) {
      if (giveUp()) return false;
      await this.changed(signal);
    }
    if (giveUp() || this.busy(chatId)) return false;
    this.turns.set(chatId, { lane, started: false });
    lane.held++;
    for (;;) {
      const wait = this.limiter.delay(chatId);
      if (wait <= 0) {
        if (this.pacer === undefined) {
          this.pacer = chatId;
          return true;
        }
        await this.changed(signal); // another turn is about to spend this slot: ask again after it
      } else {
        await this.sleep(wait, signal);
      }
      if (giveUp()) {
        this.release(lane, chatId);
        return false;
      }
    }
  }

  private start(lane: Lane, chatId: string, request: () => Promise<void>): void {
    const turn = this.turns.get(chatId);
    if (turn?.lane !== lane || turn.started || this.pacer !== chatId) throw new Error('start() needs the turn paced() gave');
    turn.started = true;
    this.limiter.take(chatId);
    this.pacer = undefined;
    this.notify();
    let running: Promise<void>;
    try {
      running = request();
    } catch (error) {
      running = Promise.reject(error);
    }
    const done = running
      .catch(() => undefined)
      .finally(() => {
        lane.requests.delete(done);
        this.end(lane, chatId);
      });
    lane.requests.add(done);
  }

  private release(lane: Lane, chatId: string): void {
    const turn = this.turns.get(chatId);
    if (turn?.lane === lane && !turn.started) this.end(lane, chatId);
  }

  private end(lane: Lane, chatId: string): void {
    this.turns.delete(chatId);
    lane.held--;
    this.ended++;
    if (this.pacer === chatId) this.pacer = undefined;
    this.notify();
  }

  /** Resolves at the next change of the turns or of who holds the budget, or when `signal` aborts. */
  private changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        this.listeners.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
