import { setTimeout as sleep } from 'node:timers/promises';
import { workerData } from 'node:worker_threads';
import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  Options,
  REST,
  RESTEvents,
  type RESTOptions,
  Routes,
  Status,
  type User,
} from 'discord.js';
import type { AlertTransport } from '../alerts/alertTransport.js';
import type { PlatformDeps } from '../commands/platformDeps.js';
import type { PlatformHealth, RunningPlatform } from '../commands/platformModule.js';
import type { Config } from '../config.js';
import type { Logger } from '../lib/log.js';
import { RateLimiter } from '../lib/rateLimiter.js';
import { safeError } from '../lib/safeError.js';
import { discordLimits, discordTransport } from './discordTransport.js';
import { type HandlerOptions, handleInteraction } from './handleInteraction.js';
import { syncCommands } from './registerCommands.js';
import { slashCommands } from './slashCommands.js';

export type DiscordConfig = NonNullable<Config['discord']>;

export interface DiscordAdapter extends RunningPlatform {
  name: 'discord';
  /** Disconnects from the gateway, then lets answers in progress finish. */
  stop(): Promise<void>;
  /** Alerts as channel messages through discord.js' REST (the client's, or with `gatewayOnLead` the adapter's), which keeps Discord's rate limits. */
  alerts: AlertTransport;
  /** The gateway's client: with `gatewayOnLead`, a new one each lead (a destroyed Client cannot log in again). */
  readonly client: Client;
  /** Whether the gateway is connected: every shard ready (with `gatewayOnLead`, ok on a follower: the leader answers). */
  health(): PlatformHealth;
}

export interface DiscordOptions extends HandlerOptions {
  /**
   * Several instances, each of which would hold every shard (no SHARD_IDS, no ShardingManager):
   * Discord delivers an interaction to every session holding its shard, so all would answer it. The
   * gateway then starts connecting at `lead.start()` (this instance took the lead), with a new
   * client each time, and closes at `lead.stop()`; a login that fails is `lost`. Alerts and the
   * command check go through a REST client of the adapter's own, ready from the start. Unset: the
   * gateway connects at once.
   */
  gatewayOnLead?: boolean;
}

/** How long start-up may wait for Discord's API to say who the token belongs to. */
const STARTUP_TIMEOUT_MS = 10_000;

/**
 * Checks the token and DISCORD_API_URL before anything else starts: one GET /users/@me, without
 * retries, within STARTUP_TIMEOUT_MS. Throws one line naming the variables and the cause (never
 * the token).
 */
export async function checkDiscord(config: DiscordConfig): Promise<void> {
  const rest = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}), timeout: STARTUP_TIMEOUT_MS, retries: 0 }).setToken(
    config.token,
  );
  try {
    await rest.get(Routes.user());
  } catch (error) {
    const safe = safeError(error, config.token);
    const why = safe.status ? `${safe.status} ${safe.message}` : `${safe.message}${safe.cause ? ` (${safe.cause})` : ''}`;
    throw new Error(`Discord: the API refused or did not answer, check DISCORD_TOKEN and DISCORD_API_URL: ${why}`);
  }
}

/**
 * How long stop() lets answers already being written finish (a deferred one is edited in): within the
 * app's 10 s stop deadline, with room for what stops before the platforms.
 */
const DRAIN_MS = 8000;
/** How long stopping waits for a login in progress (shards still identifying) to end before it goes on. */
const CLOSE_WAIT_MS = 10_000;

const keepSelf = { maxSize: 0, keepOverLimit: (user: User) => user.id === user.client.user?.id };

/**
 * The bot only answers interactions, which carry everything it needs. So it caches nothing it can
 * avoid: no messages, members, users, presences, emojis… Guilds, channels and roles stay, as
 * discord.js needs them (and GUILD_CREATE brings them anyway).
 */
function makeCache() {
  return Options.cacheWithLimits({
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    EntitlementManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildForumThreadManager: 0,
    GuildInviteManager: 0,
    GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user?.id },
    GuildMessageManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    GuildTextThreadManager: 0,
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    StageInstanceManager: 0,
    ThreadManager: 0,
    ThreadMemberManager: 0,
    UserManager: keepSelf,
    VoiceStateManager: 0,
  });
}

