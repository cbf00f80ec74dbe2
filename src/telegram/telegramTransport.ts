import { type Api, GrammyError, HttpError } from 'grammy';
import { type AlertTransport, type DeliveryResult, type EditResult, editResultOf } from '../alerts/alertTransport.js';
import type { Reply } from '../core/reply.js';
import { RateLimiter, type RateLimits } from '../lib/rateLimiter.js';
import { renderHtml } from './renderHtml.js';

/** Groups, supergroups and channels have negative ids; users positive ones. */
export const isTelegramGroup = (chatId: string): boolean => chatId.startsWith('-');

/**
 * Telegram's documented broadcast limits: about 30 messages a second overall, 20 a minute in a
 * group, and no more than one a second in a single chat. `scale` serves benchmarks against a fake
 * server with proportionally scaled limits.
 */
export function telegramLimits(scale = 1): RateLimits {
  return {
    perSecond: 30 * scale,
    perChatPerMinute: (chatId) => (isTelegramGroup(chatId) ? 20 : 60) * scale,
    perChatGapMs: 1000 / scale,
  };
}

/** Bad Requests that mean the chat no longer exists for this bot: stop writing to it. */
const CHAT_GONE =
  /chat not found|peer_id_invalid|user not found|bot was kicked|group chat was deactivated|channel_private|user is deactivated/i;

/** An alert as Telegram HTML. An alert is a few hundred characters, so always one message. */
export function alertHtml(reply: Reply): string {
  return renderHtml(reply)[0]!;
}

/**
 * Sends alerts with the Bot API, paced at Telegram's limits. Pass a plain `Api`
 * (`new Api(token, { apiRoot })`) without the bot's transformers: the sender retries itself, and
 * a transformer that swallows 429s would hide them from it. It paces by `limiter`, the token's
 * outgoing budget: pass the bot's, so that answers and alerts keep to the limits together.
 * `render` turns a Reply into Telegram HTML and must fit one message; one alert goes to thousands
 * of chats, so each Reply is rendered once.
 */
export function telegramTransport(
  api: Api,
  render: (reply: Reply) => string = alertHtml,
  { timeoutMs = 30_000, limiter = new RateLimiter(telegramLimits()) } = {},
): AlertTransport {
  const rendered = new WeakMap<Reply, string>();
  const html = (reply: Reply): string => {
    let text = rendered.get(reply);
    if (text === undefined) {
      text = render(reply);
      rendered.set(reply, text);
    }
    return text;
  };
  return {
    platform: 'telegram',
    limiter,
    async send(chatId, reply, threadId) {
      const post = (thread: number | undefined) =>
        // A bounded wait (grammY's own is minutes): a hung request would hold its chat and an
        // in-flight slot. A timed-out message may still arrive; it is retried (at-least-once).
        api.sendMessage(
          telegramChatId(chatId),
          html(reply),
          {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
            ...(thread === undefined ? {} : { message_thread_id: thread }),
          },
          // grammY types the signal as its Node polyfill's; it only listens for 'abort', which
          // the built-in signal provides.
          AbortSignal.timeout(timeoutMs) as unknown as Parameters<Api['sendMessage']>[3],
        );
      const thread = threadId !== undefined && /^\d{1,15}$/.test(threadId) ? Number(threadId) : undefined;
      try {
        let message: Awaited<ReturnType<typeof post>>;
        try {
          message = await post(thread);
        } catch (error) {
          // The topic was deleted (or the forum turned off): the chat still wants its alerts, so
          // they go to the chat itself (its General topic) rather than nowhere.
          if (thread === undefined || !isThreadGone(error)) throw error;
          message = await post(undefined);
        }
        return { status: 'sent', messageId: String(message.message_id) };
      } catch (error) {
        return telegramFailure(error, chatId);
      }
    },
    async edit(chatId, messageId, reply) {
      if (!/^\d{1,15}$/.test(messageId)) return { status: 'skipped', reason: 'not a Telegram message id' };
      try {
        // Alerts are text messages (no photo), so editMessageText; the same HTML as a send.
        await api.editMessageText(
          telegramChatId(chatId),
          Number(messageId),
          html(reply),
          { parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
          AbortSignal.timeout(timeoutMs) as unknown as Parameters<Api['editMessageText']>[4],
        );
        return { status: 'edited' };
      } catch (error) {
        return telegramEditFailure(error, chatId);
      }
    },
  };
}

/** 400s of an edit that mean there is nothing to edit (any more) or nothing to change. */
const NOT_MODIFIED = /message is not modified/i;
const MESSAGE_GONE = /message to edit not found|message_id_invalid|message can't be edited|message can't be found/i;

/** What a failed editMessageText means for the correction. */
export function telegramEditFailure(error: unknown, chatId: string): EditResult {
  if (error instanceof GrammyError && error.error_code === 400) {
    // It already reads so: an edit recorded too late (killed in flight) or a correction undone.
    if (NOT_MODIFIED.test(error.description)) return { status: 'edited' };
    if (MESSAGE_GONE.test(error.description)) return { status: 'skipped', reason: error.description };
  }
  return editResultOf(telegramFailure(error, chatId));
}

/** A 400 that means the forum topic is not there any more. */
function isThreadGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message thread not found|topic_deleted|topic_closed/i.test(error.description)
  );
}

/** Numeric ids go as numbers (they fit: Telegram keeps them within 52 bits); "@channel" as is. */
function telegramChatId(chatId: string): number | string {
  return /^-?\d{1,16}$/.test(chatId) ? Number(chatId) : chatId;
}

/** What a failed sendMessage means for the delivery. */
export function telegramFailure(error: unknown, chatId: string): DeliveryResult {
  if (error instanceof GrammyError) {
    const { error_code: code, description, parameters } = error;
    if (code === 429) {
      // A group has its own 20/min limit; a 429 in a private chat can only be the global one.
      const retryAfter = parameters.retry_after ?? 1;
      return { status: 'retry', afterMs: retryAfter * 1000, scope: isTelegramGroup(chatId) ? 'chat' : 'global', reason: description };
    }
    if (code === 400 && parameters.migrate_to_chat_id !== undefined) {
      return { status: 'migrated', toChatId: String(parameters.migrate_to_chat_id) };
    }
    if (code === 403 || (code === 400 && CHAT_GONE.test(description))) return { status: 'gone', reason: description };
    if (code === 401 || code === 404) {
      // A revoked token or a wrong API root: every send would fail, so hold everything back
      // (deliveries stay pending) instead of burning through their retries.
      return { status: 'retry', afterMs: 60_000, scope: 'global', reason: `${code} ${description}` };
    }
    // Any other 400 refuses the message itself (markup, length): the same request fails again.
    return { status: 'failed', error: `${code} ${description}`, permanent: code === 400 };
  }
  if (error instanceof HttpError) return { status: 'failed', error: error.message };
  return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
}
