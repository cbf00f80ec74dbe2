import type { Transformer } from 'grammy';
import type { Logger } from '../lib/log.js';
import { redact, safeError } from '../lib/safeError.js';

/**
 * An API transformer that logs every failed attempt of a Bot API call — installed innermost, it
 * sees each retry, so rate limits and outages show in the logs even when a retry then succeeds.
 * It logs the method and Telegram's reason, never the payload (message texts) or the token.
 */
export function watchApi(log: Logger, token: string): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      if (!response.ok) {
        log.warn(
          {
            method,
            code: response.error_code,
            description: redact(response.description, token),
            retryAfter: response.parameters?.retry_after,
          },
          'Telegram refused an API call',
        );
      }
      return response;
    } catch (error) {
      // An aborted call is a shutdown (the runner cancels its pending getUpdates), not a failure.
      if (!signal?.aborted) log.warn({ method, err: safeError(error, token) }, 'Telegram API call failed');
      throw error;
    }
  };
}
