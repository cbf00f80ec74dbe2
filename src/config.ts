import { workerData } from 'node:worker_threads';
import { z } from 'zod';
import { IRCC_FEED_URL } from './feed/readSource.js';

/** An empty `NAME=` line in .env means "not set", as people expect. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const UNIT_SECONDS = { h: 3600, m: 60, s: 1 } as const;

/** "300" (seconds), "90s", "5m", "1h", "1m30s", "1h 30m" -> seconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const compact = text.toLowerCase().replace(/\s+/g, '');
  if (/^\d+$/.test(compact)) return Number(compact);
  if (!/^(?:\d+[hms])+$/.test(compact)) return undefined;
  let seconds = 0;
  const seen = new Set<string>();
  for (const [, value, unit] of compact.matchAll(/(\d+)([hms])/g)) {
    if (seen.has(unit!)) return undefined;
    seen.add(unit!);
    seconds += Number(value) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  }
  return seconds;
}

const pollInterval = z.string().transform((text, ctx) => {
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a number of seconds or a duration such as 90s, 5m, 1h or 1m30s' });
    return z.NEVER;
  }
  if (seconds < 1 || seconds > 86_400) {
    ctx.addIssue({ code: 'custom', message: 'must be between 1 second and 24 hours' });
    return z.NEVER;
  }
  return seconds;
});

/** IRCC's feed lives on canada.ca; polling it more than once a minute is impolite and useless. */
export function isIrccHost(url: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === 'canada.ca' || host.endsWith('.canada.ca');
}

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(1, PORT_MESSAGE).max(65535, PORT_MESSAGE);

/** Discord's own ceiling is far higher; this one keeps a typo from opening a million connections. */
const MAX_SHARDS = 10_000;
const SHARD_COUNT_MESSAGE = `must be a whole number of shards from 1 to ${MAX_SHARDS}, e.g. 2`;
const SHARD_IDS_FORM = 'e.g. 0,1 or 2-3 or 0-3,7';

/** "0,1", "2-3", "0-3,7" -> the shard ids in order; spaces allowed. Bounds against SHARD_COUNT come later. */
const shardIds = z.string().transform((text, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const item of text.replace(/\s+/g, '').split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!range) return fail(`must list shard ids and ranges separated by commas, ${SHARD_IDS_FORM}`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to >= MAX_SHARDS) return fail(`shard ids run below ${MAX_SHARDS} at most, ${SHARD_IDS_FORM}`);
    if (to < from) return fail(`the range ${from}-${to} runs backwards; write it low to high, e.g. ${to}-${from}`);
    for (let id = from; id <= to; id++) {
      if (seen.has(id)) return fail(`lists shard ${id} twice; name each shard once, ${SHARD_IDS_FORM}`);
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
});

/**
 * Whether discord.js' ShardingManager started this process: it sets SHARDS and its own SHARD_COUNT
 * in the environment (or in workerData, in worker mode), and those shards are the ones to run.
 */
function startedBySharder(env: NodeJS.ProcessEnv, data: unknown = workerData): boolean {
  return 'SHARDS' in env || (typeof data === 'object' && data !== null && 'SHARDS' in data);
}

