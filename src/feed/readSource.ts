import { readFile } from 'node:fs/promises';
import { FeedError } from './feedError.js';

export const IRCC_FEED_URL = 'https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json';
export const USER_AGENT = 'ee-draw-bot/0.1 (open-source Express Entry chat bot; reads the public rounds feed)';

/** Reads a feed body from an http(s) URL or a local file path. */
export async function readSource(from: string, timeoutMs = 30_000): Promise<string> {
  if (!/^https?:\/\//i.test(from)) return readFile(from, 'utf8');
  let response: Response;
  try {
    response = await fetch(from, {
      headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new FeedError(`could not fetch ${from}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new FeedError(`${from} answered HTTP ${response.status}`);
  return response.text();
}
