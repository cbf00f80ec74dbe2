import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { commands } from '../../commands/index.js';
import type { AlertSender } from '../alerts/alertSender.js';
import type { AlertTransport } from '../alerts/alertTransport.js';
import { type Alerts, createAlerts } from '../alerts/createAlerts.js';
import type { ChartRenderer } from '../charts/chartRenderer.js';
import { type ChartThread, createChartThread } from '../charts/createChartThread.js';
import { type Answers, createAnswers } from '../commands/createAnswers.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { CommandDeps } from '../commands/runCommand.js';
import type { Config } from '../config.js';
import { startConsole } from '../console/startConsole.js';
import type { HandlerOptions } from '../discord/handleInteraction.js';
import { checkDiscord, startDiscord } from '../discord/startDiscord.js';
import { FeedPoller } from '../feed/feedPoller.js';
import { longestPollDelay } from '../feed/pollSchedule.js';
import { keyHashes } from '../lib/hashId.js';
import { createLogger, type Logger } from '../lib/log.js';
import { sleep } from '../lib/sleep.js';
import { checkTelegram, startTelegram } from '../telegram/startTelegram.js';
import { checkHealth, type HealthReport, type PlatformHealth } from './checkHealth.js';
import { createMetrics, type Metrics } from './createMetrics.js';
import { openDrawStore, openDrawStoreFrom } from './drawStore.js';
import { type HealthServer, healthRoutes, startHealthServer } from './healthServer.js';
import { type OpenedStorage, openStorage } from './openStorage.js';

/** A started platform, as the app keeps it: how to stop it, whether it is connected, its alert transport if it has one. */
interface RunningPlatform {
  name: string;
  stop(): Promise<void>;
  health?(): PlatformHealth;
  alerts?: AlertTransport;
  /** The port its own HTTP server listens on (Telegram's webhook server). */
  port?: number;
}

/** How long stop() may take at most, whatever the platforms' APIs do. */
const STOP_DEADLINE_MS = 10_000;
/** Settled deliveries are kept this long (RETENTION_DAYS), then pruned: every few hours. */
const DEFAULT_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 6 * 3_600_000;
const PRUNE_BATCH = 500;

export interface AppOptions {
  /** A platform is gone for good, or something threw where nothing could catch it: stop, exit non-zero. */
  onFatal?: (error: Error) => void;
  /** Default 10 s. */
  stopDeadlineMs?: number;
  /** Default: JSON lines on stderr at LOG_LEVEL (info for a bot, warn for the console). */
  log?: Logger;
  clock?: () => DateTime;
  /** Default: a chart thread of the app's own, started on the first chart and closed by stop(). */
  charts?: ChartThread;
  /** Console mode's terminal. Default: stdin and stdout, with a prompt when stdin is a terminal. */
  console?: { input: Readable; output: Writable; prompt?: boolean };
  /** Discord's answer timing (tests). */
  discord?: HandlerOptions;
}

export interface App {
  /** Everything commands run with, built once. */
  deps: CommandDeps;
  /** The one reply path every platform uses. */
  answers: Answers;
  /** Whether a Telegram or Discord token is set; otherwise start() runs the console. */
  bot: boolean;
  /** The bot's Prometheus metrics (when a bot runs). */
  metrics?: Metrics;
  /** What GET /healthz answers: every platform connected, the feed polled lately. */
  health(): HealthReport;
  /** Ports listened on once started: the health server (HEALTH_PORT), Telegram's webhook server (PORT). */
  ports(): { health?: number; webhook?: number };
  /**
   * Starts what the config asks for: the bots, with live sync and alerts; or else the console,
   * resolving when its input ends. A start that fails stops what it had started, then throws.
   */
  start(): Promise<void>;
  /**
   * Stops in order: the health server, the live sync and the alert senders (no new work; requests
   * in flight finish), the platforms (answers in progress finish), the chart thread, the alerts
   * database. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part of the bot once from the config — the dataset, the alerts
 * engine and the live sync when a bot runs, the one reply path — and starts and stops them in order.
 * The only place besides the entry points that knows the platforms. The tokens are checked first
 * (within 10 s each, one line naming the variables when refused): until then nothing is written in
 * DATA_DIR and the feed is not polled.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const bot = Boolean(config.telegram || config.discord);
  // Console mode answers locally only: no logs to speak of, no polling, no alerts.
  const log = options.log ?? createLogger(config.logLevel ?? (bot ? 'info' : 'warn'));
  const [telegramBot] = await Promise.all([
    config.telegram ? checkTelegram(config.telegram) : undefined,
    config.discord ? checkDiscord(config.discord) : undefined,
  ]);
  const dataFile = join(config.dataDir, 'draws.json');
  // One bot per store (two would send every alert twice): the storage is opened with its instance
  // lock. The console writes nothing there.
  const opened: OpenedStorage | undefined = bot
    ? await openStorage(config, log, (reason) => {
        log.fatal({ reason }, 'the storage is no longer this bot alone; stopping');
        options.onFatal?.(new Error(`storage: ${reason}`));
      })
    : undefined;
  const runtimeDataset = opened?.storage.engine === 'postgres' ? opened.storage.dataset : undefined;
  let store: Awaited<ReturnType<typeof openDrawStore>>;
  /** The install's secret: it keys the log hashes and, hashed, starts the delivery keys. */
  let secret = '';
  try {
    if (opened) {
      secret = await opened.storage.secret();
      keyHashes(secret);
      log.info({ storage: opened.where }, 'storage opened');
    }
    // The live sync's dataset: in the database on PostgreSQL (every instance the same), else DATA_DIR/draws.json.
    store = runtimeDataset
      ? await openDrawStoreFrom(runtimeDataset, config.datasetFile, { onWarning: (message, error) => log.warn({ err: error }, message) })
      : await openDrawStore([dataFile, config.datasetFile], { onWarning: (message, { error }) => log.warn({ err: error }, message) });
  } catch (error) {
    await opened?.close();
    throw error;
  }
  log.info({ rounds: store.current().draws.length, newest: store.current().newest.round }, 'dataset loaded');

