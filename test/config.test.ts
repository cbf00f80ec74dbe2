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

  describe('SHARD_COUNT and SHARD_IDS (Discord shards across instances)', () => {
    const discord = { DISCORD_TOKEN: 'x'.repeat(60), DISCORD_APPLICATION_ID: '1300000000000000001' };
    const shards = (env: Record<string, string>) => loadConfig({ ...discord, ...env }).discord?.shards;
    /** The lines of the refusal after its heading, each "  NAME: problem". */
    function refusal(env: Record<string, string>): string[] {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message.split('\n').slice(1);
      }
      throw new Error('loadConfig accepted it');
    }

    it("leaves the shards unset without them ('auto' or a ShardingManager's), empty values included", () => {
      expect(shards({})).toBeUndefined();
      expect(shards({ SHARD_COUNT: '', SHARD_IDS: '' })).toBeUndefined();
      expect(loadConfig({ SHARD_COUNT: '', SHARD_IDS: '' }).discord).toBeUndefined();
    });

    it('reads ids, ranges and both mixed; SHARD_COUNT alone means every shard in this process', () => {
      expect(shards({ SHARD_COUNT: '2', SHARD_IDS: '1' })).toEqual({ ids: [1], count: 2 });
      expect(shards({ SHARD_COUNT: '4', SHARD_IDS: '0,1' })).toEqual({ ids: [0, 1], count: 4 });
      expect(shards({ SHARD_COUNT: '4', SHARD_IDS: '2-3' })).toEqual({ ids: [2, 3], count: 4 });
      expect(shards({ SHARD_COUNT: '8', SHARD_IDS: '0-3,7' })).toEqual({ ids: [0, 1, 2, 3, 7], count: 8 });
      expect(shards({ SHARD_COUNT: '8', SHARD_IDS: ' 7, 0-1 ' })).toEqual({ ids: [7, 0, 1], count: 8 });
      expect(shards({ SHARD_COUNT: '3' })).toEqual({ ids: [0, 1, 2], count: 3 });
      expect(shards({ SHARD_COUNT: '10000', SHARD_IDS: '9999' })).toEqual({ ids: [9999], count: 10_000 });
    });

    it('names SHARD_COUNT with an example when it is not a whole number from 1 to 10000', () => {
      for (const count of ['0', '10001', 'two', '1.5', '-2']) {
        expect(refusal({ ...discord, SHARD_COUNT: count })).toEqual([
          '  SHARD_COUNT: must be a whole number of shards from 1 to 10000, e.g. 2',
        ]);
      }
    });

    it('names SHARD_IDS with an example for each bad form', () => {
      const ids = (value: string, count = '8') => refusal({ ...discord, SHARD_COUNT: count, SHARD_IDS: value });
      const form = '  SHARD_IDS: must list shard ids and ranges separated by commas, e.g. 0,1 or 2-3 or 0-3,7';
      for (const value of ['a', '0,,1', '1,', '-1', '0-', '1-2-3', '0;1', '1.5']) expect(ids(value)).toEqual([form]);
      expect(ids('3-2')).toEqual(['  SHARD_IDS: the range 3-2 runs backwards; write it low to high, e.g. 2-3']);
      expect(ids('0-3,2')).toEqual(['  SHARD_IDS: lists shard 2 twice; name each shard once, e.g. 0,1 or 2-3 or 0-3,7']);
      expect(ids('1,1')).toEqual(['  SHARD_IDS: lists shard 1 twice; name each shard once, e.g. 0,1 or 2-3 or 0-3,7']);
      expect(ids('0-99999999')).toEqual(['  SHARD_IDS: shard ids run below 10000 at most, e.g. 0,1 or 2-3 or 0-3,7']);
      expect(ids('2', '2')).toEqual(['  SHARD_IDS: shard 2 is not below SHARD_COUNT (2); ids run from 0 to 1, e.g. SHARD_IDS=0-1']);
      expect(ids('0-5', '4')).toEqual(['  SHARD_IDS: shards 4, 5 are not below SHARD_COUNT (4); ids run from 0 to 3, e.g. SHARD_IDS=0-3']);
      expect(ids('1', '1')).toEqual(['  SHARD_IDS: shard 1 is not below SHARD_COUNT (1); ids run from 0 to 0, e.g. SHARD_IDS=0']);
    });

    it('refuses SHARD_IDS without SHARD_COUNT', () => {
      expect(refusal({ ...discord, SHARD_IDS: '0-1' })).toEqual([
        '  SHARD_IDS: needs SHARD_COUNT, the total number of shards across all instances, e.g. SHARD_COUNT=4 SHARD_IDS=0-1',
      ]);
    });

    it('refuses either without DISCORD_TOKEN, one line for each one set', () => {
      expect(refusal({ SHARD_COUNT: '2' })).toEqual([
        "  SHARD_COUNT: needs DISCORD_TOKEN (it picks this instance's Discord gateway shards), e.g. DISCORD_TOKEN=… SHARD_COUNT=2",
      ]);
      expect(refusal({ SHARD_COUNT: '2', SHARD_IDS: '0' })).toEqual([
        "  SHARD_COUNT: needs DISCORD_TOKEN (it picks this instance's Discord gateway shards), e.g. DISCORD_TOKEN=… SHARD_COUNT=2",
        "  SHARD_IDS: needs DISCORD_TOKEN (it picks this instance's Discord gateway shards), e.g. DISCORD_TOKEN=… SHARD_COUNT=2 SHARD_IDS=0",
      ]);
    });

    it("leaves SHARD_COUNT to discord.js' ShardingManager, which sets it beside SHARDS, and refuses SHARD_IDS there", () => {
      const managed = { ...discord, SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '4' };
      expect(loadConfig(managed).discord).toBeDefined();
      expect(shards(managed)).toBeUndefined();
      expect(refusal({ ...managed, SHARD_IDS: '1' })).toEqual([
        "  SHARD_IDS: must be unset when discord.js' ShardingManager starts the bot: the manager hands each process its shards (its shardList option picks them, e.g. shardList: [0, 1])",
      ]);
    });
  });
});
