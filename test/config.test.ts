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

  it('refuses an unknown log level', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
