import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type REST,
  RESTJSONErrorCodes,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord.js';
import type { AlertTransport, DeliveryResult } from '../alerts/alertTransport.js';
import type { Reply } from '../core/reply.js';
import { renderEmbed } from './renderEmbed.js';

/** Errors that mean the channel is out of the bot's reach: deleted, or the bot removed or muted there. */
const CHANNEL_GONE: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
]);

/**
 * Sends alerts as channel messages (POST /channels/{id}/messages) through discord.js' REST client
 * — the bot's own `client.rest` — which keeps to Discord's rate limits by itself: it reads the
 * per-route buckets from the response headers, queues per channel, holds to the global 50
 * requests a second, and waits out a 429's retry_after before trying again. So the sender needs
 * no pacing of its own for Discord. The embed is the one every command answer uses, rendered once
 * per alert; nobody is pinged, whatever the feed says.
 */
export function discordTransport(rest: REST): AlertTransport {
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
    async send(channelId, reply) {
      try {
        await rest.post(Routes.channelMessages(channelId), { body: body(reply) });
        return { status: 'sent' };
      } catch (error) {
        return discordFailure(error);
      }
    },
  };
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
    // 403: the bot was removed from the server, lost access to the channel or may not post there.
    // 404 with a Discord code: the channel (or its server) no longer exists.
    if (error.status === 403 || CHANNEL_GONE.has(code) || (error.status === 404 && code !== 0)) return { status: 'gone', reason };
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