  const platforms: RunningPlatform[] = [];
  const senders: AlertSender[] = [];
  let healthServer: HealthServer | undefined;
  /** When the live sync started (ms since the epoch): the feed's health counts from there until its first success. */
  let pollingSince: number | undefined;

  // Metrics while a bot runs, served with /healthz on HEALTH_PORT and the webhook server.
  const metrics: Metrics | undefined = bot
    ? createMetrics({
        pendingAlerts: () =>
          Promise.all(senders.map(async (sender) => [sender.platform, await alerts!.outbox.pendingCount(sender.platform)] as const)),
        feedAgeSeconds: () => {
          if (!poller || pollingSince === undefined) return undefined;
          return (Date.now() - (poller.status().lastSuccessAt?.getTime() ?? pollingSince)) / 1000;
        },
        platformsUp: () => Object.entries(health().platforms).map(([name, state]) => [name, state === 'ok'] as const),
      })
    : undefined;

  // New-draw alerts while a bot runs: subscriptions, profiles and the outbox live in the storage.
  const alerts: Alerts | undefined = opened
    ? createAlerts({
        storage: opened.storage,
        claimant: opened.instance,
        // Unique to this install, and telling nothing of the secret it comes from.
        keyPrefix: createHash('sha256').update(`delivery keys:${secret}`).digest('hex').slice(0, 8),
        log,
        draws: () => store.current().draws,
        onDelivery: metrics?.delivery,
      })
    : undefined;
  // Live sync from IRCC's feed while a bot runs; genuinely new rounds go to the alerts. No
  // POLL_INTERVAL: the adaptive schedule (a minute in draw hours, ten minutes otherwise).
  const poller = bot
    ? new FeedPoller({
        url: config.feed.url,
        intervalMs: config.feed.pollIntervalMs,
        ...(runtimeDataset ? { dataset: runtimeDataset } : { dataFile }),
        held: store.current,
        onDataset: (dataset) => {
          store.update(dataset);
          // Rounds IRCC corrected since their alert went out: the alerts sent are edited in place.
          alerts?.onDataset(store.current().draws);
        },
        log,
        onNewDraws: (draws) => {
          log.info({ rounds: draws.map((d) => d.round) }, 'new rounds published');
          // Returned: a store refusing them rejects, and the poller hands them over again at the next poll.
          return alerts?.onNewDraws(draws);
        },
        onPoll: metrics?.poll,
      })
    : undefined;

  /** Every platform the config starts, connected or not (yet); and the feed, three intervals at most since its last success. */
  function health(): HealthReport {
    const expected = [...(config.telegram ? ['telegram'] : []), ...(config.discord ? ['discord'] : [])];
    return checkHealth({
      platforms: expected.map((name) => {
        const running = platforms.find((platform) => platform.name === name);
        return { name, health: running ? () => running.health?.() ?? { ok: true } : undefined };
      }),
      feed:
        poller && pollingSince !== undefined
          ? { status: poller.status(), intervalMs: longestPollDelay({ intervalMs: config.feed.pollIntervalMs }), startedAt: pollingSince }
          : undefined,
      now: Date.now(),
    });
  }

  const deps: CommandDeps = {
    data: store.current,
    clock: options.clock ?? (() => DateTime.utc()),
    log,
    commands,
    status: poller?.status,
    subscriptions: opened?.storage.subscriptions,
    profiles: opened?.storage.profiles,
    forget: opened?.storage.forget,
    onAnswer: metrics?.answer,
    // Without a bot nothing syncs the data: the console's answers say when it may be behind.
    unsynced: !bot,
  };
  const answers = createAnswers(deps);
  const charts = options.charts ?? createChartThread();
  const platformDeps: PlatformDeps = {
    answers,
    log,
    renderChart: metrics ? countedCharts(charts.render, metrics) : charts.render,
    lost: (platform, reason) => {
      log.fatal({ platform, reason }, 'a platform is gone for good; stopping');
      options.onFatal?.(new Error(`${platform}: ${reason}`));
    },
  };
  // /healthz and /metrics, on HEALTH_PORT and on Telegram's webhook server.
  const routes = metrics ? healthRoutes(health, metrics, log) : undefined;

