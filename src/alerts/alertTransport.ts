import type { Reply } from '../core/reply.js';
import type { AlertPlatform } from '../domain/subscription.js';
import type { RateLimiter } from '../lib/rateLimiter.js';

/** What became of one message, in the terms the sender acts on. */
export type DeliveryResult =
  /** `messageId`: the platform's id of the message sent (Telegram message_id, Discord message id), so that it can be edited. */
  | { status: 'sent'; messageId?: string }
  /**
   * Rate-limited (a 429): try again after `afterMs`. `scope` says what to hold back: only this chat
   * (a per-chat limit) or every chat (the platform's overall limit). Default 'global'.
   */
  | { status: 'retry'; afterMs: number; scope?: 'chat' | 'global'; reason?: string }
  /** The chat cannot be reached any more (bot blocked or kicked, channel deleted): unsubscribe it. */
  | { status: 'gone'; reason?: string }
  /**
   * The bot may not post in the chat for now (a Discord permission taken away), though the chat is
   * still there: this delivery is given up, the chat's subscription is kept but paused — no alerts
   * enqueued for it — until someone sends /subscribe there again. `reason` and `fix` are shown to the
   * chat's people by /subscriptions ("I lost permission to post in this channel", "Give me View
   * Channel, …"); `detail`, the platform's error, only goes to the log and the delivery's row.
   */
  | { status: 'paused'; reason: string; fix?: string; detail?: string }
  /** The chat has a new id (Telegram group → supergroup): move the subscription and send there. */
  | { status: 'migrated'; toChatId: string }
  /** Anything else. `permanent`: retrying cannot help (e.g. the platform refused the message itself). */
  | { status: 'failed'; error: string; permanent?: boolean };

/**
 * One platform's way of sending an alert, implemented in the platform's folder. `send` resolves
 * with a DeliveryResult and should not throw; if it does, the sender counts it as a transient
 * failure.
 */
export interface AlertTransport {
  platform: AlertPlatform;
  /**
   * The bot token's outgoing budget, shared with its answers (which go first), at the limits the
   * platform documents; unset: no pacing of our own.
   */
  limiter?: RateLimiter;
  /**
   * `threadId`: the forum topic to post in (Telegram's message_thread_id); absent, the chat itself.
   * `key`: the same for every try of one delivery, and unique to it: a platform that takes an
   * idempotency key (Discord's nonce) shows a resend after a crash only once.
   */
  send(chatId: string, reply: Reply, threadId?: string, key?: string): Promise<DeliveryResult>;
  /**
   * Replaces the text of an alert sent earlier (`messageId` from its 'sent' result) with `reply`:
   * a round IRCC corrected. Like `send`, it should not throw. Unset: the platform cannot edit.
   */
  edit?(chatId: string, messageId: string, reply: Reply): Promise<EditResult>;
}

/** What became of one edit of a sent alert. */
export type EditResult =
  /** Edited, or it already read so (Telegram's "message is not modified"). */
  | { status: 'edited' }
  /** The message, or its chat, is not there any more, or may not be edited: nothing to correct. */
  | { status: 'skipped'; reason: string }
  /** Rate-limited: try again after `afterMs`, holding back this chat or (default) every chat. */
  | { status: 'retry'; afterMs: number; scope?: 'chat' | 'global'; reason?: string }
  /** Anything else. `permanent`: trying again cannot help. */
  | { status: 'failed'; error: string; permanent?: boolean };

/**
 * What a failed edit means, read from what the same failure would mean for a send: the chat gone,
 * moved or closed to the bot leaves nothing to correct (the sender finds out at its next alert);
 * a rate limit or another failure is tried again as for a send.
 */
export function editResultOf(result: DeliveryResult): EditResult {
  switch (result.status) {
    case 'sent':
      return { status: 'edited' };
    case 'retry':
    case 'failed':
      return result;
    case 'gone':
      return { status: 'skipped', reason: result.reason ?? 'the chat is gone' };
    case 'paused':
      return { status: 'skipped', reason: result.detail ?? result.reason };
    case 'migrated':
      return { status: 'skipped', reason: 'the chat moved' };
  }
}
