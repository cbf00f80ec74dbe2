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
  discord?: { token: string; applicationId: string; guildId?: string; apiUrl?: string };
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
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the environment once, at start-up. A wrong value stops the process with a message that
 * names the variable and the problem — never the value, which may be a token.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`The environment is not valid (see .env.example):\n${problems}`);
  }
  const e = parsed.data;
  if (e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID) {
    throw new ConfigError('The environment is not valid (see .env.example):\n  DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  }
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
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
    feed: pollSeconds === undefined ? { url: feedUrl } : { url: feedUrl, pollIntervalMs: pollSeconds * 1000 },
    health: e.HEALTH_PORT === undefined ? undefined : { port: e.HEALTH_PORT, host: e.HEALTH_HOST ?? '0.0.0.0' },
    databaseUrl: e.DATABASE_URL,
    retentionDays: e.RETENTION_DAYS ?? 90,
  };
}
