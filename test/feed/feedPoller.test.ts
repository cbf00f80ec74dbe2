import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { DrawStore } from '../../src/app/drawStore.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DrawIndex } from '../../src/core/drawIndex.js';
import type { DatasetStore } from '../../src/domain/datasetStore.js';
import type { Dataset, Draw } from '../../src/domain/drawSchema.js';
import { readDataset, writeDataset } from '../../src/feed/datasetFile.js';
import { FeedPoller, type FeedPollerOptions, type PollerTimers } from '../../src/feed/feedPoller.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import type { RawRound } from '../../src/feed/rawFeedSchema.js';
import { IRCC_FEED_URL } from '../../src/feed/readSource.js';
import { createLogger } from '../../src/lib/log.js';
import { rawRound } from '../fixtures/rawRound.js';
import { HAS_SHARED_IRCC, readSnapshot, SKIP_REASON } from '../fixtures/sharedIrcc.js';

// parseFeed, spied on (same implementation) so a test can tell that a 304 costs no parse.
vi.mock('../../src/feed/parseFeed.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/feed/parseFeed.js')>();
  return { ...mod, parseFeed: vi.fn(mod.parseFeed) };
});
const parseSpy = vi.mocked(parseFeed);

// ---- a local feed server on 127.0.0.1 --------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let feedUrl = '';
let handler: Handler = (_req, res) => res.writeHead(404).end();
let requests: IncomingMessage[] = [];

function serve(body: string, options: { status?: number; headers?: Record<string, string> } = {}): void {
  handler = (_req, res) => res.writeHead(options.status ?? 200, { 'content-type': 'application/json', ...options.headers }).end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ee_rounds_123_en.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// ---- helpers ---------------------------------------------------------------------------------

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function captureLog() {
  const lines: LogLine[] = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40), errors: () => lines.filter((l) => l.level >= 50) };
}

/** Round `n` of a synthetic feed: round 421 on 2025-11-01, 422 on 2025-11-02, … */
function round(n: number, overrides: Partial<Record<string, string>> = {}): RawRound {
  const day = n - 420;
  return rawRound({
    drawNumber: String(n),
    drawDate: `2025-11-${String(day).padStart(2, '0')}`,
    drawDateTime: `November ${day}, 2025 at 11:53:39 UTC`,
    drawCutOff: 'October 2, 2025 at 22:19:41 UTC',
    drawDistributionAsOn: 'October 30, 2025',
    ...overrides,
  });
}

interface RawFeed {
  classes?: string;
  rounds: RawRound[];
  [key: string]: unknown;
}

/** A feed body of rounds `from`..`to`, newest first as IRCC lists them. */
function feedOf(from: number, to: number): RawFeed {
  const rounds: RawRound[] = [];
  for (let n = to; n >= from; n--) rounds.push(round(n));
  return { classes: 'wb-tables', rounds };
}

function storeOf(draws: Draw[]): DrawStore {
  return new DrawStore(new DrawIndex({ source: 'seed', generatedAt: '2026-01-01T00:00:00Z', draws }));
}

const rounds = (draws: readonly Draw[]) => draws.map((d) => d.round);
const noSleep = async () => {};
const NOW = new Date('2026-08-07T12:00:00Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ee-poller-'));
  requests = [];
  parseSpy.mockClear();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function poller(store: DrawStore, log: FeedPollerOptions['log'], events: Draw[][], extra: Partial<FeedPollerOptions> = {}): FeedPoller {
  return new FeedPoller({
    url: feedUrl,
    intervalMs: 300_000,
    dataFile: join(dir, 'draws.json'),
    held: store.current,
    onDataset: store.update,
    log,
    onNewDraws: (draws) => void events.push(draws),
    timeoutMs: 200,
    retries: 1,
    sleep: noSleep,
    now: () => NOW,
    ...extra,
  });
}

// ---- the poller's mechanics, on small synthetic feeds ----------------------------------------

