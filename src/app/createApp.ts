import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { commands } from '../../commands/index.js';
import type { AlertSender } from '../alerts/alertSender.js';
import { type Alerts, createAlerts } from '../alerts/createAlerts.js';
import type { ChartRenderer } from '../charts/chartRenderer.js';
import { type ChartThread, createChartThread } from '../charts/createChartThread.js';
import { type Answers, createAnswers } from '../commands/createAnswers.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { PlatformModule, RunningPlatform } from '../commands/platformModule.js';
import type { CommandDeps } from '../commands/runCommand.js';
import type { Config } from '../config.js';
import { startConsole } from '../console/startConsole.js';
import type { HandlerOptions } from '../discord/handleInteraction.js';
import type { DatasetStore } from '../domain/datasetStore.js';
import { FeedPoller, type SyncStatus } from '../feed/feedPoller.js';
import { longestPollDelay } from '../feed/pollSchedule.js';
import { keyHashes } from '../lib/hashId.js';
import { createLogger, type Logger } from '../lib/log.js';
import { sleep } from '../lib/sleep.js';
import type { Stores } from '../storage/storage.js';
import { checkHealth, type HealthReport } from './checkHealth.js';
import { createMetrics, type Metrics } from './createMetrics.js';
import { openDrawStore, openDrawStoreFrom } from './drawStore.js';
import { type DatasetFollower, encodeSyncStatus, followDataset, SYNC_STATUS_KEY } from './followDataset.js';
import { type HealthServer, healthRoutes, startHealthServer } from './healthServer.js';
import { DEFAULT_LEASE_TTL_MS, Leadership } from './leadership.js';
import { type OpenedStorage, openStorage } from './openStorage.js';
import { platformModules } from './platforms.js';

