import { z } from 'zod';

/** An empty `NAME=` line in .env means "not set", as people expect. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  DATASET_FILE: optional(z.string()),
  DATA_DIR: optional(z.string()),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC-DEF… as BotFather gives it')),
  TELEGRAM_API_ROOT: optional(z.url({ protocol: /^https?$/ })),
  TELEGRAM_WEBHOOK_URL: optional(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })),
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and -')),
  PORT: optional(z.coerce.number().int().min(1).max(65535)),
  DISCORD_TOKEN: optional(z.string().min(20, 'looks too short to be a bot token')),
  DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be the numeric application ID')),
  DISCORD_GUILD_ID: optional(z.string().regex(/^\d{5,25}$/, 'must be a numeric server ID')),
  DISCORD_API_URL: optional(z.url({ protocol: /^https?$/ })),
});

export interface Config {
  /** Unset: the caller picks (quiet in console mode, info for a bot). */
  logLevel?: string;
  /** The committed seed dataset. */
  datasetFile: string;
  /** Runtime state: the newest dataset a sync wrote, later the database. */
  dataDir: string;
  telegram?: { token: string; apiRoot: string; webhook?: { url: string; secret?: string; port: number } };
  discord?: { token: string; applicationId: string; guildId?: string; apiUrl?: string };
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
  return {
    logLevel: e.LOG_LEVEL,
    datasetFile: e.DATASET_FILE ?? 'data/draws.json',
    dataDir: e.DATA_DIR ?? './var',
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org',
          webhook: e.TELEGRAM_WEBHOOK_URL ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, port: e.PORT ?? 8080 } : undefined,
        }
      : undefined,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, guildId: e.DISCORD_GUILD_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
  };
}