describe('FeedPoller', () => {
  it('seeds DATA_DIR/draws.json from the loaded dataset, keeps what the feed omits, emits only new rounds', async () => {
    const held = parseFeed(JSON.stringify({ rounds: [...feedOf(430, 432).rounds, round(421)] })).draws;
    const store = storeOf(held);
    const { log, warnings } = captureLog();
    const events: Draw[][] = [];
    serve(JSON.stringify(feedOf(430, 434)));
    const outcome = await poller(store, log, events).pollOnce();
    expect(outcome.status).toBe('synced');
    expect(events.map(rounds)).toEqual([['433', '434']]); // oldest first
    const file = await readDataset(join(dir, 'draws.json'));
    expect(rounds(file!.draws)).toEqual(['434', '433', '432', '431', '430', '421']);
    expect(rounds(store.current().draws)).toEqual(rounds(file!.draws));
    expect(warnings().map((w) => w.msg)).toEqual([
      'feed accepted with a warning: the feed no longer lists 1 round we hold (421); it is kept: the feed lists 5 rounds, the dataset holds 6 rounds',
    ]);
  });

  it('keeps its dataset in a store when given one (the database, on PostgreSQL), not in a file', async () => {
    const held = parseFeed(JSON.stringify(feedOf(430, 432))).draws;
    const store = storeOf(held);
    const { log } = captureLog();
    const events: Draw[][] = [];
    let kept: Dataset | undefined;
    const dataset: DatasetStore = {
      name: 'the database',
      read: async () => kept,
      write: async (written) => {
        kept = written;
      },
    };
    serve(JSON.stringify(feedOf(430, 433)));
    const outcome = await poller(store, log, events, { dataFile: undefined, dataset }).pollOnce();
    expect(outcome.status).toBe('synced');
    expect(events.map(rounds)).toEqual([['433']]);
    expect(rounds(kept!.draws)).toEqual(['433', '432', '431', '430']);
    expect(await readDataset(join(dir, 'draws.json'))).toBeUndefined();
  });

  it('merges into a DATA_DIR file older than the committed seed without losing or re-announcing rounds', async () => {
    const seed = parseFeed(JSON.stringify(feedOf(430, 433))).draws;
    // The file from an earlier run holds 430-431 and a round (425) neither the seed nor the feed lists.
    const older = parseFeed(JSON.stringify({ rounds: [round(425), ...feedOf(430, 431).rounds] })).draws;
    await writeDataset(join(dir, 'draws.json'), { source: 'older sync', generatedAt: '2025-12-01T00:00:00Z', draws: older });
    const events: Draw[][] = [];
    const store = storeOf(seed);
    serve(JSON.stringify(feedOf(430, 434)));
    await poller(store, captureLog().log, events).pollOnce();
    expect(events.map(rounds)).toEqual([['434']]);
    expect(rounds((await readDataset(join(dir, 'draws.json')))!.draws)).toEqual(['434', '433', '432', '431', '430', '425']);
    expect(rounds(store.current().draws)).toEqual(['434', '433', '432', '431', '430', '425']);
  });

  it('asks conditionally: a 304 costs no parse and no write; validators advance only with an accepted body', async () => {
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const { log, lines } = captureLog();
    const events: Draw[][] = [];
    const p = poller(store, log, events);
    let version = { etag: '"v1"', lastModified: 'Mon, 03 Aug 2026 10:00:00 GMT', body: JSON.stringify(feedOf(430, 434)) };
    handler = (req, res) => {
      if (req.headers['if-none-match'] === version.etag) res.writeHead(304).end();
      else res.writeHead(200, { etag: version.etag, 'last-modified': version.lastModified }).end(version.body);
    };
    expect((await p.pollOnce()).status).toBe('synced');
    expect(events.map(rounds)).toEqual([['434']]);
    const parses = parseSpy.mock.calls.length;
    const written = await stat(join(dir, 'draws.json'));
    const index = store.current();

    expect(await p.pollOnce()).toEqual({ status: 'unchanged' });
    expect(requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(requests[1]!.headers['if-modified-since']).toBe('Mon, 03 Aug 2026 10:00:00 GMT');
    expect(parseSpy.mock.calls.length).toBe(parses);
    expect((await stat(join(dir, 'draws.json'))).mtimeMs).toBe(written.mtimeMs);
    expect(store.current()).toBe(index);
    expect(p.status().lastSuccessAt).toEqual(NOW);

    // A refused body does not advance the validators: it is downloaded again next time.
    version = { etag: '"v2"', lastModified: 'Tue, 04 Aug 2026 10:00:00 GMT', body: '\n' };
    expect((await p.pollOnce()).status).toBe('failed');
    expect((await p.pollOnce()).status).toBe('failed');
    expect(requests[3]!.headers['if-none-match']).toBe('"v1"');

    version = { etag: '"v3"', lastModified: 'Wed, 05 Aug 2026 10:00:00 GMT', body: JSON.stringify(feedOf(430, 435)) };
    expect((await p.pollOnce()).status).toBe('synced');
    expect(await p.pollOnce()).toEqual({ status: 'unchanged' });
    expect(requests[5]!.headers['if-none-match']).toBe('"v3"');
    expect(events.map(rounds)).toEqual([['434'], ['435']]);
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(1); // one for the refused body, however often it came
  });

  it('treats a re-sent identical body (a server without validators) as unchanged, without parsing it', async () => {
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const p = poller(store, captureLog().log, []);
    serve(JSON.stringify(feedOf(430, 434)));
    expect((await p.pollOnce()).status).toBe('synced');
    const parses = parseSpy.mock.calls.length;
    expect(await p.pollOnce()).toEqual({ status: 'unchanged' });
    expect(parseSpy.mock.calls.length).toBe(parses);
  });

  it('shares a poll in progress instead of starting a second one', async () => {
    const p = poller(storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws), captureLog().log, []);
    serve(JSON.stringify(feedOf(430, 434)));
    const [a, b] = await Promise.all([p.pollOnce(), p.pollOnce()]);
    expect(a).toBe(b);
    expect(requests).toHaveLength(1);
  });

  it('survives a failing onNewDraws, an unusable DATA_DIR and a fetch that throws: logged, never thrown', async () => {
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const { log, errors } = captureLog();
    serve(JSON.stringify(feedOf(430, 434)));
    const throwing = poller(store, log, [], {
      onNewDraws: () => {
        throw new Error('outbox down');
      },
    });
    expect((await throwing.pollOnce()).status).toBe('synced');
    expect(errors().map((e) => e.msg)).toEqual(['handling new rounds failed']);

    const aFile = join(dir, 'not-a-folder');
    await writeFile(aFile, 'x');
    const index = store.current();
    const badDir = poller(store, log, [], { dataFile: join(aFile, 'draws.json') });
    serve(JSON.stringify(feedOf(430, 435)));
    expect((await badDir.pollOnce()).status).toBe('failed');
    expect(store.current()).toBe(index);
    expect(errors()).toHaveLength(2);

    const weird = poller(store, log, [], {
      fetch: () => {
        throw 'not even an Error';
      },
    });
    expect(await weird.pollOnce()).toMatchObject({ status: 'failed', error: expect.stringContaining('not even an Error') });
  });

  it('refuses round 99999 dated 2099-12-31: file byte for byte, no dataset swap, no alert, one warning per distinct body', async () => {
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const { log, warnings } = captureLog();
    const events: Draw[][] = [];
    const datasets: unknown[] = [];
    const p = poller(store, log, events, {
      onDataset: (dataset) => {
        datasets.push(dataset);
        store.update(dataset);
      },
    });
    serve(JSON.stringify(feedOf(430, 434)));
    expect((await p.pollOnce()).status).toBe('synced');
    const file = join(dir, 'draws.json');
    const before = readFileSync(file, 'utf8');
    const index = store.current();
    const swaps = datasets.length;

    const poisoned = feedOf(430, 434);
    poisoned.rounds.unshift(
      round(99999, {
        drawDate: '2099-12-31',
        drawDateTime: 'December 31, 2099 at 11:53:39 UTC',
        drawDistributionAsOn: 'December 30, 2099',
      }),
    );
    serve(JSON.stringify(poisoned));
    for (let i = 0; i < 3; i++) expect(await p.pollOnce()).toMatchObject({ status: 'failed', kind: 'refused' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.current()).toBe(index);
    expect(store.current().newest.round).toBe('434');
    expect(datasets).toHaveLength(swaps);
    expect(events.map(rounds)).toEqual([['434']]);
    expect(warnings().map((w) => w.msg)).toEqual([
      expect.stringMatching(/^feed refused: implausible feed: round "99999" is not numbered like IRCC's/),
    ]);

    // Another implausible body is another warning (once).
    const zero = feedOf(430, 434);
    zero.rounds[0] = round(434, { drawSize: '0' });
    serve(JSON.stringify(zero));
    await p.pollOnce();
    await p.pollOnce();
    expect(warnings().map((w) => w.msg)).toHaveLength(2);
    expect(warnings()[1]!.msg).toMatch(/round "434" has 0 invitations/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(events).toHaveLength(1);
  });

  it('refuses six new rounds at once (IRCC publishes a few a day), takes five', async () => {
    // The newest round held is today's: no day has passed to publish more in.
    const today = { drawDate: '2025-11-10', drawDateTime: 'November 10, 2025 at 11:53:39 UTC' };
    const sameDay = (from: number, to: number) => {
      const rounds: RawRound[] = [];
      for (let n = to; n >= from; n--) rounds.push(round(n, today));
      return rounds;
    };
    const held = parseFeed(JSON.stringify({ rounds: sameDay(421, 430) })).draws;
    const store = storeOf(held);
    const { log, warnings } = captureLog();
    const events: Draw[][] = [];
    const p = poller(store, log, events, { now: () => new Date('2025-11-10T20:00:00Z') });

    serve(JSON.stringify({ rounds: sameDay(421, 436) }));
    expect(await p.pollOnce()).toMatchObject({ status: 'failed', kind: 'refused' });
    expect(warnings().map((w) => w.msg)).toEqual([expect.stringMatching(/the feed adds 6 rounds at once .*at most 5 are plausible/)]);
    expect(events).toEqual([]);
    expect(store.current().draws).toHaveLength(10);

    serve(JSON.stringify({ rounds: sameDay(421, 435) }));
    expect((await p.pollOnce()).status).toBe('synced');
    expect(events.map(rounds)).toEqual([['431', '432', '433', '434', '435']]);
  });

  it('runs on its timer: polls at start, then every interval; stop() ends it; status() says when', async () => {
    const scheduled: Array<{ fn: () => void; ms: number }> = [];
    const timers: PollerTimers = { set: (fn, ms) => scheduled.push({ fn, ms }), clear: vi.fn() };
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const events: Draw[][] = [];
    const p = poller(store, captureLog().log, events, { timers, intervalMs: 120_000 });
    expect(p.status()).toEqual({ lastSuccessAt: null, lastError: null, nextPollAt: null });

    p.start();
    expect(scheduled.map((s) => s.ms)).toEqual([0]);
    expect(p.status().nextPollAt).toEqual(NOW);
    serve(JSON.stringify(feedOf(430, 434)));
    scheduled[0]!.fn();
    await vi.waitFor(() => expect(scheduled).toHaveLength(2));
    expect(scheduled[1]!.ms).toBe(120_000);
    expect(events.map(rounds)).toEqual([['434']]);
    expect(p.status()).toEqual({ lastSuccessAt: NOW, lastError: null, nextPollAt: new Date(NOW.getTime() + 120_000) });

    serve('<html>oops</html>', { status: 503 });
    scheduled[1]!.fn();
    await vi.waitFor(() => expect(scheduled).toHaveLength(3));
    expect(p.status().lastError).toEqual({ at: NOW, since: NOW, kind: 'fetch', message: expect.stringMatching(/answered HTTP 503/) });
    expect(p.status().lastSuccessAt).toEqual(NOW);

    await p.stop();
    expect(timers.clear).toHaveBeenCalledWith(3);
    expect(p.status().nextPollAt).toBeNull();
  });

  it('sleeps as the adaptive schedule says when POLL_INTERVAL is unset (fake clock)', async () => {
    const scheduled: Array<{ fn: () => void; ms: number }> = [];
    const timers: PollerTimers = { set: (fn, ms) => scheduled.push({ fn, ms }), clear: vi.fn() };
    let now = new Date('2026-11-27T21:59:00Z'); // a Friday
    const { log, lines } = captureLog();
    const p = poller(storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws), log, [], {
      timers,
      intervalMs: undefined,
      now: () => now,
    });
    serve(JSON.stringify(feedOf(430, 433)));
    p.start();
    expect(lines.find((l) => l.msg === 'live sync started')?.schedule).toBe(
      'every 60 s on weekdays 10:00–22:00 UTC, every 600 s otherwise',
    );
    const fire = async (at: string) => {
      now = new Date(at);
      const count = scheduled.length;
      scheduled.at(-1)!.fn();
      await vi.waitFor(() => expect(scheduled).toHaveLength(count + 1));
      return scheduled.at(-1)!.ms;
    };
    expect(await fire('2026-11-27T21:59:00Z')).toBe(60_000); // Friday, draw hours
    expect(p.status().nextPollAt).toEqual(new Date('2026-11-27T22:00:00Z'));
    expect(await fire('2026-11-27T22:00:00Z')).toBe(600_000); // Friday night: next window is Monday
    expect(await fire('2026-11-28T12:00:00Z')).toBe(600_000); // Saturday
    expect(await fire('2026-11-30T09:55:00Z')).toBe(300_000); // Monday 09:55: wakes at 10:00
    serve('<html>oops</html>', { status: 503 }); // a failed poll keeps the schedule
    expect(await fire('2026-11-30T10:00:00Z')).toBe(60_000);
    expect(p.status().lastError?.kind).toBe('fetch');
    await p.stop();
  });

  it('a delay function that throws or gives nonsense costs ten minutes and an error, not the timer chain', async () => {
    const scheduled: Array<{ fn: () => void; ms: number }> = [];
    const timers: PollerTimers = { set: (fn, ms) => scheduled.push({ fn, ms }), clear: vi.fn() };
    const delays: Array<() => number> = [
      () => {
        throw new Error('bug');
      },
      () => Number.NaN,
      () => 42_000,
    ];
    const { log, errors } = captureLog();
    const p = poller(storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws), log, [], {
      timers,
      nextDelayMs: () => delays.shift()!(),
    });
    serve(JSON.stringify(feedOf(430, 433)));
    p.start();
    for (let i = 1; i <= 3; i++) {
      scheduled.at(-1)!.fn();
      await vi.waitFor(() => expect(scheduled).toHaveLength(i + 1));
    }
    expect(scheduled.map((s) => s.ms)).toEqual([0, 600_000, 600_000, 42_000]);
    expect(errors().map((e) => e.msg)).toEqual([
      'the poll schedule failed; polling again in 10 minutes',
      'the poll schedule gave no usable delay; polling again in 10 minutes',
    ]);
    await p.stop();
  });

  it('stop() cancels a download in progress without logging it as a fault', async () => {
    handler = () => {}; // never answers
    const { log, warnings } = captureLog();
    // A timeout no test outlives: stop() resolves only by cancelling the download.
    const p = poller(storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws), log, [], { timeoutMs: 3_600_000 });
    p.start();
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    await p.stop();
    await vi.waitFor(() => expect(requests[0]!.destroyed).toBe(true));
    expect(warnings()).toEqual([]);
    expect(p.status().lastError).toBeNull();
  });

  it('lets /about show the last sync, the last error and the next poll', async () => {
    const store = storeOf(parseFeed(JSON.stringify(feedOf(430, 433))).draws);
    const p = poller(store, captureLog().log, [], { now: () => new Date('2026-08-07T12:00:00Z') });
    serve('', { status: 200 });
    await p.pollOnce();
    const status = () => ({ ...p.status(), lastSuccessAt: new Date('2026-08-07T11:55:00Z'), nextPollAt: new Date('2026-08-07T12:05:00Z') });
    const deps = {
      data: store.current,
      clock: () => DateTime.fromISO('2026-08-07T12:01:00Z', { zone: 'utc' }),
      log: captureLog().log,
      commands,
      status,
    };
    const about = parseCommandLine('/about', { requireSlash: true });
    const reply = await createAnswers(deps).line(about);
    expect(reply.fields).toEqual(
      expect.arrayContaining([
        { name: 'Last sync with IRCC', value: 'Aug 7, 2026 11:55 UTC (6 minutes ago)' },
        { name: 'Last sync error', value: "the feed's content was refused (since Aug 7, 2026 12:00 UTC (1 minute ago))" },
        { name: 'Next check', value: 'Aug 7, 2026 12:05 UTC (in 4 minutes)' },
      ]),
    );
    const withoutStatus = await createAnswers({ ...deps, status: undefined }).line(about);
    expect(withoutStatus.fields?.map((f) => f.name)).not.toContain('Next check');
  });
});

