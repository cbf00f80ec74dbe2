import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';

/**
 * An error as it may be logged. discord.js's REST errors carry the request URL, and interaction
 * and webhook URLs hold a token, so only their code, status and message are kept.
 */
export function safeError(error: unknown): unknown {
  if (error instanceof DiscordAPIError) {
    return { name: error.name, message: error.message, code: error.code, status: error.status, method: error.method };
  }
  if (error instanceof HTTPError) return { name: error.name, message: error.message, status: error.status, method: error.method };
  if (error instanceof RateLimitError) return { name: error.name, route: error.route, retryAfter: error.retryAfter, global: error.global };
  return error;
}