/**
 * Whether discord.js' ShardingManager started this process: it hands each process its shards in
 * SHARDS and SHARD_COUNT (the environment, or workerData in worker mode), which the client reads
 * only when no `shards` option is given.
 */
export function managedShards(data: unknown = workerData ?? process.env): boolean {
  return typeof data === 'object' && data !== null && 'SHARDS' in data;
}

function shardOptions(config: DiscordConfig): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (config.shards) return { shards: config.shards.ids, shardCount: config.shards.count };
  return managedShards() ? {} : { shards: 'auto' };
}

/** `rest` overrides REST options beyond the API URL (the benchmark stubs requests with it). */
export function createDiscordClient(config: DiscordConfig, rest: Partial<RESTOptions> = {}): Client {
  return new Client({
    // Discord requires sharding from 2,500 servers: 'auto' connects as many shards as Discord
    // recommends (GET /gateway/bot), one until then. Under a ShardingManager, the shards it assigns.
    // SHARD_COUNT / SHARD_IDS: this instance's share, the other instances running the rest.
    ...shardOptions(config),
    // Slash commands need no privileged intent, and no message content.
    intents: [GatewayIntentBits.Guilds],
    makeCache: makeCache(),
    sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3600, lifetime: 600 } },
    allowedMentions: { parse: [] },
    // Embeds and choices are built in Discord's own shape (snake_case) already; discord.js's deep
    // key conversion would only cost time on every answer.
    jsonTransformer: (value) => value,
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), ...rest },
  });
}

/** Answers every interaction the client receives; the set holds those still being answered. */
export function serveInteractions(client: Client, deps: PlatformDeps, options: HandlerOptions = {}): Set<Promise<void>> {
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    const answering = handleInteraction(interaction, deps, options).finally(() => inFlight.delete(answering));
    inFlight.add(answering);
  });
  return inFlight;
}

function watch(client: Client, log: Logger, stopping: () => boolean, lost?: (reason: string) => void): void {
  client.once(Events.ClientReady, (ready) =>
    log.info(
      { user: ready.user.id, guilds: ready.guilds.cache.size, shards: ready.options.shards, shardCount: ready.options.shardCount },
      'discord ready',
    ),
  );
  client.on(Events.Error, (error) => log.error({ err: safeError(error) }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord warning'));
  client.on(Events.ShardError, (error, shard) => log.warn({ err: safeError(error), shard }, 'discord gateway error'));
  client.on(Events.ShardDisconnect, (event, shard) => {
    if (stopping()) return;
    // discord.js gives up only on what reconnecting cannot fix: an invalid token, intents not allowed.
    log.fatal({ code: event.code, shard }, 'discord gateway closed for good');
    lost?.(`gateway closed for good (code ${event.code})`);
  });
  client.on(Events.Invalidated, () => {
    log.fatal('discord session invalidated');
    lost?.('session invalidated');
  });
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopping()) log.info({ shard }, 'discord gateway reconnecting');
  });
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'discord gateway resumed'));
  watchRest(client.rest, log);
}

function watchRest(rest: REST, log: Logger): REST {
  // The route is the bucket's pattern (":token"), never the URL, which would hold an interaction token.
  rest.on(RESTEvents.RateLimited, (info) =>
    log.warn(
      { route: info.route, method: info.method, retryAfter: info.retryAfter, global: info.global, scope: info.scope },
      'discord rate limit',
    ),
  );
  return rest;
}

/** One gateway connection's client, answering what it receives; `inFlight`: answers still being written. */
interface Gateway {
  client: Client;
  inFlight: Set<Promise<void>>;
  /** Its login, settled (never rejects) once every shard is ready or the login failed. */
  login?: Promise<void>;
  closing: boolean;
}

/**
 * Connects the bot to Discord (at once, or with `gatewayOnLead` at each `lead.start()`): answers
 * slash commands and autocomplete, and registers the commands again when their definitions
 * changed. The returned stop() disconnects from the gateway, then lets answers in progress finish.
 */
