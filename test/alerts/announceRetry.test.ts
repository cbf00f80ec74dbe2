import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import type { Dataset, Draw } from '../../src/domain/drawSchema.js';
import { FeedPoller } from '../../src/feed/feedPoller.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import type { RawRound } from '../../src/feed/rawFeedSchema.js';
import { createLogger } from '../../src/lib/log.js';
import { rawRound } from '../fixtures/rawRound.js';
import { describeEachEngine, type TestEngine, type TestStorage } from '../storage/testEngines.js';
import { fakeTransport, tempDir } from './helpers.js';

/** Round `n` of a synthetic feed: round 421 on 2025-11-01, 422 on 2025-11-02, … */
function round(n: number): RawRound {
  const day = n - 420;
  return rawRound({
    drawNumber: String(n),
    drawDate: `2025-11-${String(day).padStart(2, '0')}`,
    drawDateTime: `November ${day}, 2025 at 11:53:39 UTC`,
    drawCutOff: 'October 2, 2025 at 22:19:41 UTC',
    drawDistributionAsOn: 'October 30, 2025',
  });
}

/** A feed body of rounds `from`..`to`, newest first as IRCC lists them. */
const feedOf = (from: number, to: number): string => {
  const rounds: RawRound[] = [];
  for (let n = to; n >= from; n--) rounds.push(round(n));
  return JSON.stringify({ classes: 'wb-tables', rounds });
};

/** What each engine throws when it cannot write: a full disk (SQLite), out of space (PostgreSQL's SQLSTATE 53100). */
const refusal = (engine: TestEngine): Error =>
  engine.name === 'sqlite'
    ? new Database.SqliteError('database or disk is full', 'SQLITE_FULL')
    : Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' });

describeEachEngine('announcing new rounds when the alerts store refused them', (engine) => {
  let temp: ReturnType<typeof tempDir>;
  let store: TestStorage;
  let alerts: Alerts;
  beforeEach(async () => {
    temp = tempDir();
    store = await engine.open();
  });
  afterEach(async () => {
    await alerts.close();
    await store.dispose();
    temp.remove();
  });

  it('tries again at the next poll: the chat gets its alert exactly once', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
    let held: Dataset = { source: 'seed', generatedAt: '2026-01-01T00:00:00Z', draws: parseFeed(feedOf(430, 433)).draws };
    alerts = createAlerts({ storage: store.storage, log, draws: () => held.draws });
    await alerts.catchUp(); // the first start: remembers the newest round held
    await store.storage.subscriptions.subscribe('telegram', '1', 'all');

    // The feed: round 434 is new; afterwards it answers 304 (nothing changed).
    const body = feedOf(430, 434);
    const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      const etag = new Headers(init?.headers).get('if-none-match');
      return etag === '"v1"' ? new Response(null, { status: 304 }) : new Response(body, { status: 200, headers: { etag: '"v1"' } });
    });
    // The outbox refuses the first enqueue, as a full disk would.
    const enqueue = vi.spyOn(alerts.outbox, 'enqueue').mockImplementationOnce(async () => {
      throw refusal(engine);
    });
    const announced: Draw[][] = [];
    const poller = new FeedPoller({
      url: 'https://example.test/ee_rounds_123_en.json',
      intervalMs: 300_000,
      dataFile: join(temp.dir, 'draws.json'),
      held: () => held,
      onDataset: (dataset) => {
        held = dataset;
      },
      log,
      onNewDraws: async (draws) => {
        announced.push(draws);
        await alerts.onNewDraws(draws);
      },
      retries: 0,
      now: () => new Date('2026-08-07T12:00:00Z'),
      fetch: fetch as typeof globalThis.fetch,
    });

    expect((await poller.pollOnce()).status).toBe('synced');
    expect(await alerts.outbox.pendingCount('telegram')).toBe(0); // refused
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['handling new rounds failed']);

    // The next poll brings nothing new, yet round 434 is announced now.
    expect((await poller.pollOnce()).status).toBe('unchanged');
    expect(announced.map((draws) => draws.map((d) => d.round))).toEqual([['434'], ['434']]);
    expect(await alerts.outbox.pendingCount('telegram')).toBe(1);
    expect(enqueue).toHaveBeenCalledTimes(2);

    // And only once: later polls hand over nothing more.
    expect((await poller.pollOnce()).status).toBe('unchanged');
    expect(announced).toHaveLength(2);

    const { transport, sends } = fakeTransport();
    alerts.startSender(transport);
    await vi.waitFor(async () => expect(await alerts.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 1 }), {
      timeout: 5_000,
      interval: 10,
    });
    expect(sends.map((s) => [s.chatId, s.title])).toEqual([['1', expect.stringContaining('#434')]]);
  });
});