  let stopped: Promise<void> | undefined;
  let pruning: NodeJS.Timeout | undefined;
  /** Settled deliveries past the retention go; a failure is logged and tried again at the next round. */
  async function prune(): Promise<void> {
    if (!opened) return;
    const days = config.retentionDays ?? DEFAULT_RETENTION_DAYS;
    try {
      const before = Date.now() - days * 86_400_000;
      let pruned = 0;
      // In batches, with a turn of the event loop between them: a first prune of a large store must
      // not hold answers up (SQLite runs on this thread).
      for (let batch = PRUNE_BATCH; batch === PRUNE_BATCH && !stopped; ) {
        batch = await opened.storage.deliveries.prune(before, PRUNE_BATCH);
        pruned += batch;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (pruned > 0)
        log.info({ deliveries: pruned, retentionDays: days }, `pruned ${pruned} settled alert deliveries older than ${days} days`);
    } catch (error) {
      log.error({ err: error }, 'pruning old alert deliveries failed; trying again later');
    }
  }

  async function stopAll(): Promise<void> {
    // Whatever the APIs do (a 429 asking for an hour, a request that never answers), the process
    // stops within the deadline: each step gets what is left of it, and the database is closed last
    // in any case, so that its -wal is checkpointed.
    const deadline = Date.now() + (options.stopDeadlineMs ?? STOP_DEADLINE_MS);
    const step = async (name: string, work: Promise<unknown>) => {
      const done = new AbortController(); // the deadline's timer must not outlive the step
      const timedOut = await Promise.race([
        work.then(() => false),
        sleep(Math.max(0, deadline - Date.now()), done.signal).then(() => !done.signal.aborted),
      ]);
      done.abort();
      if (timedOut) log.warn({ step: name }, 'shutdown deadline reached; going on without waiting');
    };
    await step(
      'health server',
      healthServer?.close().catch((error: unknown) => log.warn({ err: error }, 'closing the health server failed')) ?? Promise.resolve(),
    );
    // Senders before the platforms: Discord's use the platform's client.
    await step('live sync and alert senders', Promise.allSettled([poller?.stop(), ...senders.map((sender) => sender.stop())]));
    await step('platforms', Promise.allSettled(platforms.map((platform) => platform.stop())));
    await step(
      'chart thread',
      charts.close().catch((error: unknown) => log.warn({ err: error }, 'closing the chart thread failed')),
    );
    clearInterval(pruning);
    if (alerts) {
      await step(
        'alert editors',
        alerts.close().catch((error: unknown) => log.error({ err: error }, 'stopping the alert editors failed')),
      );
    }
    // Last, and within the deadline too (a PostgreSQL pool waits for its connections): past it,
    // senders still waiting on a request find the storage closed (and log it).
    if (opened)
      await step(
        'storage',
        opened.close().catch((error: unknown) => log.error({ err: error }, 'closing the storage failed')),
      );
  }

  const app: App = {
    deps,
    answers,
    bot,
    metrics,
    health,
    ports: () => ({ health: healthServer?.port, webhook: platforms.find((platform) => platform.port !== undefined)?.port }),
    async start() {
      if (!bot) {
        const io = options.console ?? { input: process.stdin, output: process.stdout, prompt: process.stdin.isTTY };
        await startConsole(platformDeps, io);
        return;
      }
      try {
        // First: a port in use stops start-up before anything connects; until the platforms are
        // up, /healthz answers 503 ("not started").
        if (config.health && routes) {
          healthServer = await startHealthServer(routes, config.health);
          log.info({ host: config.health.host, port: healthServer.port }, 'serving /healthz and /metrics');
        }
        // Rounds the dataset gained while no alert was recorded (killed in between) are announced first.
        await alerts?.catchUp();
        // In the background: a first prune of a large store takes a while, and answers go first.
        void prune();
        pruning = setInterval(() => void prune(), PRUNE_EVERY_MS).unref();
        poller?.start();
        pollingSince = Date.now();
        // Each platform whose token is set starts here, side by side.
        if (config.telegram) platforms.push(await startTelegram(config.telegram, platformDeps, telegramBot, { routes }));
        if (config.discord) platforms.push(await startDiscord(config.discord, platformDeps, options.discord));
        // After start-up checked the tokens; each sender resumes what a previous run left pending.
        for (const platform of platforms) if (platform.alerts && alerts) senders.push(alerts.startSender(platform.alerts));
      } catch (error) {
        await app.stop();
        throw error;
      }
    },
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
  return app;
}

/** The chart renderer, counting what it draws and what fails. */
function countedCharts(render: ChartRenderer, metrics: Metrics): ChartRenderer {
  return async (spec) => {
    try {
      const png = await render(spec);
      metrics.chart(true);
      return png;
    } catch (error) {
      metrics.chart(false);
      throw error;
    }
  };
}