const envSchema = z.object({
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  DATASET_FILE: optional(z.string()),
  DATA_DIR: optional(z.string()),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC-DEF… as BotFather gives it')),
  TELEGRAM_API_ROOT: optional(z.url({ protocol: /^https?$/ })),
  TELEGRAM_WEBHOOK_URL: optional(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })),
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and -')),
  PORT: optional(port),
  WEBHOOK_HOST: optional(z.string().min(1).max(255)),
  DISCORD_TOKEN: optional(z.string().min(20, 'looks too short to be a bot token')),
  DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be the numeric application ID')),
  DISCORD_GUILD_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be a numeric server ID')),
  DISCORD_API_URL: optional(z.url({ protocol: /^https?$/ })),
  SHARD_COUNT: optional(
    z.coerce
      .number({ error: SHARD_COUNT_MESSAGE })
      .int(SHARD_COUNT_MESSAGE)
      .min(1, SHARD_COUNT_MESSAGE)
      .max(MAX_SHARDS, SHARD_COUNT_MESSAGE),
  ),
  SHARD_IDS: optional(shardIds),
  FEED_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })),
  POLL_INTERVAL: optional(pollInterval),
  HEALTH_PORT: optional(port),
  DATABASE_URL: optional(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL, e.g. postgres://bot:secret@db.example:5432/eebot' }),
  ),
  RETENTION_DAYS: optional(
    z.coerce
      .number({ error: 'must be a whole number of days, e.g. 90' })
      .int('must be a whole number of days, e.g. 90')
      .min(14, 'must be at least 14 days, so that a corrected round can still edit its alerts')
      .max(3650, 'must be at most 3650 days'),
  ),
  LEASE_TTL: optional(
    z.string().transform((text, ctx) => {
      const seconds = parseDuration(text);
      if (seconds === undefined || seconds < 3 || seconds > 60) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration from 3s to 60s, e.g. 10s' });
        return z.NEVER;
      }
      return seconds;
    }),
  ),
  HEALTH_HOST: optional(
    z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'must be an IP address or a host name, e.g. 0.0.0.0 or 127.0.0.1' }),
  ),
});

export interface Config {
  /** Unset: the caller picks (quiet in console mode, info for a bot). */
  logLevel?: string;
  /** The committed seed dataset. */
  datasetFile: string;
  /** Runtime state: the newest dataset a sync wrote, later the database. */
  dataDir: string;
  telegram?: { token: string; apiRoot: string; webhook?: { url: string; secret?: string; port: number; host?: string } };
  discord?: {
    token: string;
    applicationId: string;
    guildId?: string;
    apiUrl?: string;
    /**
     * The gateway shards this instance runs (SHARD_IDS, or all of SHARD_COUNT) out of `count`.
     * Unset: 'auto', or the shards a ShardingManager assigned.
     */
    shards?: { ids: number[]; count: number };
  };
  /**
   * Live sync: the rounds feed and how often to poll it (when a bot runs). `pollIntervalMs` unset:
   * the adaptive schedule (src/feed/pollSchedule.ts); set (POLL_INTERVAL): that flat interval.
   */
  feed: { url: string; pollIntervalMs?: number };
  /** GET /healthz and /metrics on this address while a bot runs; unset: no such server. */
  health?: { port: number; host: string };
  /** PostgreSQL keeps what the bot stores (DATABASE_URL); unset: SQLite in DATA_DIR. */
  databaseUrl?: string;
  /** Sent and settled alert deliveries are deleted after this many days (RETENTION_DAYS, default 90). */
  retentionDays?: number;
  /**
   * The leader lease's TTL in ms (LEASE_TTL, default 10 s): how long the instances wait for a leader
   * that stopped renewing before another leads. Unset: the default.
   */
  leaseTtlMs?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the environment once, at start-up. A wrong value stops the process with a message that
 * names the variable and the problem — never the value, which may be a token.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Under a ShardingManager, SHARD_COUNT is the manager's (beside SHARDS), not a choice of ours.
  const sharder = startedBySharder(env);
  const parsed = envSchema.safeParse(sharder ? { ...env, SHARD_COUNT: undefined } : env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`The environment is not valid (see .env.example):\n${problems}`);
  }
  const e = parsed.data;
  if (e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID) {
    throw new ConfigError('The environment is not valid (see .env.example):\n  DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  }
  const shards = discordShards(e, sharder);
  const feedUrl = e.FEED_URL ?? IRCC_FEED_URL;
  const pollSeconds = e.POLL_INTERVAL;
  if (pollSeconds !== undefined && pollSeconds < 60 && isIrccHost(feedUrl)) {
    throw new ConfigError(
      `The environment is not valid (see .env.example):\n  POLL_INTERVAL: must be at least 60 seconds (1m) for IRCC's feed (got ${pollSeconds} s); shorter intervals are only for a test feed on another host`,
    );
  }
  if (e.HEALTH_PORT !== undefined && e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_WEBHOOK_URL && e.HEALTH_PORT === (e.PORT ?? 8080)) {
    throw new ConfigError(
      `The environment is not valid (see .env.example):\n  HEALTH_PORT: must differ from PORT (${e.HEALTH_PORT}), where the webhook server serves /healthz and /metrics already; or leave HEALTH_PORT unset`,
    );
  }
  return {
    logLevel: e.LOG_LEVEL,
    datasetFile: e.DATASET_FILE ?? 'data/draws.json',
    dataDir: e.DATA_DIR ?? './var',
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org',
          webhook: e.TELEGRAM_WEBHOOK_URL
            ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, port: e.PORT ?? 8080, host: e.WEBHOOK_HOST }
            : undefined,
        }
      : undefined,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            guildId: e.DISCORD_GUILD_ID,
            apiUrl: e.DISCORD_API_URL,
            ...(shards ? { shards } : {}),
          }
        : undefined,
    feed: pollSeconds === undefined ? { url: feedUrl } : { url: feedUrl, pollIntervalMs: pollSeconds * 1000 },
    health: e.HEALTH_PORT === undefined ? undefined : { port: e.HEALTH_PORT, host: e.HEALTH_HOST ?? '0.0.0.0' },
    databaseUrl: e.DATABASE_URL,
    retentionDays: e.RETENTION_DAYS ?? 90,
    ...(e.LEASE_TTL === undefined ? {} : { leaseTtlMs: e.LEASE_TTL * 1000 }),
  };
}

