import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '@grammyjs/runner';
import { Api, type Bot, GrammyError, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { AlertTransport } from '../alerts/alertTransport.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { HttpRoutes, PlatformHealth, RunningPlatform } from '../commands/platformModule.js';
import type { Config } from '../config.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { ALLOWED_UPDATES, createTelegramBot } from './createTelegramBot.js';
import { telegramMenu } from './telegramMenu.js';
import { telegramLimits, telegramTransport } from './telegramTransport.js';

/** Webhook server limits: Telegram's updates are small and come over at most 40 connections by default. */
const MAX_UPDATE_BYTES = 1024 * 1024;
const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_WEBHOOK_CONNECTIONS = 100;

/** How long start-up may wait for the Bot API to answer getMe. */
const STARTUP_TIMEOUT_MS = 10_000;

export type TelegramConfig = NonNullable<Config['telegram']>;

export interface TelegramAdapter extends RunningPlatform {
  name: 'telegram';
  /** Ends polling, or closes the webhook server, once running handlers are done. */
  stop(): Promise<void>;
  /**
   * Sends alerts through an Api of its own, without the bot's auto-retry: the alert sender acts on
   * every 429 itself, which a transformer retrying underneath would hide. Its pace is the bot's
   * outgoing budget, shared with the answers, which go first.
   */
  alerts: AlertTransport;
  bot: Bot;
  /** The port the webhook server listens on (webhook mode); useful when 0 asked for any free one. */
  port?: number;
  /** Whether updates arrive: polling runs, or the webhook server listens. */
  health(): PlatformHealth;
}

export type { HttpRoutes };

export interface TelegramOptions {
  /** Served beside the webhook on its server (webhook mode only). */
  routes?: HttpRoutes;
  /**
   * Polling mode with several instances: polling waits for `lead.start()` (this instance took the
   * lead) and ends at `lead.stop()`, since Telegram refuses two getUpdates at once. `isLeader` tells
   * a 409 the new leader caused (nothing to do) from another bot polling with the token (fatal).
   * Unset: polling starts at once, as the only instance.
   */
  leader?: { isLeader(): boolean };
}

/**
 * Checks the token and the API root before anything else starts: one getMe, without the bot's
 * retries, within STARTUP_TIMEOUT_MS. Throws one line naming the variables and the cause (never
 * the token); resolves with who the bot is.
 */
export async function checkTelegram(config: TelegramConfig): Promise<UserFromGetMe> {
  const api = new Api(config.token, { apiRoot: config.apiRoot.replace(/\/+$/, '') });
  try {
    // grammY types its signal after the abort-controller polyfill; a native one works the same.
    return await api.getMe(AbortSignal.timeout(STARTUP_TIMEOUT_MS) as Parameters<Api['getMe']>[0]);
  } catch (error) {
    const safe = safeError(error, config.token);
    const cause = safe.cause ? ` (${safe.cause.replace(/^.*reason: /, '')})` : '';
    throw new Error(`Telegram: getMe failed, check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT: ${safe.message}${cause}`);
  }
}

/**
 * Starts the Telegram bot: checks the token (getMe, unless `botInfo` says who it is already),
 * publishes the "/" menu, then receives updates by long polling through the runner or, when a
 * webhook URL is set, on an HTTP server.
 */
export async function startTelegram(
  config: TelegramConfig,
  deps: PlatformDeps,
  botInfo?: UserFromGetMe,
  options: TelegramOptions = {},
): Promise<TelegramAdapter> {
  const { log } = deps;
  const me = botInfo ?? (await checkTelegram(config));
  // One outgoing budget for the token: answers and alerts together keep to Telegram's limits.
  const limiter = new RateLimiter(telegramLimits());
  // Only webhook updates can reach several instances; in polling mode one instance polls and
  // getUpdates' offset confirms each update, so no store write per update.
  const botDeps: PlatformDeps = config.webhook ? deps : { ...deps, firstTime: undefined };
  const bot = createTelegramBot({ token: config.token, apiRoot: config.apiRoot, botInfo: me, deps: botDeps, limiter });
  const menu = telegramMenu(deps.answers.commands);
  try {
    await bot.api.setMyCommands(menu);
  } catch (error) {
    // Commands work without the menu; a missing menu is no reason to stay offline.
    log.warn({ err: safeError(error, config.token) }, 'could not publish the Telegram command menu');
  }
  const lost = deps.lost && ((reason: string) => deps.lost?.('telegram', reason));
  const { leader } = options;
  let receiving: Receiving;
  let lead: RunningPlatform['lead'];
  if (config.webhook) receiving = await startWebhook(bot, config.webhook, config.token, log, options.routes);
  else if (!leader)
    receiving = await startPolling(bot, config.token, log, (reason) => {
      lost?.(reason);
      return true;
    });
  else ({ receiving, lead } = pollWhileLeading(bot, config.token, log, leader, lost));
  log.info({ bot: bot.botInfo.username, mode: config.webhook ? 'webhook' : 'polling', port: receiving.port }, 'Telegram bot started');
  // grammY refuses an API root with a trailing slash, as createTelegramBot knows too.
  const alerts = telegramTransport(new Api(config.token, { apiRoot: config.apiRoot.replace(/\/+$/, '') }), undefined, { limiter });
  return {
    name: 'telegram',
    bot,
    alerts,
    ...receiving,
    ...(lead ? { lead } : {}),
    setBudgetShare: (share) => limiter.setShare(share),
    holdSends: (ms) => limiter.pause(Date.now() + ms),
  };
}

/**
 * Long polling on the leader alone: started when this instance takes the lead, stopped when it
 * loses it; a follower is healthy without it (the leader polls).
 */
function pollWhileLeading(
  bot: Bot,
  token: string,
  log: Logger,
  leader: { isLeader(): boolean },
  lost?: (reason: string) => void,
): { receiving: Receiving; lead: NonNullable<RunningPlatform['lead']> } {
  let polling: Receiving | undefined;
  const ended = (reason: string): boolean => {
    // A 409 while no longer leading is the new leader's getUpdates ending ours: expected. (A paused
    // leader notices it no longer leads before anything else runs when it wakes: see Leadership.)
    if (!leader.isLeader()) {
      log.info('Telegram polling ended: another instance leads now');
      return false;
    }
    lost?.(reason);
    return true;
  };
  const lead: NonNullable<RunningPlatform['lead']> = {
    async start() {
      polling ??= await startPolling(bot, token, log, ended);
    },
    async stop() {
      const stopping = polling;
      polling = undefined;
      await stopping?.stop();
    },
  };
  return {
    receiving: {
      health: () => polling?.health() ?? { ok: true },
      stop: async () => {
        await polling?.stop();
        polling = undefined;
      },
    },
    lead,
  };
}

/** How updates arrive, whether they do, and how to stop them. */
interface Receiving {
  stop(): Promise<void>;
  health(): PlatformHealth;
  /** The port the webhook server listens on (webhook mode); useful when 0 asked for any free one. */
  port?: number;
}

/** `ended`: polling gave up; returning false says it is expected (not logged as fatal). */
async function startPolling(bot: Bot, token: string, log: Logger, ended?: (reason: string) => boolean): Promise<Receiving> {
  // getUpdates is refused (409) while a webhook is set, e.g. after running in webhook mode.
  await bot.api.deleteWebhook();
  const runner = run(bot, {
    // silent: the runner would print fetch errors to the console, token-bearing URLs included;
    // watchApi logs them safely instead.
    runner: { fetch: { allowed_updates: ALLOWED_UPDATES }, silent: true },
  });
  // The runner gives up only on errors a restart cannot fix: a revoked token (401) or another
  // instance polling with it (409).
  let gaveUp: string | undefined;
  runner.task()?.catch((error: unknown) => {
    const safe = safeError(error, token);
    // "409: Conflict: terminated by other getUpdates request"
    gaveUp = error instanceof GrammyError ? `${error.error_code}: ${error.description}` : safe.message;
    if (ended?.(`polling stopped (${gaveUp})`) !== false) log.fatal({ err: safe }, 'Telegram polling stopped');
  });
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop().catch(() => undefined);
    },
    health: () => (runner.isRunning() ? { ok: true } : { ok: false, reason: gaveUp ? `polling stopped (${gaveUp})` : 'polling stopped' }),
  };
}

