import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs in console mode with an empty environment', () => {
    const config = loadConfig({});
    expect(config.telegram).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.datasetFile).toBe('data/draws.json');
    expect(config.dataDir).toBe('./var');
  });

  it('treats empty values as unset, as in a copied .env.example', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: '', LOG_LEVEL: '' }).telegram).toBeUndefined();
  });

  it('names the variable and the problem, never the value', () => {
    const secret = 'not-a-token-but-secret-looking';
    let message = '';
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN: secret });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('TELEGRAM_BOT_TOKEN: must look like 123456:ABC-DEF');
    expect(message).not.toContain(secret);
  });

  it('needs the application ID beside a Discord token', () => {
    expect(() => loadConfig({ DISCORD_TOKEN: 'x'.repeat(60) })).toThrow('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  });

  it('leaves POLL_INTERVAL unset for the adaptive schedule; set, it is a flat interval of at least a minute for IRCC', () => {
    expect(loadConfig({}).feed.pollIntervalMs).toBeUndefined();
    expect(loadConfig({ POLL_INTERVAL: '' }).feed.pollIntervalMs).toBeUndefined();
    expect(loadConfig({ POLL_INTERVAL: '5m' }).feed.pollIntervalMs).toBe(300_000);
    expect(() => loadConfig({ POLL_INTERVAL: '59s' })).toThrow('POLL_INTERVAL: must be at least 60 seconds (1m)');
    expect(loadConfig({ POLL_INTERVAL: '5s', FEED_URL: 'http://127.0.0.1:9/feed.json' }).feed.pollIntervalMs).toBe(5_000);
  });

  it('refuses an unknown log level', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('reads HEALTH_PORT and HEALTH_HOST (default 0.0.0.0), and names them when wrong', () => {
    expect(loadConfig({}).health).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: '' }).health).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: '9090' }).health).toEqual({ port: 9090, host: '0.0.0.0' });
    expect(loadConfig({ HEALTH_PORT: '9090', HEALTH_HOST: '127.0.0.1' }).health).toEqual({ port: 9090, host: '127.0.0.1' });
    expect(loadConfig({ HEALTH_PORT: '9090', HEALTH_HOST: '::' }).health?.host).toBe('::');
    expect(loadConfig({ HEALTH_PORT: '9090', HEALTH_HOST: 'localhost' }).health?.host).toBe('localhost');
    for (const port of ['0', '65536', 'http', '90.5']) {
      expect(() => loadConfig({ HEALTH_PORT: port })).toThrow('HEALTH_PORT: must be a port number from 1 to 65535');
    }
    expect(() => loadConfig({ HEALTH_PORT: '9090', HEALTH_HOST: 'not a host' })).toThrow(
      /HEALTH_HOST: must be an IP address or a host name/,
    );
  });

  it("refuses HEALTH_PORT equal to the webhook server's PORT, which serves /healthz and /metrics already", () => {
    const webhook = { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook' };
    expect(() => loadConfig({ ...webhook, HEALTH_PORT: '8080' })).toThrow('HEALTH_PORT: must differ from PORT (8080)');
    expect(() => loadConfig({ ...webhook, PORT: '9000', HEALTH_PORT: '9000' })).toThrow('HEALTH_PORT: must differ from PORT (9000)');
    expect(loadConfig({ ...webhook, HEALTH_PORT: '9090' }).health?.port).toBe(9090);
    // Polling: PORT is not used, so no clash.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: webhook.TELEGRAM_BOT_TOKEN, HEALTH_PORT: '8080' }).health?.port).toBe(8080);
  });

  it('reads DATABASE_URL (postgres:// only) and RETENTION_DAYS, never echoing the URL', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:s3cret@db:5432/eebot' }).databaseUrl).toBe('postgres://bot:s3cret@db:5432/eebot');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/eebot' }).databaseUrl).toBe('postgresql://db/eebot');
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:s3cret@db/eebot' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect(message).not.toContain('s3cret');
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(loadConfig({ RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(() => loadConfig({ RETENTION_DAYS: '7' })).toThrow('RETENTION_DAYS: must be at least 14 days');
    expect(() => loadConfig({ RETENTION_DAYS: 'ninety' })).toThrow('RETENTION_DAYS: must be a whole number of days, e.g. 90');
  });
});