/** SHARD_COUNT and SHARD_IDS checked against each other, DISCORD_TOKEN and a ShardingManager. */
function discordShards(e: z.infer<typeof envSchema>, sharder: boolean): { ids: number[]; count: number } | undefined {
  const invalid = (lines: string[]) =>
    new ConfigError(`The environment is not valid (see .env.example):\n${lines.map((l) => `  ${l}`).join('\n')}`);
  if (sharder && e.SHARD_IDS) {
    throw invalid([
      "SHARD_IDS: must be unset when discord.js' ShardingManager starts the bot: the manager hands each process its shards (its shardList option picks them, e.g. shardList: [0, 1])",
    ]);
  }
  const set = (['SHARD_COUNT', 'SHARD_IDS'] as const).filter((name) => e[name] !== undefined);
  if (set.length > 0 && !e.DISCORD_TOKEN) {
    throw invalid(
      set.map(
        (name) =>
          `${name}: needs DISCORD_TOKEN (it picks this instance's Discord gateway shards), e.g. DISCORD_TOKEN=… ${name === 'SHARD_COUNT' ? 'SHARD_COUNT=2' : 'SHARD_COUNT=2 SHARD_IDS=0'}`,
      ),
    );
  }
  if (e.SHARD_COUNT === undefined) {
    if (e.SHARD_IDS)
      throw invalid(['SHARD_IDS: needs SHARD_COUNT, the total number of shards across all instances, e.g. SHARD_COUNT=4 SHARD_IDS=0-1']);
    return undefined;
  }
  const count = e.SHARD_COUNT;
  const ids = e.SHARD_IDS ?? Array.from({ length: count }, (_, id) => id);
  const beyond = ids.filter((id) => id >= count);
  if (beyond.length > 0) {
    const example = count === 1 ? 'SHARD_IDS=0' : `SHARD_IDS=0-${count - 1}`;
    throw invalid([
      `SHARD_IDS: ${beyond.length === 1 ? `shard ${beyond[0]} is` : `shards ${beyond.join(', ')} are`} not below SHARD_COUNT (${count}); ids run from 0 to ${count - 1}, e.g. ${example}`,
    ]);
  }
  return { ids, count };
}
