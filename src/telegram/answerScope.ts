import type { Context, Transformer } from 'grammy';

/** What holds for every Bot API call made while handling one update. */
export interface AnswerScope {
  /** When its answer stops being worth sending (ms since the epoch): 60 s after the question. */
  deadline: number;
  /** Aborted when the bot gives the update up (a stop's deadline): nothing more is sent for it. */
  signal: AbortSignal;
}

/**
 * Why an answer was not sent: too old to be of use ('stale'), or the bot gave it up while stopping
 * ('stopped'). Not a failure: no apology follows.
 */
export class AnswerDropped extends Error {
  constructor(readonly reason: 'stale' | 'stopped') {
    super(reason === 'stale' ? 'answer dropped: past its deadline' : 'answer dropped: the bot is stopping');
    this.name = 'AnswerDropped';
  }
}

/** Where an update's context, and each API call's payload made for it, carry its scope. */
const SCOPE = Symbol('answerScope');
type Scoped = { [SCOPE]?: AnswerScope };

/**
 * Puts the API calls made for an update in `scope`. grammY gives each update an Api of its own
 * (with the bot's transformers); on it, outermost, every call's payload carries the scope, under
 * a symbol (never serialised), for the shared transformers to read (paceRequests), and every
 * call the scope's signal. Neither AsyncLocalStorage, whose promise hooks slow every update down
 * on Node 20, nor an AbortSignal per update, whose weight shows at thousands of updates a second.
 */
export function enterAnswerScope(ctx: Context, scope: AnswerScope): void {
  (ctx as Scoped)[SCOPE] = scope;
  // grammY types the signal after its polyfill; at run time it is the built-in one.
  const signal = scope.signal as unknown as Parameters<Transformer>[3];
  ctx.api.config.use((prev, method, payload, given) =>
    prev(method, (payload && { ...payload, [SCOPE]: scope }) as typeof payload, given ?? signal),
  );
}

/** The scope of an update's context, or of an API call's payload; none for the bot's own calls (getUpdates). */
export function answerScope(of: Context | object | undefined): AnswerScope | undefined {
  return (of as Scoped | undefined)?.[SCOPE];
}

/** Throws AnswerDropped if the scope's answer may no longer go out. */
export function checkAnswerScope(scope: AnswerScope | undefined, now: number): void {
  if (!scope) return;
  if (scope.signal.aborted) throw new AnswerDropped('stopped');
  if (now >= scope.deadline) throw new AnswerDropped('stale');
}
