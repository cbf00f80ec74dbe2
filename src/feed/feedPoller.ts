import { createHash } from 'node:crypto';
import type { DatasetStore } from '../domain/datasetStore.js';
import type { Dataset, Draw } from '../domain/drawSchema.js';
import { utcInstant } from '../domain/utcInstant.js';
import type { Logger } from '../lib/log.js';
import { safeError } from '../lib/safeError.js';
import { safeUrl, safeUrls } from '../lib/safeUrl.js';
import { datasetFile } from './datasetFile.js';
import { FeedError } from './feedError.js';
import { FeedFetchError, type FetchFeedOptions, fetchFeed } from './fetchFeed.js';
import { mergeDraws } from './mergeDraws.js';
import { describePollSchedule, nextPollDelay, OFF_HOURS_DELAY_MS } from './pollSchedule.js';
import { rawRoundSchema } from './rawFeedSchema.js';
import { type SyncReport, syncDataset } from './syncDataset.js';

/** What `about` shows about the live sync. */
export interface SyncStatus {
  /** The last poll that confirmed or brought the dataset up to date (a 304 counts). */
  lastSuccessAt: Date | null;
  /** The last poll that failed or whose body was refused; kept after later successes. */
  lastError: {
    at: Date;
    /** When the current run of failures began (the first failure since the last success). */
    since: Date;
    /** For the logs and the operator; never shown to users or on /healthz (kind and times are). */
    message: string;
    /** What went wrong, for people: the feed unreachable, its content refused, or a bug of ours. */
    kind: 'fetch' | 'refused' | 'internal';
  } | null;
  /** When the next poll is due; null when the poller is not running. */
  nextPollAt: Date | null;
}

export type PollOutcome =
  | { status: 'unchanged' }
  | { status: 'synced'; report: SyncReport }
  /**
   * `kind`: 'fetch', the feed did not answer well (network, timeout, HTTP status); 'refused', its
   * body was not importable; 'internal', anything else (a bug, the disk); 'cancelled', by stop().
   */
  | { status: 'failed'; error: string; kind: 'fetch' | 'refused' | 'internal' | 'cancelled' };

export interface PollerTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface FeedPollerOptions {
  /** FEED_URL, which may carry a key or a password: logs and the dataset's source name it by safeUrl. */
  url: string;
  /** POLL_INTERVAL: poll at this flat interval. Unset: the adaptive schedule (nextPollDelay). */
  intervalMs?: number;
  /** How long to sleep after a poll that ended at `now`; overrides `intervalMs`. */
  nextDelayMs?: (now: Date) => number;
  /**
   * Where the runtime dataset is kept: the database's (PostgreSQL), or `dataFile` (DATA_DIR/draws.json);
   * the committed seed is never written.
   */
  dataset?: DatasetStore;
  dataFile?: string;
  /** The dataset the bot answers from now (the one loaded at start, or the last sync's). */
  held: () => { source: string; draws: readonly Draw[] };
  /** A sync changed the dataset: the bot answers from this one from now on. */
  onDataset: (dataset: Dataset) => void;
  log: Logger;
  /**
   * Rounds we did not hold before, oldest first. Edited and missing rounds never come here. When it
   * throws (the store refused them), the same rounds come again at the next poll, with any
   * new ones, until it returns: it must be idempotent (the outbox's UNIQUE rows are).
   */
  onNewDraws?: (draws: Draw[]) => void | Promise<void>;
  /** Told the outcome of every poll but those stop() cancelled (the bot's metrics); it must not throw. */
  onPoll?: (outcome: PollOutcome) => void;
  /** Delay before the first poll after start(). Default 0. */
  initialDelayMs?: number;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
  timers?: PollerTimers;
  fetch?: FetchFeedOptions['fetch'];
  sleep?: FetchFeedOptions['sleep'];
  random?: FetchFeedOptions['random'];
}

