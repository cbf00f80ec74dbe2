import type { Transformer } from 'grammy';
import type { RateLimiter } from '../lib/rateLimiter.js';
import { isTelegramGroup } from './telegramTransport.js';

/** Bot API methods that post or change a message in a chat: what Telegram's limits count. */
const COUNTED = /^(send|copy|forward|edit)/;

/**
 * Makes the bot's answers wait for their turn in the token's outgoing budget, the one its alerts
 * use too, as answers (before any alert). Installed innermost, under auto-retry, so that every
 * attempt is counted; a 429 pauses the budget for everyone (a group's: that group) for as long as
 * Telegram asks.
 */
export function paceRequests(limiter: RateLimiter, now: () => number = Date.now): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (chatId === undefined || !COUNTED.test(method) || method === 'sendChatAction') return prev(method, payload, signal);
    const chat = String(chatId);
    // grammY types the signal after its polyfill; at run time it is the built-in one.
    await limiter.acquire(chat, signal as unknown as AbortSignal | undefined);
    const response = await prev(method, payload, signal);
    if (!response.ok && response.error_code === 429) {
      const afterMs = (response.parameters?.retry_after ?? 1) * 1000;
      limiter.pause(now() + afterMs, isTelegramGroup(chat) ? chat : undefined);
    }
    return response;
  };
}
