/**
 * Secrets that may sit in an error's text: Telegram bot tokens (`123456:ABC…`, in every Bot API
 * URL), Discord bot tokens (three dot-separated base64 parts) and the interaction and webhook
 * tokens in Discord's callback URLs.
 */
const SECRETS = [
  /\d{5,}:[A-Za-z0-9_-]{20,}/g,
  /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}/g,
  /(?<=\/(?:interactions|webhooks)\/\d+\/)[A-Za-z0-9_.-]{20,}/g,
];

/** Text bound for the logs without `token` or anything shaped like a token, whoever's it is. */
export function redact(text: string, token?: string): string {
  let clean = token ? text.split(token).join('[token]') : text;
  for (const pattern of SECRETS) clean = clean.replace(pattern, '[token]');
  return clean;
}

/** What of an error may be logged: its kind, its message and the platform's codes, all redacted. */
export interface SafeError {
  type: string;
  message: string;
  /** The API method or HTTP verb that failed. */
  method?: string;
  /** The platform's error code (Telegram's error_code, Discord's JSON code). */
  code?: number | string;
  status?: number;
  /** Seconds (Telegram) or ms (Discord) the platform asked to wait. */
  retryAfter?: number;
  global?: boolean;
  /** A rate-limit bucket's route pattern (Discord's, never a URL). */
  route?: string;
  /** The underlying error's message (a failed network request). */
  cause?: string;
  stack?: string;
}

type Loose = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const number = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * An error reduced to what is safe to log, whatever library threw it. Never the error itself:
 * grammY's errors carry the request payload (message texts) and the URL with the bot token,
 * discord.js' the request body and URLs with interaction tokens, and pino would serialise them.
 * Fields are picked by name, so no platform library is imported here.
 */
export function safeError(error: unknown, token?: string): SafeError {
  const clean = (value: string) => redact(value, token);
  if (!(error instanceof Error)) return { type: typeof error, message: clean(String(error)).slice(0, 200) };
  const e = error as unknown as Loose;
  const parameters = (e.parameters ?? {}) as Loose;
  const cause = e.error instanceof Error ? e.error : e.cause instanceof Error ? e.cause : undefined;
  const safe: SafeError = { type: error.name, message: clean(error.message) };
  const method = text(e.method);
  const code = number(e.error_code) ?? number(e.code) ?? text(e.code);
  const status = number(e.status);
  const retryAfter = number(parameters.retry_after) ?? number(e.retryAfter);
  if (method) safe.method = method;
  if (code !== undefined) safe.code = code;
  if (status !== undefined) safe.status = status;
  if (retryAfter !== undefined) safe.retryAfter = retryAfter;
  if (typeof e.global === 'boolean') safe.global = e.global;
  if (text(e.route)) safe.route = clean(text(e.route)!);
  if (cause) safe.cause = clean(cause.message);
  if (error.stack) safe.stack = clean(error.stack);
  return safe;
}
