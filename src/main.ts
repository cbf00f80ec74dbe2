import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { commands } from '../commands/index.js';
import { alertsDbPath, createAlerts } from './alerts/createAlerts.js';
import type { AlertSender } from './alerts/alertSender.js';
import { startAlertSenders } from './alerts/startAlertSenders.js';
import type { CommandDeps } from './commands/runCommand.js';
import { ConfigError, loadConfig } from './config.js';
import { startConsole } from './console/startConsole.js';
import { type DiscordAdapter, startDiscord } from './discord/startDiscord.js';
import { openDrawStore } from './app/drawStore.js';
import { FeedPoller } from './feed/feedPoller.js';
import { createLogger } from './lib/log.js';
import type { RunningAdapter } from './runningAdapter.js';
import { startTelegram } from './telegram/startTelegram.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  // Console mode (no token) answers locally only: no logs to speak of, no polling, no alerts.
  const botRuns = Boolean(config.telegram || config.discord);
  const log = createLogger(config.logLevel ?? (botRuns ? 'info' : 'warn'));
  const store = await openDrawStore([join(config.dataDir, 'draws.json'), config.datasetFile]);
  const deps: CommandDeps = { data: store.current, clock: () => DateTime.utc(), log, commands };
  log.info({ rounds: store.current().draws.length, newest: store.current().newest.round }, 'dataset loaded');
  // New-draw alerts while a bot runs: subscriptions and the outbox live in DATA_DIR/alerts.sqlite.
  // Rounds the dataset gained while no alert was recorded (killed in between) are announced first.
  const alerts = botRuns
    ? createAlerts({ dbPath: alertsDbPath(config.dataDir), log, draws: () => store.current().draws })
    : undefined;
  if (alerts) {
    deps.subscriptions = alerts.subscriptions;
    alerts.catchUp();
  }
  // Live sync from IRCC's feed while a bot runs; genuinely new rounds go to the alerts.
  const poller = botRuns
    ? new FeedPoller({ url: config.feed.url, intervalMs: config.feed.pollIntervalMs, dataFile: join(config.dataDir, 'draws.json'), held: store.current, onDataset: store.update, log,
        onNewDraws: (draws) => {
          log.info({ rounds: draws.map((d) => d.round) }, 'new rounds published');
          alerts?.onNewDraws(draws);
        } })
    : undefined;
  if (poller) deps.status = poller.status;
  poller?.start();

  const adapters: RunningAdapter[] = [];
  // Each platform whose token is set starts here, side by side.
  if (config.telegram) adapters.push(await startTelegram(config.telegram, deps, log));
  let discord: DiscordAdapter | undefined;
  if (config.discord) adapters.push((discord = await startDiscord(config.discord, deps, log)));
  // After start-up checked the tokens; each sender resumes what a previous run left pending.
  const senders: AlertSender[] = alerts ? startAlertSenders(alerts, { telegram: config.telegram, discord: discord?.client.rest }) : [];

  if (adapters.length === 0) {
    await startConsole(deps, { input: process.stdin, output: process.stdout, prompt: process.stdin.isTTY });
    return;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Senders first: they use the adapters' Discord client; the database closes last.
    await Promise.allSettled([poller?.stop(), ...senders.map((s) => s.stop())]);
    await Promise.allSettled(adapters.map((a) => a.stop()));
    await alerts?.close().catch((error: unknown) => log.error({ err: error }, 'closing the alerts database failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The bot could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
