import { GrammyError, HttpError } from 'grammy';

/** Anything shaped like a bot token, whoever's it is. */
const TOKEN_LIKE = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

/**
 * Removes the bot token from text bound for the logs. The Bot API puts the token in every URL, and
 * a failed request's error (node-fetch's) quotes that URL.
 */
export function redactToken(text: string, token?: string): string {
  const withoutOurs = token ? text.split(token).join('[token]') : text;
  return withoutOurs.replace(TOKEN_LIKE, '[token]');
}

export interface SafeError {
  type: string;
  message: string;
  /** The Bot API method that failed, and how. */
  method?: string;
  code?: number;
  retryAfter?: number;
  /** Why the network request failed (HttpError). */
  cause?: string;
  stack?: string;
}

/**
 * An error reduced to what is safe to log. Never the error itself: a GrammyError carries the
 * payload (message texts) and an HttpError the underlying error, whose message holds the URL with
 * the token; pino would serialise both.
 */
export function safeError(error: unknown, token?: string): SafeError {
  const clean = (text: string) => redactToken(text, token);
  if (error instanceof GrammyError) {
    return { type: 'GrammyError', message: clean(error.message), method: error.method, code: error.error_code, retryAfter: error.parameters.retry_after };
  }
  if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? clean(error.error.message) : undefined;
    return { type: 'HttpError', message: clean(error.message), cause };
  }
  if (error instanceof Error) {
    return { type: error.name, message: clean(error.message), stack: error.stack ? clean(error.stack) : undefined };
  }
  return { type: typeof error, message: clean(String(error)).slice(0, 200) };
}