describe('live sync settings (FEED_URL, POLL_INTERVAL)', () => {
  it("defaults to IRCC's feed on the adaptive schedule (no flat interval)", () => {
    expect(loadConfig({}).feed).toStrictEqual({ url: IRCC_FEED_URL });
    expect(loadConfig({ FEED_URL: '', POLL_INTERVAL: '' }).feed).toStrictEqual({ url: IRCC_FEED_URL });
  });

  it('reads seconds or a duration', () => {
    const every = (text: string) => loadConfig({ POLL_INTERVAL: text }).feed.pollIntervalMs;
    expect([every('600'), every('90s'), every('10m'), every('1h'), every('1m30s'), every('1h 30m')]).toEqual([
      600_000, 90_000, 600_000, 3_600_000, 90_000, 5_400_000,
    ]);
    expect(() => loadConfig({ POLL_INTERVAL: 'often' })).toThrow(
      /POLL_INTERVAL: must be a number of seconds or a duration such as 90s, 5m/,
    );
    expect(() => loadConfig({ POLL_INTERVAL: '0' })).toThrow(/POLL_INTERVAL: must be between 1 second and 24 hours/);
    expect(() => loadConfig({ FEED_URL: 'ftp://example.org/feed.json' })).toThrow(/FEED_URL: must be an http/);
  });

  it("allows under a minute only for a feed that is not IRCC's", () => {
    expect(() => loadConfig({ POLL_INTERVAL: '30s' })).toThrow(/POLL_INTERVAL: must be at least 60 seconds \(1m\) for IRCC's feed/);
    expect(() => loadConfig({ POLL_INTERVAL: '59', FEED_URL: 'https://CANADA.ca/x.json' })).toThrow(ConfigError);
    expect(loadConfig({ POLL_INTERVAL: '2s', FEED_URL: 'http://127.0.0.1:8080/feed.json' }).feed).toEqual({
      url: 'http://127.0.0.1:8080/feed.json',
      pollIntervalMs: 2_000,
    });
    expect(loadConfig({ POLL_INTERVAL: '1m' }).feed.pollIntervalMs).toBe(60_000);
  });
});

// ---- every fault, served by the local feed server --------------------------------------------

const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><title>Error 500 - Canada.ca</title></head><body><h1>We are experiencing technical difficulties</h1></body></html>\n';

/** An extra round IRCC has not published, under a category name nobody has seen yet. */
function unknownCategoryRound(number: string): RawRound {
  return rawRound({
    drawNumber: number,
    drawDate: '2026-08-20',
    drawDateFull: 'August 20, 2026',
    drawDateTime: 'August 20, 2026 at 10:00:00 UTC',
    drawCutOff: 'August 1, 2026 at 10:00:00 UTC',
    drawDistributionAsOn: 'August 17, 2026',
    drawName: 'Occupations in orbit (Version 1)',
  });
}

function faultSuite(title: string, skip: boolean, load: () => RawFeed): void {
  describe.skipIf(skip)(title, () => {
    let feed: RawFeed;
    let full: string;
    let store: DrawStore;
    let p: FeedPoller;
    let dataDir: string;
    let dataFile: string;
    const logged = captureLog();
    let events: Draw[][] = [];
    let before: { bytes: Buffer; index: DrawIndex };

    // Each test starts from a poller that has just synced the whole feed, so none depends on another.
    beforeEach(async () => {
      feed = load();
      full = JSON.stringify(feed);
      dataDir = await mkdtemp(join(tmpdir(), 'ee-faults-'));
      dataFile = join(dataDir, 'draws.json');
      store = storeOf(parseFeed(full).draws);
      p = new FeedPoller({
        url: feedUrl,
        intervalMs: 300_000,
        dataFile,
        held: store.current,
        onDataset: store.update,
        log: logged.log,
        onNewDraws: (draws) => void events.push(draws),
        timeoutMs: 200,
        retries: 1,
        sleep: noSleep,
      });
      serve(full);
      expect((await p.pollOnce()).status).toBe('synced'); // seeds the file; nothing new
      logged.lines.length = 0;
      events = [];
      before = { bytes: readFileSync(dataFile), index: store.current() };
    });
    afterEach(() => rm(dataDir, { recursive: true, force: true }));

    const unchanged = () => {
      expect(readFileSync(dataFile).equals(before.bytes)).toBe(true);
      expect(store.current()).toBe(before.index);
      expect(events).toEqual([]);
    };

    const refused: Array<[string, () => void, RegExp]> = [
      ['an empty body', () => serve(''), /^feed refused: the feed body is empty; the \d+ rounds held are kept$/],
      ['a single newline (seen for real)', () => serve('\n'), /^feed refused: the feed body is empty/],
      [
        'an HTML error page with status 200',
        () => serve(HTML_ERROR_PAGE, { headers: { 'content-type': 'text/html' } }),
        /^feed refused: the feed body is not JSON \(it starts with "<!DOCTYPE html>/,
      ],
      ['truncated JSON', () => serve(full.slice(0, Math.floor(full.length * 0.6))), /^feed refused: the feed body is not JSON/],
      ['zero rounds', () => serve('{"rounds":[]}'), /^feed refused: the feed holds no rounds/],
      ['the wrong shape', () => serve('{"rounds":{"drawNumber":"1"}}'), /^feed refused: the feed does not have IRCC's shape/],
      [
        'a round without a readable cut-off',
        () => serve(JSON.stringify({ ...feed, rounds: [{ ...feed.rounds[0]!, drawCRS: 'n/a' }, ...feed.rounds.slice(1)] })),
        /^feed refused: round \S+ has an unreadable cut-off/,
      ],
      [
        'HTTP 500',
        () => serve('Internal Server Error', { status: 500 }),
        /^feed poll failed: .* answered HTTP 500 Internal Server Error \(2 attempts\)/,
      ],
      [
        'HTTP 503',
        () => serve(HTML_ERROR_PAGE, { status: 503 }),
        /^feed poll failed: .* answered HTTP 503 Service Unavailable \(2 attempts\)/,
      ],
      [
        'a timeout',
        () => {
          handler = () => {};
        },
        /^feed poll failed: .* did not answer within 200 ms \(2 attempts\)/,
      ],
    ];

    it.each(refused)('survives %s: file and store unchanged, one warning', async (_name, setup, message) => {
      setup();
      const outcome = await p.pollOnce();
      expect(outcome.status).toBe('failed');
      unchanged();
      expect(logged.warnings().map((w) => w.msg)).toEqual([expect.stringMatching(message)]);
      expect(logged.errors()).toEqual([]);
      expect(p.status().lastError?.message).toBe((outcome as { error: string }).error);
    });

    it('accepts fewer rounds than held: keeps the missing ones, warns once', async () => {
      const short = { ...feed, rounds: feed.rounds.slice(0, -3) };
      const missing = feed.rounds.slice(-3).map((r) => r.drawNumber);
      serve(JSON.stringify(short));
      const outcome = await p.pollOnce();
      expect(outcome).toMatchObject({ status: 'synced', report: { added: [], updated: [], written: false } });
      expect((outcome as { report: { missing: string[] } }).report.missing.sort()).toEqual(missing.sort());
      unchanged();
      expect(logged.warnings().map((w) => w.msg)).toEqual([
        expect.stringMatching(/^feed accepted with a warning: the feed no longer lists 3 rounds we hold \(\w+, \w+, \w+\); they are kept/),
      ]);

      serve(JSON.stringify(short, null, 1)); // another body, the same rounds missing: no second warning
      expect((await p.pollOnce()).status).toBe('synced');
      unchanged();
      expect(logged.warnings()).toHaveLength(1);
    });

    it('accepts unknown fields: nothing changes, one warning naming them', async () => {
      const extra = {
        ...feed,
        lastUpdated: '2026-08-07',
        rounds: [{ ...feed.rounds[0]!, drawVideoURL: 'https://example.org/v' }, ...feed.rounds.slice(1)],
      };
      serve(JSON.stringify(extra));
      expect(await p.pollOnce()).toMatchObject({ status: 'synced', report: { added: [], updated: [] } });
      unchanged();
      expect(logged.warnings().map((w) => w.msg)).toEqual([
        expect.stringMatching(/fields this bot does not read \(ignored\): lastUpdated \(×1\), rounds\[\]\.drawVideoURL \(×1\)/),
      ]);
    });

    it('files a past round renamed to an unknown category as "other": updated, not announced', async () => {
      const target = feed.rounds[1]!.drawNumber;
      feed = {
        ...feed,
        rounds: feed.rounds.map((r) => (r.drawNumber === target ? { ...r, drawName: 'Occupations in orbit (Version 1)' } : r)),
      };
      serve(JSON.stringify(feed));
      const outcome = await p.pollOnce();
      expect(outcome).toMatchObject({ status: 'synced', report: { added: [], updated: [{ round: target, category: 'other' }] } });
      expect(events).toEqual([]);
      expect(store.current()).not.toBe(before.index);
      expect(store.current().round(target)?.category).toBe('other');
      expect((await readDataset(dataFile))!.draws.find((d) => d.round === target)?.category).toBe('other');
      expect(logged.warnings().map((w) => w.msg)).toEqual([
        expect.stringMatching(
          new RegExp(`round ${target}: unknown category name "Occupations in orbit \\(Version 1\\)", filed as "other"`),
        ),
      ]);
    });

    it('announces a new round with an unknown category (and only it)', async () => {
      const next = String(Math.max(...feed.rounds.map((r) => Number.parseInt(r.drawNumber, 10))) + 1);
      serve(JSON.stringify({ ...feed, rounds: [unknownCategoryRound(next), ...feed.rounds] }));
      const outcome = await p.pollOnce();
      expect(outcome).toMatchObject({ status: 'synced', report: { added: [{ round: next, category: 'other' }], updated: [] } });
      expect(events.map(rounds)).toEqual([[next]]);
      expect(store.current().newest.round).toBe(next);
      expect((await readDataset(dataFile))!.draws[0]!.round).toBe(next);
      // Only the new round's warning: the renamed round's, already reported, is not repeated.
      expect(logged.warnings().map((w) => w.msg)).toEqual([
        expect.stringMatching(new RegExp(`^feed accepted with a warning: round ${next}: unknown category`)),
      ]);
    });
  });
}

faultSuite('FeedPoller faults, on a synthetic feed', false, () => feedOf(421, 434));
faultSuite(
  `FeedPoller faults, on IRCC's real 2026-08-07 feed${HAS_SHARED_IRCC ? '' : ` (${SKIP_REASON})`}`,
  !HAS_SHARED_IRCC,
  () => JSON.parse(readSnapshot('2026-08-07')) as RawFeed,
);
