import { safeUrl, safeUrls } from '../lib/safeUrl.js';
import { sleep as abortableSleep } from '../lib/sleep.js';
import { USER_AGENT } from './readSource.js';
import { withoutCredentials } from './withoutCredentials.js';

/** What one conditional GET of the feed gave. */
export type FetchFeedResult = { status: 'unchanged' } | { status: 'changed'; body: string; etag?: string; lastModified?: string };

/**
 * The feed could not be downloaded (network, timeout, HTTP status); the message says why, naming
 * the feed by safeUrl (no key or password: it is logged).
 */
export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  constructor(
    message: string,
    /** Worth another attempt: a timeout, a network error or a 5xx. */
    readonly retryable: boolean,
    /** HTTP status, when the server answered. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

export interface FetchFeedOptions {
  url: string;
  /** Validators of the copy we hold: the server answers 304 when the feed has not changed. */
  etag?: string;
  lastModified?: string;
  /** Per attempt, headers and body together. Default 30 s. */
  timeoutMs?: number;
  /** Further attempts after the first one fails with a retryable error. Default 3. */
  retries?: number;
  /** Back-off before retry n (1-based) is drawn from [cap/2, cap], cap = min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A body larger than this is refused (IRCC's feed is under 1 MB). Default 16 MiB. */
  maxBytes?: number;
  userAgent?: string;
  /** Aborts the attempt in progress and any back-off (the poller's stop()). */
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); Math.random by default. */
  random?: () => number;
  /** Told about each failed attempt that will be retried (for debug logs). */
  onRetry?: (info: { attempt: number; delayMs: number; error: FeedFetchError }) => void;
}

const DEFAULTS = { timeoutMs: 30_000, retries: 3, baseDelayMs: 2_000, maxDelayMs: 30_000, maxBytes: 16 * 1024 * 1024 };

/** Jittered exponential back-off before retry `attempt` (1-based). */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const cap = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

function causeOf(error: unknown): string {
  const err = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause && !err.message?.includes(cause) ? `${err.message ?? String(error)} (${cause})` : (err.message ?? String(error));
}

/** Reads the body as UTF-8 (a BOM is dropped), refusing more than `maxBytes`; `url` as it may be shown. */
async function readBody(response: Response, url: string, maxBytes: number): Promise<string> {
  const tooLarge = () => new FeedFetchError(`${url} sent more than ${maxBytes} bytes; refused`, false, response.status);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

async function attempt(options: FetchFeedOptions, timeoutMs: number, maxBytes: number): Promise<FetchFeedResult> {
  const request = withoutCredentials(options.url);
  const url = safeUrl(options.url);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? USER_AGENT, accept: 'application/json' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  if (request.authorization) headers.authorization = request.authorization;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(request.url, { headers, signal: controller.signal, redirect: 'follow' });
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return { status: 'unchanged' };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw new FeedFetchError(`${url} answered ${status}`, response.status >= 500, response.status);
    }
    const body = await readBody(response, url, maxBytes);
    return {
      status: 'changed',
      body,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
    };
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    if (options.signal?.aborted) throw new FeedFetchError(`fetching ${url} was cancelled`, false);
    if (timedOut) throw new FeedFetchError(`${url} did not answer within ${timeoutMs} ms`, true);
    // The library's own words may quote the URL whole.
    throw new FeedFetchError(`could not fetch ${url}: ${safeUrls(causeOf(error))}`, true);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

/**
 * One conditional GET of the feed, with a per-attempt timeout and jittered exponential back-off
 * between attempts. Timeouts, network errors and 5xx are retried; a 4xx is not (asking again will
 * not help, and the next poll will). Throws FeedFetchError when every attempt failed.
 */
export async function fetchFeed(options: FetchFeedOptions): Promise<FetchFeedResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const retries = options.retries ?? DEFAULTS.retries;
  const base = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    if (options.signal?.aborted) throw new FeedFetchError(`fetching ${safeUrl(options.url)} was cancelled`, false);
    try {
      return await attempt(options, timeoutMs, maxBytes);
    } catch (error) {
      const failure = error as FeedFetchError;
      if (!failure.retryable || n > retries) {
        if (n > 1) failure.message += ` (${n} attempts)`;
        throw failure;
      }
      const delayMs = backoffDelay(n, base, max, random);
      options.onRetry?.({ attempt: n, delayMs, error: failure });
      await sleep(delayMs, options.signal);
    }
  }
}
