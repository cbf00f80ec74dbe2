import { setMaxListeners } from 'node:events';
import type { Context, Middleware, Transformer } from 'grammy';
import { type AnswerScope, enterAnswerScope } from './answerScope.js';

/** How long after a question its answer is still worth sending: later, it is noise and delays fresh ones. */
export const MAX_ANSWER_AGE_MS = 60_000;

/** An update taken: its id, and its answer scope. */
interface Taken extends AnswerScope {
  id: number;
}

/**
 * Every update the bot has taken and not finished with: from the moment the runner (or the webhook)
 * hands it over, through the chat's line (sequentialize) and the wait for the outgoing budget, to
 * its last message. Installed first, it sees each update before anything can make it wait. Each
 * update's API calls are in its answer scope: a deadline MAX_ANSWER_AGE_MS after the question, and
 * a signal that drain() aborts when it gives up the updates left.
 */
export class UpdatesInFlight {
  private readonly taken = new Set<Taken>();
  private readonly emptied = new Set<() => void>();
  /** Shared by the updates taken since the last give-up: drain() gives up all those left at once. */
  private giveUp = sharedController();
  private offsetAsked = 0;

  constructor(private readonly maxAnswerAgeMs = MAX_ANSWER_AGE_MS) {}

  readonly middleware: Middleware<Context> = async (ctx, next) => {
    // Telegram dates a message in whole seconds, so an answer may be up to a second younger than
    // it looks: shed a little early rather than late. A button press has no date (its msg is the
    // message under the button, maybe days old, or dated 0 when out of reach): it asks as it comes.
    const asked = ctx.callbackQuery ? Date.now() / 1000 : ctx.msg?.date;
    const deadline = asked === undefined ? Number.POSITIVE_INFINITY : asked * 1000 + this.maxAnswerAgeMs;
    const taken: Taken = { id: ctx.update.update_id, deadline, signal: this.giveUp.signal };
    this.taken.add(taken);
    enterAnswerScope(ctx, taken);
    try {
      await next();
    } finally {
      this.taken.delete(taken);
      if (this.taken.size === 0) for (const done of [...this.emptied]) done();
    }
  };

  /**
   * Notes the offset of each getUpdates asked for: Telegram counts every update below it as
   * delivered, and will not send it again.
   */
  readonly watchOffsets: Transformer = (prev, method, payload, signal) => {
    const offset = method === 'getUpdates' ? (payload as { offset?: unknown } | undefined)?.offset : undefined;
    if (typeof offset === 'number') this.offsetAsked = Math.max(this.offsetAsked, offset);
    return prev(method, payload, signal);
  };

  /** Updates taken and not finished with. */
  get size(): number {
    return this.taken.size;
  }

  /** Updates with a lower id were confirmed to Telegram by getUpdates (polling only; 0 in webhook mode). */
  get confirmedBelow(): number {
    return this.offsetAsked;
  }

  /**
   * For a stop, once nothing new is taken: resolves when every update taken is finished with, or
   * at `deadlineMs`, giving up those left (their answers not sent yet never are) and resolving with
   * their ids.
   */
  async drain(deadlineMs: number): Promise<number[]> {
    if (this.taken.size > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.emptied.delete(done);
          resolve();
        };
        // Held open on purpose: the answers still waiting for the budget do not keep the process alive.
        const timer = setTimeout(done, Math.max(0, deadlineMs));
        this.emptied.add(done);
      });
    }
    const left = [...this.taken].map((taken) => taken.id);
    if (left.length > 0) {
      this.giveUp.abort();
      this.giveUp = sharedController();
    }
    return left;
  }
}

/** A controller whose signal every answer waiting for the budget listens to: hundreds, not a leak. */
function sharedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
