import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrawStore } from '../../src/app/drawStore.js';
import { DrawIndex } from '../../src/core/drawIndex.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { readDataset } from '../../src/feed/datasetFile.js';
import { FeedPoller, type PollOutcome } from '../../src/feed/feedPoller.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import type { SyncReport } from '../../src/feed/syncDataset.js';
import { createLogger } from '../../src/lib/log.js';
import { type FeedServer, feedHistory, startFeedServer } from '../fixtures/feedHistory.js';
import { HAS_SHARED_IRCC, readSnapshot, SKIP_REASON } from '../fixtures/sharedIrcc.js';

/**
 * Replays what IRCC really published, through the local feed server and the poller: the 80
 * observations of feed-history.tsv in order, and the 2024-04-06 snapshot followed by the
 * 2026-08-07 one (IRCC renamed past rounds in between).
 */

let feed: FeedServer;
beforeAll(async () => {
  feed = await startFeedServer();
});
afterAll(() => feed.close());

function quietLog() {
  const warnings: string[] = [];
  const log = createLogger('warn', { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
  return { log, warnings };
}

const storeOf = (draws: Draw[]) => new DrawStore(new DrawIndex({ source: 'seed', generatedAt: '2015-02-01T00:00:00Z', draws }));
const reportOf = (outcome: PollOutcome): SyncReport => {
  expect(outcome.status).toBe('synced');
  return (outcome as { report: SyncReport }).report;
};

describe.skipIf(!HAS_SHARED_IRCC)(`replaying IRCC's real feed${HAS_SHARED_IRCC ? '' : ` (${SKIP_REASON})`}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ee-replay-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves every version of feed-history.tsv in order: each round announced once, in order; ends with the 435 rounds', async () => {
    const history = feedHistory(readSnapshot('2026-08-07'));
    expect(history).toHaveLength(80);

    const final = parseFeed(readSnapshot('2026-08-07')).draws;
    // A DrawStore is never empty, so the bot starts holding only the oldest round (#1, 2015):
    // every other round the history shows must then come through onNewDraws exactly once.
    const store = storeOf(final.filter((d) => d.round === '1'));
    const events: Draw[][] = [];
    const { log, warnings } = quietLog();
    const dataFile = join(dir, 'history', 'draws.json');
    const poller = new FeedPoller({
      url: feed.url,
      intervalMs: 300_000,
      dataFile,
      held: store.current,
      onDataset: store.update,
      log,
      onNewDraws: (d) => void events.push(d),
      timeoutMs: 5_000,
    });

    let previous = new Set(['1']);
    for (const observation of history) {
      // The first observation was a single newline; every other one is the 2026 file as it stood
      // when it held N rounds: its oldest N.
      const { rounds } = observation;
      if (observation.count > 0) expect(rounds[0]!.drawNumber, observation.observedAt).toBe(observation.newest);
      feed.serve(observation.version);
      const before = events.length;
      const outcome = await poller.pollOnce();

      if (observation.count === 0) {
        expect(outcome.status, observation.observedAt).toBe('failed');
        expect(warnings).toEqual([expect.stringMatching(/^feed refused: the feed body is empty; the 1 round held is kept$/)]);
        expect(events).toHaveLength(0);
        expect(store.current().draws).toHaveLength(1);
        continue;
      }
      const report = reportOf(outcome);
      const fresh = rounds.map((r) => r.drawNumber).filter((n) => !previous.has(n));
      expect(report.updated, observation.observedAt).toEqual([]);
      expect(report.missing).toEqual([]);
      expect(
        events.slice(before).map((batch) => batch.map((d) => d.round)),
        observation.observedAt,
      ).toEqual([fresh.reverse()]);
      previous = new Set([...previous, ...fresh]);
      expect(store.current().draws).toHaveLength(previous.size);
      expect(store.current().newest.round).toBe(observation.newest);

      // Polled again before the next version: one 304, nothing parsed or announced.
      expect(await poller.pollOnce()).toEqual({ status: 'unchanged' });
      expect(feed.requests.at(-1)!.headers['if-none-match']).toBe(observation.version.etag);
    }

    const announced = events.flat().map((d) => d.round);
    const chronological = final.map((d) => d.round).reverse();
    expect(announced).toEqual(chronological.slice(1)); // all but the held #1, oldest first, each once
    expect(new Set(announced).size).toBe(announced.length);
    expect(announced).toHaveLength(434);
    // One batch per good version: 355 rounds at the first (all but #1), then what each version added.
    const growth = history.slice(2).map((o, i) => o.count - history[i + 1]!.count);
    expect(events.map((batch) => batch.length)).toEqual([355, ...growth]);
    expect(events).toHaveLength(79);
    // #357's typo'd draw time is the only warning, once, when #357 arrived.
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/round 357: draw time "July 12, 2025 at 16:27:45 UTC" is far from the draw date/);

    const dataset = await readDataset(dataFile);
    expect(dataset!.draws).toHaveLength(435);
    expect(dataset!.draws).toEqual(final);
    expect(store.current().draws).toEqual(final);
  }, 60_000); // ~4 s alone; generous for a busy CI machine

  it('syncs the 2024 snapshot, then the 2026 one: renamed and edited rounds updated, only new rounds announced', async () => {
    const y2024 = parseFeed(readSnapshot('2024-04-06')).draws;
    const y2026 = parseFeed(readSnapshot('2026-08-07')).draws;
    const old = new Map(y2024.map((d) => [d.round, d]));
    const renamed = y2026.filter((d) => old.has(d.round) && old.get(d.round)!.name !== d.name).map((d) => d.round);
    expect(renamed).toHaveLength(23); // "(2023-1)"/"(2024-1)" -> "(Version 1)"

    const store = storeOf(y2024);
    const events: Draw[][] = [];
    const { log } = quietLog();
    const dataFile = join(dir, 'renames', 'draws.json');
    const poller = new FeedPoller({
      url: feed.url,
      intervalMs: 300_000,
      dataFile,
      held: store.current,
      onDataset: store.update,
      log,
      onNewDraws: (d) => void events.push(d),
      timeoutMs: 5_000,
    });

    feed.serve({ etag: '"2024-04-06"', body: readSnapshot('2024-04-06') });
    expect(reportOf(await poller.pollOnce())).toMatchObject({ added: [], updated: [], missing: [] });
    expect(events).toEqual([]);

    feed.serve({ etag: '"2026-08-07"', body: readSnapshot('2026-08-07') });
    const report = reportOf(await poller.pollOnce());
    const updated = report.updated.map((d) => d.round);
    expect(updated).toEqual(expect.arrayContaining(renamed));
    // Besides the renames IRCC edited #262's tie-break and the pools of #223, #224 and #227.
    expect([...updated].sort()).toEqual([...renamed, '262', '223', '224', '227'].sort());
    expect(updated).toHaveLength(27);

    const announced = events.flat().map((d) => d.round);
    expect(events).toHaveLength(1);
    expect(announced).toEqual(
      y2026
        .filter((d) => !old.has(d.round))
        .map((d) => d.round)
        .reverse(),
    );
    expect(announced[0]).toBe('292');
    expect(announced.at(-1)).toBe('434');
    expect(announced).toHaveLength(143);
    for (const round of [...renamed, '262', '223', '224', '227']) expect(announced).not.toContain(round);

    const dataset = await readDataset(dataFile);
    expect(dataset!.draws).toEqual(y2026);
    expect(store.current().round('284')?.name).toBe('Healthcare occupations (Version 1)');
    expect(store.current().round('262')?.tieBreak).toBe('2023-07-04T19:36:18Z');
  });
});
