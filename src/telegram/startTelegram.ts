import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { run } from '@grammyjs/runner';
import { Api, type Bot, GrammyError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { AlertTransport } from '../alerts/alertTransport.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { HttpRoutes, PlatformHealth, RunningPlatform } from '../commands/platformModule.js';
import type { Config } from '../config.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { ALLOWED_UPDATES, createTelegramBot, type TelegramBot } from './createTelegramBot.js';
import { telegramMenu } from './telegramMenu.js';
import { telegramLimits, telegramTransport } from './telegramTransport.js';
import { webhookServer } from './webhookServer.js';

/** How long start-up may wait for the Bot API to answer getMe. */
const STARTUP_TIMEOUT_MS = 10_000;

/** How long a stop waits for the updates taken to be answered: within the app's 10 s, with room for the rest. */
const DRAIN_MS = 8_000;

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
  /** With `bot.inFlight`: the updates being handled. */
  bot: TelegramBot;
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
  /**
   * Polling: how long stop() (and lead.stop()) waits, once fetching has ended, for the updates
   * already taken to be answered; those left are given up and counted in the log. Default 8 s.
   */
  drainMs?: number;
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
  const onShed = () => deps.onShed?.('telegram');
  const bot = createTelegramBot({ token: config.token, apiRoot: config.apiRoot, botInfo: me, deps: botDeps, limiter, onShed });
  const menu = telegramMenu(deps.answers.commands);
  try {
    await bot.api.setMyCommands(menu);
  } catch (error) {
    // Commands work without the menu; a missing menu is no reason to stay offline.
    log.warn({ err: safeError(error, config.token) }, 'could not publish the Telegram command menu');
  }
  const lost = deps.lost && ((reason: string) => deps.lost?.('telegram', reason));
  const { leader, drainMs = DRAIN_MS } = options;
  let receiving: Receiving;
  let lead: RunningPlatform['lead'];
  if (config.webhook) receiving = await startWebhook(bot, config.webhook, config.token, log, options.routes);
  else if (!leader)
    receiving = await startPolling(bot, config.token, log, drainMs, (reason) => {
      lost?.(reason);
      return true;
    });
  else ({ receiving, lead } = pollWhileLeading(bot, config.token, log, drainMs, leader, lost));
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
  bot: TelegramBot,
  token: string,
  log: Logger,
  drainMs: number,
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
      polling ??= await startPolling(bot, token, log, drainMs, ended);
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
async function startPolling(
  bot: TelegramBot,
  token: string,
  log: Logger,
  drainMs: number,
  ended?: (reason: string) => boolean,
): Promise<Receiving> {
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
    // Fetching ends first; then the updates taken are answered, within the deadline.
    stop: async () => {
      const deadline = Date.now() + drainMs;
      // The open long poll is aborted. The runner's loop may be waiting for a free slot (500 updates
      // at once), which only the handlers free: not past the deadline.
      const fetching = runner.stop()?.catch(() => undefined);
      await beforeDeadline(fetching, deadline);
      const unanswered = await bot.inFlight.drain(deadline - Date.now());
      if (unanswered.length === 0) return;
      // The runner asks for the next batch as soon as it takes one, and that request's offset
      // confirms the batch to Telegram: an update given up now is lost, but for the last batch
      // taken while the runner was full, which Telegram will deliver again.
      const confirmed = bot.inFlight.confirmedBelow;
      const dropped = unanswered.filter((id) => id < confirmed).length;
      log.warn(
        { dropped, handedBack: unanswered.length - dropped, drainMs },
        'Telegram updates given up at stop: not answered within the deadline',
      );
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
  await bot.init();
  const { server, stop } = webhookServer({
    path: new URL(webhook.url).pathname,
    secret,
    handleUpdate: (update) => bot.handleUpdate(update),
    routes,
    onError: (error, message) => log.warn({ err: safeError(error, token) }, message),
  });
  server.listen(webhook.port, webhook.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    // "listen EADDRINUSE: address already in use :::8080"
    throw new Error(`Telegram: the webhook server cannot listen on PORT ${webhook.port}: ${(error as Error).message}`);
  }
  const port = (server.address() as AddressInfo).port;
  try {
    // No max_connections: Telegram's default (40) stays under the server's per-address cap.
    await bot.api.setWebhook(webhook.url, { secret_token: secret, allowed_updates: ALLOWED_UPDATES });
  } catch (error) {
    await stop();
    throw new Error(`Telegram: setWebhook failed for TELEGRAM_WEBHOOK_URL (${safeError(error, token).message})`);
  }
  return {
    port,
    health: () => (server.listening ? { ok: true } : { ok: false, reason: 'the webhook server is not listening' }),
    // The webhook stays registered: Telegram keeps updates while the bot is down and delivers them on restart.
    stop,
  };
}

/** Waits for `work` until `deadline` (ms since the epoch) at most. */
async function beforeDeadline(work: Promise<unknown> | undefined, deadline: number): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
  clearTimeout(timer);
}
