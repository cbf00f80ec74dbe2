import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type REST,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord.js';
import { type AlertTransport, type DeliveryResult, type EditResult, editResultOf } from '../alerts/alertTransport.js';
import type { Reply } from '../core/reply.js';
import { RateLimiter, type RateLimits } from '../lib/rateLimiter.js';
import { renderEmbed } from './renderEmbed.js';

/**
 * Errors that mean the channel is out of the bot's reach for good: deleted, its server left, or a
 * user's DMs closed to the bot. The subscription is removed.
 */
const CHANNEL_GONE: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
]);

/** What /subscriptions tells a channel whose alerts are paused for a permission (see discordChat's posting refusal). */
export const LOST_PERMISSION = {
  reason: 'I lost permission to post in this channel',
  fix: 'Give me View Channel, Send Messages and Embed Links here (Edit Channel → Permissions)',
} as const;

/**
 * The bot's outgoing budget on Discord. discord.js keeps Discord's limits itself (per-route buckets
 * from the response headers, a 429's retry_after, the global 50 requests a second) but in one
 * queue: a broadcast at its full pace would hold an answer's edit behind the alerts until the
 * next second. So alerts are paced below the global limit in a budget the answers' edits and
 * follow-ups share and go first in, and discord.js' own global queue never fills. (The first
 * answer to an interaction is exempt from the global limit, at Discord and in discord.js.)
 */
export function discordLimits(): RateLimits {
  return { perSecond: 45 };
}

/** Discord takes a nonce of at most 25 characters: the key's end, where the row id is. */
export function nonceOf(key: string): string {
  return key.slice(-25);
}

/**
 * Sends alerts as channel messages (POST /channels/{id}/messages) through discord.js' REST client
 * — the bot's own `client.rest` — which keeps the per-channel limits and waits out a 429's
 * retry_after; paced by `limiter`, the budget shared with the answers (see discordLimits). The embed
 * is the one every command answer uses, rendered once per alert; nobody is pinged, whatever the
 * feed says.
 */
export function discordTransport(rest: REST, limiter: RateLimiter = new RateLimiter(discordLimits())): AlertTransport {
  const rendered = new WeakMap<Reply, RESTPostAPIChannelMessageJSONBody>();
  const body = (reply: Reply): RESTPostAPIChannelMessageJSONBody => {
    let message = rendered.get(reply);
    if (!message) {
      // Ephemeral flags mean nothing outside an interaction; an alert is an ordinary message.
      message = { embeds: renderEmbed(reply).embeds, allowed_mentions: { parse: [] } };
      rendered.set(reply, message);
    }
    return message;
  };
  return {
    platform: 'discord',
    limiter,
    async send(channelId, reply, _threadId, key) {
      try {
        // The delivery's key as the nonce, enforced: Discord answers a second POST with the same nonce
        // (a resend after a crash, within its few minutes) with the message it already created.
        const message = key === undefined ? body(reply) : { ...body(reply), nonce: nonceOf(key), enforce_nonce: true };
        const created = (await rest.post(Routes.channelMessages(channelId), { body: message })) as { id?: unknown } | undefined;
        return typeof created?.id === 'string' ? { status: 'sent', messageId: created.id } : { status: 'sent' };
      } catch (error) {
        return discordFailure(error);
      }
    },
    async edit(channelId, messageId, reply) {
      try {
        // PATCH /channels/{id}/messages/{message.id}: the same embed, the note in its text.
        await rest.patch(Routes.channelMessage(channelId, messageId), { body: body(reply) });
        return { status: 'edited' };
      } catch (error) {
        return discordEditFailure(error);
      }
    },
  };
}

/** What a failed message edit means for the correction. */
export function discordEditFailure(error: unknown): EditResult {
  if (error instanceof DiscordAPIError && Number(error.code) === RESTJSONErrorCodes.UnknownMessage) {
    return { status: 'skipped', reason: `${error.status} ${error.code}: ${error.message}` };
  }
  return editResultOf(discordFailure(error));
}

/** What a failed channel message means for the delivery. */
export function discordFailure(error: unknown): DeliveryResult {
  // Only when the REST client is told to reject rather than wait (rejectOnRateLimit).
  if (error instanceof RateLimitError) {
    return { status: 'retry', afterMs: Math.max(error.retryAfter, 0), scope: error.global ? 'global' : 'chat', reason: 'rate limited' };
  }
  if (error instanceof DiscordAPIError) {
    const code = Number(error.code);
    const reason = `${error.status} ${code}: ${error.message}`;
    if (error.status === 429) {
      const raw = error.rawError as { retry_after?: number; global?: boolean };
      return { status: 'retry', afterMs: Math.ceil((raw.retry_after ?? 1) * 1000), scope: raw.global ? 'global' : 'chat', reason };
    }
    // Unknown Channel / Unknown Guild, DMs closed, or a 404 with a Discord code: the channel (or its
    // server) no longer exists for the bot.
    if (CHANNEL_GONE.has(code) || (error.status === 404 && code !== 0)) return { status: 'gone', reason };
    // Any other 403 (Missing Access, Missing Permissions, or none said): the channel is there but the
    // bot may not see or post in it — often a passing permission change. Paused, not removed.
    if (error.status === 403) return { status: 'paused', ...LOST_PERMISSION, detail: reason };
    if (error.status === 401 || error.status === 404) {
      // A revoked token, or an API URL that is not Discord's (a 404 without a code): every send
      // would fail alike, so hold everything back rather than burn through the retries.
      return { status: 'retry', afterMs: 60_000, scope: 'global', reason };
    }
    // Any other 4xx refuses the message itself: sending it again cannot help.
    return { status: 'failed', error: reason, permanent: error.status >= 400 && error.status < 500 };
  }
  // A 5xx after the REST client's own retries, a timeout, the network.
  if (error instanceof HTTPError) return { status: 'failed', error: `${error.status} ${error.message}` };
  return { status: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