export async function startDiscord(config: DiscordConfig, deps: PlatformDeps, options: DiscordOptions = {}): Promise<DiscordAdapter> {
  const { gatewayOnLead = false, ...handlerOptions } = options;
  const { log } = deps;
  // Built first: a bad definition stops start-up before the bot shows up online.
  const definitions = slashCommands(deps.answers.commands);
  // One outgoing budget for the token: answers' edits and alerts, answers first.
  const limiter = handlerOptions.limiter ?? new RateLimiter(discordLimits());
  const lost = deps.lost && ((reason: string) => deps.lost?.('discord', reason));
  let stopping = false;
  const gateway = (): Gateway => {
    const client = createDiscordClient(config);
    const connection: Gateway = { client, inFlight: new Set(), closing: false };
    watch(client, log, () => stopping || connection.closing, lost);
    connection.inFlight = serveInteractions(client, deps, { ...handlerOptions, limiter });
    return connection;
  };
  const close = async (connection: Gateway) => {
    connection.closing = true;
    // Destroyed while its login still fetches the gateway's address, a client would open the shards
    // anyway (discord.js closes only those that exist): a login in progress is let finish first, and
    // the client closes then, however long that takes; this waits for it up to CLOSE_WAIT_MS.
    const closed = (async () => {
      await connection.login;
      await connection.client.destroy();
    })();
    await Promise.race([closed, sleep(CLOSE_WAIT_MS, undefined, { ref: false })]);
    await Promise.race([Promise.allSettled([...connection.inFlight]), sleep(DRAIN_MS, undefined, { ref: false })]);
  };

  let current = gateway();
  if (!gatewayOnLead) await current.client.login(config.token);
  // A client's REST loses its token when the client is destroyed: with gatewayOnLead, alerts and the
  // command check use one that lives as long as the adapter.
  const rest = gatewayOnLead ? watchRest(createDiscordRest(config), log) : current.client.rest;
  const scope = { applicationId: config.applicationId, guildId: config.guildId };
  try {
    const outcome = await syncCommands(rest, scope, definitions);
    log.info({ commands: definitions.length, scope: config.guildId ? 'guild' : 'global', outcome }, 'discord commands checked');
  } catch (error) {
    // The bot still answers the commands Discord holds; `npm run register` reports the cause.
    log.error({ err: safeError(error) }, 'discord commands could not be registered');
  }

  let leading = false;
  const lead: NonNullable<RunningPlatform['lead']> = {
    async start() {
      if (leading || stopping) return;
      // A destroyed discord.js Client cannot log in again (its gateway stays destroyed): a new one.
      if (current.login) current = gateway();
      leading = true;
      const connection = current;
      // Not awaited: login resolves once every shard is READY, about 5 s apart past the first
      // (Discord's identify limit), while the lease waits for lead.start() to renew.
      connection.login = connection.client.login(config.token).then(
        () => undefined,
        (error: unknown) => {
          if (connection.closing || stopping) return;
          const safe = safeError(error, config.token);
          log.error({ err: safe }, 'discord gateway login failed');
          lost?.(`gateway login failed (${safe.message})`);
        },
      );
    },
    async stop() {
      if (!leading) return;
      leading = false;
      await close(current);
      log.info('discord gateway closed: no longer leading');
    },
  };

  return {
    name: 'discord',
    get client() {
      return current.client;
    },
    alerts: discordTransport(rest, limiter),
    health: () => (gatewayOnLead && !leading ? { ok: true } : gatewayHealth(current.client)),
    setBudgetShare: (share) => limiter.setShare(share),
    holdSends: (ms) => limiter.pause(Date.now() + ms),
    ...(gatewayOnLead ? { lead } : {}),
    async stop() {
      stopping = true;
      leading = false;
      if (!current.closing) await close(current);
    },
  };
}

/** A REST client for the token alone, without a gateway (no login needed). */
function createDiscordRest(config: DiscordConfig): REST {
  return new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
}

const statusName = (status: Status): string => (Status[status] ?? String(status)).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();

/** Ready when the client became ready and every shard is connected now (a reconnect is "connecting"). */
export function gatewayHealth(client: Client): PlatformHealth {
  const shards = [...client.ws.shards.values()];
  const down = shards.filter((shard) => shard.status !== Status.Ready);
  if (client.ws.status === Status.Ready && down.length === 0) return { ok: true };
  const detail =
    down.length > 0 ? down.map((shard) => `shard ${shard.id} ${statusName(shard.status)}`).join(', ') : statusName(client.ws.status);
  return { ok: false, reason: `gateway not ready (${detail})` };
}
