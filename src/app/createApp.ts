import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { commands } from '../../commands/index.js';
import type { AlertSender } from '../alerts/alertSender.js';
import type { AlertTransport } from '../alerts/alertTransport.js';
import { type Alerts, alertsDbPath, createAlerts } from '../alerts/createAlerts.js';
import { type ChartThread, createChartThread } from '../charts/createChartThread.js';
import { type Answers, createAnswers } from '../commands/createAnswers.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { CommandDeps } from '../commands/runCommand.js';
import type { Config } from '../config.js';
import { startConsole } from '../console/startConsole.js';
import type { HandlerOptions } from '../discord/handleInteraction.js';
import { checkDiscord, startDiscord } from '../discord/startDiscord.js';
import { FeedPoller } from '../feed/feedPoller.js';
import { createLogger, type Logger } from '../lib/log.js';
import { checkTelegram, startTelegram } from '../telegram/startTelegram.js';
import { openDrawStore } from './drawStore.js';

/** A started platform, as the app keeps it: how to stop it, and its alert transport if it has one. */
interface RunningPlatform {
  name: string;
  stop(): Promise<void>;
  alerts?: AlertTransport;
}

export interface AppOptions {
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
  /**
   * Starts what the config asks for: the bots, with live sync and alerts; or else the console,
   * resolving when its input ends. A start that fails stops what it had started, then throws.
   */
  start(): Promise<void>;
  /**
   * Stops in order: the live sync and the alert senders (no new work; requests in flight finish),
   * the platforms (answers in progress finish), the chart thread, the alerts database. Idempotent.
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
  const store = await openDrawStore([dataFile, config.datasetFile]);
  log.info({ rounds: store.current().draws.length, newest: store.current().newest.round }, 'dataset loaded');

  // New-draw alerts while a bot runs: subscriptions and the outbox live in DATA_DIR/alerts.sqlite.
  const alerts: Alerts | undefined = bot
    ? createAlerts({ dbPath: alertsDbPath(config.dataDir), log, draws: () => store.current().draws })
    : undefined;
  // Live sync from IRCC's feed while a bot runs; genuinely new rounds go to the alerts.
  const poller = bot
    ? new FeedPoller({
        url: config.feed.url,
        intervalMs: config.feed.pollIntervalMs,
        dataFile,
        held: store.current,
        onDataset: store.update,
        log,
        onNewDraws: (draws) => {
          log.info({ rounds: draws.map((d) => d.round) }, 'new rounds published');
          alerts?.onNewDraws(draws);
        },
      })
    : undefined;

  const deps: CommandDeps = {
    data: store.current,
    clock: options.clock ?? (() => DateTime.utc()),
    log,
    commands,
    status: poller?.status,
    subscriptions: alerts?.subscriptions,
  };
  const answers = createAnswers(deps);
  const charts = options.charts ?? createChartThread();
  const platformDeps: PlatformDeps = { answers, log, renderChart: charts.render };

  const platforms: RunningPlatform[] = [];
  const senders: AlertSender[] = [];
  let stopped: Promise<void> | undefined;

  async function stopAll(): Promise<void> {
    // Senders before the platforms: Discord's use the platform's client.
    await Promise.allSettled([poller?.stop(), ...senders.map((sender) => sender.stop())]);
    await Promise.allSettled(platforms.map((platform) => platform.stop()));
    await charts.close().catch((error: unknown) => log.warn({ err: error }, 'closing the chart thread failed'));
    await alerts?.close().catch((error: unknown) => log.error({ err: error }, 'closing the alerts database failed'));
  }

  const app: App = {
    deps,
    answers,
    bot,
    async start() {
      if (!bot) {
        const io = options.console ?? { input: process.stdin, output: process.stdout, prompt: process.stdin.isTTY };
        await startConsole(platformDeps, io);
        return;
      }
      try {
        // Rounds the dataset gained while no alert was recorded (killed in between) are announced first.
        alerts?.catchUp();
        poller?.start();
        // Each platform whose token is set starts here, side by side.
        if (config.telegram) platforms.push(await startTelegram(config.telegram, platformDeps, telegramBot));
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