/** How long stop() may take at most, whatever the platforms' APIs do. */
const STOP_DEADLINE_MS = 10_000;
/** Settled deliveries are kept this long (RETENTION_DAYS), then pruned: every few hours. */
const DEFAULT_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 6 * 3_600_000;
const PRUNE_BATCH = 500;
/** Telegram redelivers an update for up to a day: the ids taken are kept twice that. */
const SEEN_UPDATES_MS = 2 * 86_400_000;

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
  /** The platforms known (default: platformModules(), every one this bot has). */
  platforms?: PlatformModule[];
  /** How often the leader renews its lease (default a quarter of LEASE_TTL) and a follower looks for a new dataset (default 1 s). */
  leaseRenewMs?: number;
  datasetRefreshMs?: number;
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
  /** What GET /healthz answers: every platform connected, the feed polled lately, the role. */
  health(): HealthReport;
  /** Whether this instance leads: polls the feed and sends the alerts (a bot on SQLite always does once started). */
  isLeader(): boolean;
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
 * The only place besides the entry points that knows the platforms (as a list of modules). The
 * tokens are checked first (within 10 s each, one line naming the variables when refused): until
 * then nothing is written in the store and the feed is not polled.
 *
 * Roles: every instance answers; the leader alone (the holder of the lease in the store, see
 * Leadership) polls the feed, announces rounds, sends and edits the alerts and, in Telegram's
 * polling mode, receives the updates. On SQLite the one process always leads.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const enabled = (options.platforms ?? platformModules(options)).flatMap((module) => {
    const platformConfig = module.configOf(config);
    return platformConfig === undefined ? [] : [{ module, config: platformConfig }];
  });
  const bot = enabled.length > 0;
  // Console mode answers locally only: no logs to speak of, no polling, no alerts.
  const log = options.log ?? createLogger(config.logLevel ?? (bot ? 'info' : 'warn'));
  const checked = await Promise.all(enabled.map(({ module, config: platformConfig }) => module.check(platformConfig)));
  const dataFile = join(config.dataDir, 'draws.json');
  // The console writes nothing in the store.
  const opened: OpenedStorage | undefined = bot ? await openStorage(config, log) : undefined;
  const storage = opened?.storage;
  const shared = storage?.engine === 'postgres';
  const runtimeDataset = shared ? storage.dataset : undefined;
  let store: Awaited<ReturnType<typeof openDrawStore>>;
  /** The install's secret: it keys the log hashes and, hashed, starts the delivery keys. */
  let secret = '';
  try {
    if (opened) {
      secret = await opened.storage.secret();
      keyHashes(secret);
      log.info({ storage: opened.where, instance: opened.instance.slice(0, 8) }, 'storage opened');
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
  /** When this instance started (ms since the epoch): the feed's health counts from there until a first success. */
  let startedAt: number | undefined;

  // The leader lease: on SQLite taken at once (DATA_DIR's lock already makes this the only instance).
  const leadership: Leadership | undefined = opened
    ? new Leadership({
        leases: opened.storage.leases,
        holder: opened.instance,
        exclusive: opened.exclusive,
        ttlMs: config.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
        renewEveryMs: options.leaseRenewMs,
        log,
        onLead: (epoch) => lead(epoch),
        onFollow: () => follow(),
        onRenewal: (ok) => metrics?.leaseRenewal(ok),
        onFailover: () => metrics?.failover(),
        onInstances: () => shareBudget(),
      })
    : undefined;
  const isLeader = () => leadership?.isLeader ?? false;

  // Metrics while a bot runs, served with /healthz on HEALTH_PORT and the webhook server.
  const metrics: Metrics | undefined = bot
    ? createMetrics({
        pendingAlerts: () =>
          Promise.all(senders.map(async (sender) => [sender.platform, await alerts!.outbox.pendingCount(sender.platform)] as const)),
        feedAgeSeconds: () => {
          const status = syncStatus();
          if (!status || startedAt === undefined) return undefined;
          return (Date.now() - (status.lastSuccessAt?.getTime() ?? startedAt)) / 1000;
        },
        platformsUp: () => Object.entries(health().platforms).map(([name, state]) => [name, state === 'ok'] as const),
        leader: isLeader,
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
        leader: leadership && { isLeader, fence: leadership.fence },
        onClaimsTakenOver: metrics?.claimsTakenOver,
      })
    : undefined;
  // Live sync from IRCC's feed, on the leader; genuinely new rounds go to the alerts. No
  // POLL_INTERVAL: the adaptive schedule (a minute in draw hours, ten minutes otherwise).
  const poller = bot
    ? new FeedPoller({
        url: config.feed.url,
        intervalMs: config.feed.pollIntervalMs,
        ...(runtimeDataset && leadership ? { dataset: fencedDataset(runtimeDataset, opened!.storage, leadership.fence) } : { dataFile }),
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
        onPoll: (outcome) => {
          metrics?.poll(outcome);
          // For the followers' /about and /healthz: they do not poll.
          if (shared) storage.state.set(SYNC_STATUS_KEY, encodeSyncStatus(poller!.status())).catch(() => undefined);
        },
      })
    : undefined;
  // Followers on PostgreSQL: the dataset the leader merges, within about a second.
  const follower: DatasetFollower | undefined =
    shared && storage
      ? followDataset({
          dataset: storage.dataset,
          state: storage.state,
          onDataset: (dataset) => store.update(dataset),
          log,
          everyMs: options.datasetRefreshMs,
        })
      : undefined;
  /**
   * The live sync's status: this instance's while it leads (once it has polled), else the leader's
   * as it left it in the store.
   */
  const syncStatus = (): SyncStatus | undefined => {
    const own = poller?.status();
    if (!follower || (isLeader() && own?.lastSuccessAt)) return own;
    return follower.status() ?? own;
  };

  /** Every platform the config starts, connected or not (yet); the feed, three intervals at most since its last success; the role. */
  function health(): HealthReport {
    const status = syncStatus();
    return checkHealth({
      platforms: enabled.map(({ module }) => {
        const running = platforms.find((platform) => platform.name === module.name);
        return { name: module.name, health: running ? () => running.health() : undefined };
      }),
      feed:
        status && startedAt !== undefined
          ? { status, intervalMs: longestPollDelay({ intervalMs: config.feed.pollIntervalMs }), startedAt }
          : undefined,
      now: Date.now(),
      role: leadership?.status(),
      leaderlessMs: 3 * (config.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS),
    });
  }

  const deps: CommandDeps = {
    data: store.current,
    clock: options.clock ?? (() => DateTime.utc()),
    log,
    commands,
    status: bot ? () => syncStatus() ?? { lastSuccessAt: null, lastError: null, nextPollAt: null } : undefined,
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
    // Webhook updates may reach any instance, and Telegram redelivers: each is answered once.
    firstTime: storage && ((key) => storage.updates.first(key, Date.now())),
    onShed: metrics?.shed,
  };
  // /healthz and /metrics, on HEALTH_PORT and on Telegram's webhook server.
  const routes = metrics ? healthRoutes(health, metrics, log) : undefined;

  let stopped: Promise<void> | undefined;
  let pruning: NodeJS.Timeout | undefined;
  /** Settled deliveries past the retention go, and webhook update ids past redelivery; a failure is logged and tried again later. */
  async function prune(): Promise<void> {
    if (!opened) return;
    const days = config.retentionDays ?? DEFAULT_RETENTION_DAYS;
    try {
      const before = Date.now() - days * 86_400_000;
      let pruned = 0;
      // In batches, with a turn of the event loop between them: a first prune of a large store must
      // not hold answers up (SQLite runs on this thread).
      for (let batch = PRUNE_BATCH; batch === PRUNE_BATCH && !stopped && isLeader(); ) {
        batch = await opened.storage.deliveries.prune(before, PRUNE_BATCH);
        pruned += batch;
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (let batch = PRUNE_BATCH; batch === PRUNE_BATCH && !stopped && isLeader(); ) {
        batch = await opened.storage.updates.prune(Date.now() - SEEN_UPDATES_MS, PRUNE_BATCH);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (pruned > 0)
        log.info({ deliveries: pruned, retentionDays: days }, `pruned ${pruned} settled alert deliveries older than ${days} days`);
    } catch (error) {
      log.error({ err: error }, 'pruning old alert deliveries failed; trying again later');
    }
  }

  /**
   * Each token's budget: with N instances all answering (webhooks, gateway shards), 1/N each, so
   * that together they keep to the platform's limits; the whole of it where the leader alone talks
   * to the platform (Telegram's long polling).
   */
  function shareBudget(): void {
    const instances = leadership?.status().instances ?? 1;
    for (const { module, config: platformConfig } of enabled) {
      const share = module.everyInstanceAnswers(platformConfig) ? 1 / instances : 1;
      platforms.find((platform) => platform.name === module.name)?.setBudgetShare?.(share);
    }
  }

  /** This instance took the lead: catch up, then poll, send and receive what only the leader does. */
  async function lead(epoch: number): Promise<void> {
    if (stopped) return;
    await follower?.stop();
    // Claims a leader gone left (killed with requests on the wire) are released and those alerts go
    // again; rounds the dataset gained while no alert was recorded are announced.
    await alerts?.catchUp();
    void prune();
    pruning = setInterval(() => void prune(), PRUNE_EVERY_MS).unref();
    poller?.start();
    for (const platform of platforms) {
      await platform.lead?.start();
      if (platform.alerts && alerts) senders.push(alerts.startSender(platform.alerts));
    }
    shareBudget();
    log.info({ epoch }, 'leading: polling the feed and sending the alerts');
  }

  /** The lead is lost (or given up): nothing more is sent; requests in flight finish. */
  async function follow(): Promise<void> {
    clearInterval(pruning);
    await Promise.allSettled([poller?.stop(), alerts?.close(), ...platforms.map((platform) => platform.lead?.stop())]);
    senders.length = 0;
    if (!stopped) follower?.start();
    shareBudget();
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
    // The lead first (live sync, alert senders and editors, Telegram's polling: no new work, requests
    // in flight finish), given up so that another instance leads at once; before the platforms,
    // whose clients Discord's senders use.
    await step('live sync and alert senders', Promise.allSettled([leadership?.stop() ?? follow(), follower?.stop()]));
    await step('platforms', Promise.allSettled(platforms.map((platform) => platform.stop())));
    await step(
      'chart thread',
      charts.close().catch((error: unknown) => log.warn({ err: error }, 'closing the chart thread failed')),
    );
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
    isLeader,
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
        // Each platform whose token is set starts here, one after the other; all answer at once.
        for (const [i, { module, config: platformConfig }] of enabled.entries()) {
          platforms.push(
            await module.start(
              platformConfig,
              {
                deps: platformDeps,
                routes,
                isLeader,
                shared,
                installSecret: (purpose) => createHash('sha256').update(`${purpose}:${secret}`).digest('base64url'),
              },
              checked[i],
            ),
          );
        }
        follower?.start();
        startedAt = Date.now();
        // Leads at once if nobody does (always on SQLite), else follows and looks again every few seconds.
        await leadership?.start();
        shareBudget();
        // Among other answering instances, a newcomer sends nothing until they have counted it (their
        // next heartbeat) and taken their smaller share: together they never pass the token's budget.
        if (leadership && shared && leadership.status().instances > 1) {
          for (const { module, config: platformConfig } of enabled) {
            if (module.everyInstanceAnswers(platformConfig))
              platforms.find((platform) => platform.name === module.name)?.holdSends?.(leadership.renewEvery + 500);
          }
        }
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

/**
 * The live sync's dataset row, written behind the leader's fence: a leader that lost its lease
 * (paused while another took over) cannot replace the newer dataset with its older one.
 */
function fencedDataset(dataset: DatasetStore, storage: OpenedStorage['storage'], fence: (stores: Stores) => Promise<void>): DatasetStore {
  return {
    name: dataset.name,
    read: () => dataset.read(),
    version: () => dataset.version?.() ?? Promise.resolve(undefined),
    write: (next) =>
      storage.transaction(async (stores) => {
        await fence(stores);
        await stores.dataset.write(next);
      }),
  };
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