const realTimers: PollerTimers = {
  set(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref(); // the adapters keep the process alive, not the poller
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Every field IRCC's feed has carried so far, read or not; anything else is worth a note. */
const KNOWN_ROUND_FIELDS = new Set([...Object.keys(rawRoundSchema.shape), 'drawDateFull', 'mitext', 'DrawText1']);
const KNOWN_FEED_FIELDS = new Set(['classes', 'rounds']);

/** An error as the logs may show it (safeError), with any URL in its text cut down by safeUrls. */
function withoutUrls(error: unknown) {
  const safe = safeError(error);
  return {
    ...safe,
    message: safeUrls(safe.message),
    ...(safe.cause ? { cause: safeUrls(safe.cause) } : {}),
    ...(safe.stack ? { stack: safeUrls(safe.stack) } : {}),
  };
}

function roundsText(count: number): string {
  return `${count} round${count === 1 ? '' : 's'}`;
}

/** Field names the feed carries that we have never seen, with how many rounds carry each. */
function unknownFields(body: string): Map<string, number> {
  const found = new Map<string, number>();
  const json = JSON.parse(body) as Record<string, unknown>;
  for (const key of Object.keys(json)) if (!KNOWN_FEED_FIELDS.has(key)) found.set(key, 1);
  for (const round of json.rounds as Array<Record<string, unknown>>) {
    for (const key of Object.keys(round))
      if (!KNOWN_ROUND_FIELDS.has(key)) found.set(`rounds[].${key}`, (found.get(`rounds[].${key}`) ?? 0) + 1);
  }
  return found;
}

/**
 * Keeps the dataset in step with IRCC's feed while the bot runs: a conditional GET after each sleep
 * of `nextDelayMs` (by default the adaptive schedule of pollSchedule.ts, or a flat `intervalMs`); a changed body goes through the same parse/merge/atomic-write as `npm run sync`
 * (syncDataset) into `dataFile`, and the result is handed to `onDataset`. A refused body, a
 * timeout or an HTTP error leaves the file and the data held as they were, logs one warning and is
 * tried again at the next poll. Before any merge, the rounds must be plausible (checkPlausible,
 * through syncDataset): a poll adds a handful of rounds at most, none dated after today. The same
 * refused body is warned about once. Nothing it does throws out of its timer.
 */
export class FeedPoller {
  private readonly now: () => Date;
  private readonly timers: PollerTimers;
  private etag: string | undefined;
  private lastModified: string | undefined;
  /** sha256 of the last body accepted: a server without validators costs no parse either. */
  private acceptedBody: string | undefined;
  /** sha256 of the last body refused: the same refusal is warned about once, not at every poll. */
  private refusedBody: string | undefined;
  /** The file holds everything held when the poller started. */
  private seeded = false;
  /** The file changed and what is held has not caught up yet. */
  private heldStale = false;
  private warnedMissing = '';
  private readonly warnedFields = new Set<string>();
  /** New rounds onNewDraws threw on, oldest first: handed over again at the next poll. */
  private unannounced: Draw[] = [];
  private lastSuccessAt: Date | null = null;
  private lastError: SyncStatus['lastError'] = null;
  private nextPollAt: Date | null = null;
  private timer: unknown;
  private running = false;
  /** Bumped by start(): a poll that outlives a stop()/start() does not schedule a second timer chain. */
  private generation = 0;
  private inFlight: Promise<PollOutcome> | undefined;
  private abort = new AbortController();

  private readonly dataset: DatasetStore;
  /** The feed as logs and the dataset's `source` name it. */
  private readonly feed: string;

  constructor(private readonly options: FeedPollerOptions) {
    if (!options.dataset && !options.dataFile) throw new Error('FeedPoller needs a dataset store or a dataFile');
    this.dataset = options.dataset ?? datasetFile(options.dataFile!);
    this.now = options.now ?? (() => new Date());
    this.timers = options.timers ?? realTimers;
    this.feed = safeUrl(options.url);
  }

  status = (): SyncStatus => ({
    lastSuccessAt: this.lastSuccessAt,
    lastError: this.lastError,
    nextPollAt: this.nextPollAt,
  });

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.abort = new AbortController();
    this.schedule(this.options.initialDelayMs ?? 0);
    const schedule = this.options.nextDelayMs ? 'custom' : describePollSchedule({ intervalMs: this.options.intervalMs });
    this.options.log.info({ feed: this.feed, schedule }, 'live sync started');
  }

  /** Stops the timer, cancels a download in progress and waits for a sync in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.nextPollAt = null;
    this.abort.abort();
    await this.inFlight;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    const generation = this.generation;
    this.nextPollAt = new Date(this.now().getTime() + ms);
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.pollOnce()
        .catch(() => undefined) // pollOnce never rejects; this is belt and braces for the timer
        .finally(() => {
          if (generation === this.generation) this.schedule(this.nextDelay());
        });
    }, ms);
  }

  /**
   * The sleep after a poll that ends now. A delay function that throws or answers nonsense would
   * otherwise end the timer chain (or spin it): it costs a 10-minute sleep and an error instead.
   */
  private nextDelay(): number {
    const now = this.now();
    try {
      const ms = this.options.nextDelayMs?.(now) ?? nextPollDelay(now, { intervalMs: this.options.intervalMs });
      if (Number.isFinite(ms) && ms > 0) return ms;
      this.options.log.error({ delayMs: ms }, 'the poll schedule gave no usable delay; polling again in 10 minutes');
    } catch (error) {
      this.options.log.error({ err: error }, 'the poll schedule failed; polling again in 10 minutes');
    }
    return OFF_HOURS_DELAY_MS;
  }

  /** One poll; never throws. A poll already in progress is shared, not doubled. */
  pollOnce(): Promise<PollOutcome> {
    this.inFlight ??= this.poll()
      .then((outcome) => this.observe(outcome))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private observe(outcome: PollOutcome): PollOutcome {
    if (outcome.status === 'failed' && outcome.kind === 'cancelled') return outcome;
    try {
      this.options.onPoll?.(outcome);
    } catch (error) {
      this.options.log.warn({ err: error }, 'the poll observer failed');
    }
    return outcome;
  }

  private async poll(): Promise<PollOutcome> {
    const { url, log } = this.options;
    const feed = this.feed;
    const held = this.options.held().draws.length;
    if (this.abort.signal.aborted) this.abort = new AbortController(); // pollOnce() after stop()
    const signal = this.abort.signal;
    // Rounds whose announcing failed at an earlier poll go first, whatever this one brings.
    if (this.unannounced.length > 0) await this.emit([]);
    let hash: string | undefined;
    try {
      const result = await fetchFeed({
        url,
        etag: this.etag,
        lastModified: this.lastModified,
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        baseDelayMs: this.options.baseDelayMs,
        maxDelayMs: this.options.maxDelayMs,
        signal,
        fetch: this.options.fetch,
        sleep: this.options.sleep,
        random: this.options.random,
        onRetry: ({ attempt, delayMs, error }) =>
          log.debug({ feed, attempt, delayMs, reason: error.message }, 'feed fetch failed; retrying'),
      });
      if (result.status === 'unchanged') return this.unchanged('304 Not Modified');
      hash = createHash('sha256').update(result.body).digest('hex');
      if (hash === this.acceptedBody) {
        this.etag = result.etag;
        this.lastModified = result.lastModified;
        return this.unchanged('same body as the last one accepted');
      }

      await this.seed();
      const report = await syncDataset({
        body: result.body,
        source: feed,
        store: this.dataset,
        now: this.now,
      });
      if (report.written || this.heldStale) {
        this.options.onDataset(report.dataset);
        this.heldStale = false;
      }
      // Only now is the body ours: a refused one is downloaded again next time.
      this.etag = result.etag;
      this.lastModified = result.lastModified;
      this.acceptedBody = hash;
      this.lastSuccessAt = this.now();

      try {
        this.report(report, result.body);
      } catch (error) {
        log.error({ err: error }, 'reporting the sync failed'); // the new rounds must still go out
      }
      if (report.added.length > 0) await this.emit([...report.added].reverse()); // after any still unannounced
      return { status: 'synced', report };
    } catch (error) {
      // fetchFeed's messages name the feed by safeUrl already; anything else might quote FEED_URL whole.
      const message = safeUrls(error instanceof Error ? error.message : String(error));
      if (signal.aborted) {
        log.debug({ feed }, `feed poll cancelled by stop(): ${message}`);
        return { status: 'failed', error: message, kind: 'cancelled' };
      }
      const at = this.now();
      const ongoing = this.lastError !== null && (!this.lastSuccessAt || this.lastError.at > this.lastSuccessAt);
      const kind = error instanceof FeedError ? 'refused' : error instanceof FeedFetchError ? 'fetch' : 'internal';
      this.lastError = { at, since: ongoing ? this.lastError!.since : at, message, kind };
      const kept = `the ${roundsText(held)} held ${held === 1 ? 'is' : 'are'} kept`;
      if (error instanceof FeedError) {
        // Checked again at every poll (a round dated tomorrow is plausible tomorrow), said once per body.
        if (hash !== undefined && hash === this.refusedBody) log.debug({ feed, held }, `feed refused again (same body): ${message}`);
        else log.warn({ feed, held }, `feed refused: ${message}; ${kept}`);
        this.refusedBody = hash;
        return { status: 'failed', error: message, kind: 'refused' };
      }
      if (error instanceof FeedFetchError) {
        log.warn({ feed, held, httpStatus: error.httpStatus }, `feed poll failed: ${message}; ${kept}`);
        return { status: 'failed', error: message, kind: 'fetch' };
      }
      log.error({ feed, held, err: withoutUrls(error) }, `live sync failed: ${message}; ${kept}`);
      return { status: 'failed', error: message, kind: 'internal' };
    }
  }

  private unchanged(why: string): PollOutcome {
    this.lastSuccessAt = this.now();
    this.options.log.debug({ feed: this.feed }, `feed unchanged (${why})`);
    return { status: 'unchanged' };
  }

  /**
   * Before the first merge, make sure the file holds everything held: the data held may
   * have been opened from the committed seed (no file yet, or the seed is newer than the file).
   */
  private async seed(): Promise<void> {
    if (this.seeded) return;
    const current = this.options.held();
    const file = await this.dataset.read();
    const merge = mergeDraws(file?.draws ?? [], current.draws);
    if (!file || merge.added.length > 0 || merge.updated.length > 0) {
      await this.dataset.write({ source: current.source, generatedAt: utcInstant(this.now()), draws: merge.draws });
      this.options.log.info(
        { dataset: this.dataset.name, rounds: merge.draws.length },
        'live sync dataset seeded from the dataset loaded at start',
      );
    }
    // The file may also hold rounds the data held lacks: then it is replaced after this sync.
    if (merge.draws.length !== current.draws.length) this.heldStale = true;
    this.seeded = true;
  }

  /** One info line for what changed, one warning line for whatever deserves a look. */
  private report(report: SyncReport, body: string): void {
    const { log } = this.options;
    const feed = this.feed;
    if (report.added.length || report.updated.length) {
      log.info(
        { feed, added: report.added.map((d) => d.round), updated: report.updated.map((d) => d.round), total: report.total },
        `feed synced: ${report.added.length} new, ${report.updated.length} updated; ${roundsText(report.total)} held`,
      );
    } else log.debug({ feed }, 'feed changed, but not its rounds');

    const notes: string[] = [];
    // Only what concerns rounds that changed now: the feed's old quirks (#357's time) were reported before.
    const changed = new Set([...report.added, ...report.updated].map((d) => d.round));
    for (const warning of report.warnings) {
      const round = /^round (\S+): /.exec(warning)?.[1];
      if (round === undefined || changed.has(round)) notes.push(warning);
    }
    const missing = report.missing.join(',');
    if (missing && missing !== this.warnedMissing) {
      // Said once per set of missing rounds, not at every poll that sees the same short feed.
      const listed = report.missing.length > 10 ? `${report.missing.slice(0, 10).join(', ')}, …` : report.missing.join(', ');
      const n = report.missing.length;
      notes.push(
        `the feed no longer lists ${roundsText(n)} we hold (${listed}); ${n === 1 ? 'it is' : 'they are'} kept: ` +
          `the feed lists ${roundsText(report.total - n)}, the dataset holds ${roundsText(report.total)}`,
      );
    }
    this.warnedMissing = missing;
    const fields = [...unknownFields(body)].filter(([name]) => !this.warnedFields.has(name));
    if (fields.length) {
      for (const [name] of fields) this.warnedFields.add(name);
      notes.push(`the feed has fields this bot does not read (ignored): ${fields.map(([name, n]) => `${name} (×${n})`).join(', ')}`);
    }
    if (notes.length)
      log.warn({ feed, notes }, `feed accepted with ${notes.length === 1 ? 'a warning' : `${notes.length} warnings`}: ${notes.join('; ')}`);
  }

  /** Hands new rounds (after those still unannounced) to onNewDraws; what it throws on is kept for the next poll. */
  private async emit(draws: Draw[]): Promise<void> {
    if (!this.options.onNewDraws) return;
    const retried = this.unannounced;
    const known = new Set(retried.map((d) => d.round));
    const batch = [...retried, ...draws.filter((d) => !known.has(d.round))];
    if (batch.length === 0) return;
    try {
      await this.options.onNewDraws(batch);
      this.unannounced = [];
      if (retried.length > 0) this.options.log.info({ rounds: retried.map((d) => d.round) }, 'new rounds announced at last');
    } catch (error) {
      this.unannounced = batch;
      this.options.log.error({ err: error, rounds: batch.map((d) => d.round), retry: 'at the next poll' }, 'handling new rounds failed');
    }
  }
}
