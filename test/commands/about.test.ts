import { describe, expect, it } from 'vitest';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import type { SyncStatus } from '../../src/feed/feedPoller.js';
import { testDeps } from '../fixtures/deps.js';

// The clock of testDeps: 2026-11-25 12:00 UTC.
const deps = await testDeps();
const minutesAgo = (n: number) => new Date(Date.UTC(2026, 10, 25, 12, 0) - n * 60_000);
const FEED_URL = 'https://feeds.internal.example:8443/ircc/ee_rounds_123_en.json?key=s3cret';

/** The /about fields, with the poller's status as given. */
async function about(lastError: Record<string, unknown> | null, lastSuccessAt: Date | null = minutesAgo(60)) {
  const status = (): SyncStatus => ({ lastSuccessAt, lastError: lastError as SyncStatus['lastError'], nextPollAt: null });
  const reply = await createAnswers({ ...deps, status }).line(parseCommandLine('/about', { requireSlash: true }));
  expect(reply.kind).toBe('answer');
  return { text: JSON.stringify(reply), error: reply.fields?.find((f) => f.name === 'Last sync error')?.value };
}

describe('/about and the last sync error', () => {
  it('names the kind of problem and since when, never the raw error with the feed URL', async () => {
    const raw = `could not fetch ${FEED_URL}: fetch failed (ECONNREFUSED) (3 attempts)`;
    const { text, error } = await about({ at: minutesAgo(8), since: minutesAgo(8), kind: 'fetch', message: raw });
    expect(error).toBe('the feed could not be reached (since Nov 25, 2026 11:52 UTC (8 minutes ago))');
    expect(text).not.toContain('feeds.internal.example');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('ECONNREFUSED');
  });

  it("uses the poller's kind and the start of the failures when the status carries them", async () => {
    const { text, error } = await about({
      at: minutesAgo(3),
      since: minutesAgo(120),
      kind: 'refused',
      message: `${FEED_URL} answered 503`,
    });
    expect(error).toBe("the feed's content was refused (since Nov 25, 2026 10:00 UTC (2 hours ago))");
    expect(text).not.toContain(FEED_URL);
    expect(
      (await about({ at: minutesAgo(3), since: minutesAgo(3), kind: 'internal', message: `disk full writing ${FEED_URL}` })).error,
    ).toMatch(/^an internal error \(/);
  });

  it('says when a sync went well after the error', async () => {
    const { error } = await about({ at: minutesAgo(90), since: minutesAgo(95), kind: 'fetch', message: 'x' }, minutesAgo(5));
    expect(error).toBe('the feed could not be reached (last failed Nov 25, 2026 10:30 UTC (1 hour ago); synced fine since)');
    expect((await about(null)).error).toBe('none');
  });
});
