import { readFile } from 'node:fs/promises';
import { safeUrl, safeUrls } from '../lib/safeUrl.js';
import { FeedError } from './feedError.js';
import { withoutCredentials } from './withoutCredentials.js';

export const IRCC_FEED_URL = 'https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json';
export const USER_AGENT = 'ee-draw-bot/0.1 (open-source Express Entry chat bot; reads the public rounds feed)';

/** Reads a feed body from an http(s) URL (a user and password in it sent as Basic auth) or a local file path. */
export async function readSource(from: string, timeoutMs = 30_000): Promise<string> {
  if (!/^https?:\/\//i.test(from)) return readFile(from, 'utf8');
  const request = withoutCredentials(from);
  const shown = safeUrl(from); // messages end up in CI logs
  let response: Response;
  try {
    response = await fetch(request.url, {
      headers: {
        'user-agent': USER_AGENT,
        accept: 'application/json',
        ...(request.authorization ? { authorization: request.authorization } : {}),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new FeedError(`could not fetch ${shown}: ${safeUrls((error as Error).message)}`);
  }
  if (!response.ok) throw new FeedError(`${shown} answered HTTP ${response.status}`);
  return response.text();
}
