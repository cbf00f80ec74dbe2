import type { Transformer } from 'grammy';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { AnswerDropped, type AnswerScope, answerScope, checkAnswerScope } from './answerScope.js';
import { isTelegramGroup } from './telegramTransport.js';

/** Bot API methods that post or change a message in a chat: what Telegram's limits count. */
const COUNTED = /^(send|copy|forward|edit)/;

/** setTimeout's longest delay; a deadline further off (a clock far behind Telegram's) waits no timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Makes the bot's answers wait for their turn in the token's outgoing budget, the one its alerts
 * use too, as answers (before any alert). Installed under auto-retry, so that every attempt is
 * counted; a 429 pauses the budget for everyone (a group's: that group) for as long as Telegram
 * asks. A call made while handling an update is dropped (AnswerDropped) rather than sent once its
 * answer scope's deadline has passed, whether before its turn or while waiting for it, or once
 * the bot has given the update up.
 */
export function paceRequests(limiter: RateLimiter, now: () => number = Date.now): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (chatId === undefined || !COUNTED.test(method) || method === 'sendChatAction') return prev(method, payload, signal);
    const chat = String(chatId);
    const scope = answerScope(payload);
    await acquire(limiter, chat, scope, signal as unknown as AbortSignal | undefined, now);
    // A turn that came just past the deadline is not taken either: never late.
    checkAnswerScope(scope, now());
    const response = await prev(method, payload, signal);
    if (!response.ok && response.error_code === 429) {
      const afterMs = (response.parameters?.retry_after ?? 1) * 1000;
      limiter.pause(now() + afterMs, isTelegramGroup(chat) ? chat : undefined);
    }
    return response;
  };
}

/** Waits for the chat's turn; in an answer scope, gives up (AnswerDropped) at its deadline or when it is aborted. */
async function acquire(
  limiter: RateLimiter,
  chat: string,
  scope: AnswerScope | undefined,
  signal: AbortSignal | undefined,
  now: () => number,
) {
  if (!scope) return limiter.acquire(chat, signal);
  checkAnswerScope(scope, now());
  const wait = new AbortController();
  const late = scope.deadline - now();
  const timer = late < MAX_TIMER_MS ? setTimeout(() => wait.abort(new AnswerDropped('stale')), late) : undefined;
  // The waiting answers keep nothing alive: the runner's poll or the webhook's request does.
  timer?.unref();
  const stopped = () => wait.abort(new AnswerDropped('stopped'));
  scope.signal.addEventListener('abort', stopped, { once: true });
  try {
    await limiter.acquire(chat, wait.signal);
  } finally {
    clearTimeout(timer);
    scope.signal.removeEventListener('abort', stopped);
  }
}