async function startWebhook(
  bot: Bot,
  webhook: NonNullable<TelegramConfig['webhook']>,
  token: string,
  log: Logger,
  routes: HttpRoutes | undefined,
): Promise<Receiving> {
  // Without a configured secret, one is made up per start: setWebhook hands it to Telegram, and
  // requests without it (anyone who finds the URL) are refused with 401.
  const secret = webhook.secret ?? randomBytes(32).toString('base64url');
  const path = new URL(webhook.url).pathname;
  const handle = webhookCallback(bot, 'http', {
    secretToken: secret,
    // Telegram re-sends an update it gets no answer to in time; a slow (throttled) reply must not cause duplicates.
    onTimeout: 'return',
    timeoutMilliseconds: 9_000,
  });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== path) {
      if (!routes?.(req, res)) res.writeHead(404).end();
      return;
    }
    // Checked before the body is read: only Telegram knows the secret, and an update is a few KB.
    if (req.headers['x-telegram-bot-api-secret-token'] !== secret) {
      res.writeHead(401, { connection: 'close' }).end();
      return;
    }
    const length = Number(req.headers['content-length']);
    if (!(length <= MAX_UPDATE_BYTES)) {
      res.writeHead(Number.isNaN(length) ? 411 : 413, { connection: 'close' }).end();
      return;
    }
    handle(req, res).catch((error: unknown) => {
      // A body that is not an update; middleware errors never get here (the error boundary answers them).
      log.warn({ err: safeError(error, token) }, 'bad webhook request');
      if (!res.headersSent) res.writeHead(400);
      res.end();
    });
  });
  // Slow or idle clients cannot hold the server: Telegram sends a whole update at once.
  server.headersTimeout = WEBHOOK_TIMEOUT_MS;
  server.requestTimeout = WEBHOOK_TIMEOUT_MS;
  server.maxConnections = MAX_WEBHOOK_CONNECTIONS;
  server.listen(webhook.port, webhook.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    // "listen EADDRINUSE: address already in use :::8080"
    throw new Error(`Telegram: the webhook server cannot listen on PORT ${webhook.port}: ${(error as Error).message}`);
  }
  const port = (server.address() as AddressInfo).port;
  try {
    await bot.api.setWebhook(webhook.url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
  } catch (error) {
    server.close();
    throw new Error(`Telegram: setWebhook failed for TELEGRAM_WEBHOOK_URL (${safeError(error, token).message})`);
  }
  return {
    port,
    health: () => (server.listening ? { ok: true } : { ok: false, reason: 'the webhook server is not listening' }),
    // The webhook stays registered: Telegram keeps updates while the bot is down and delivers them on restart.
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}
