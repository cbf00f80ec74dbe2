import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/createApp.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/lib/log.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, startFakeDiscord } from '../discord/fakeDiscord.js';
import { FIXED_NOW, FROZEN_DATASET } from '../fixtures/deps.js';
import { FakeBotApi, TEST_TOKEN } from '../telegram/fakeBotApi.js';
import { fakeCharts, feedServer } from './appFixtures.js';

/** A platform gone for good stops the bot (non-zero exit in main.ts); stopping never outlasts its deadline. */

let feed: Awaited<ReturnType<typeof feedServer>>;
const apps: App[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  feed = await feedServer();
});
afterAll(() => feed?.close());
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(overrides: Partial<Config>): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-fatal-'));
  dirs.push(dataDir);
  return { datasetFile: FROZEN_DATASET, dataDir, feed: { url: feed.url, pollIntervalMs: 60_000 }, ...overrides };
}

async function started(cfg: Config, options: Parameters<typeof createApp>[1] = {}): Promise<App> {
  const app = await createApp(cfg, { log: silentLogger, clock: () => FIXED_NOW, charts: fakeCharts(), ...options });
  apps.push(app);
  await app.start();
  return app;
}

describe('a platform gone for good', () => {
  it.each([
    [401, 'Unauthorized'],
    [409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'],
  ])('Telegram answering getUpdates with %i is fatal', async (code, description) => {
    const telegram = await FakeBotApi.start();
    try {
      const fatal = vi.fn();
      telegram.failNext('getUpdates', code, { ok: false, error_code: code, description });
      await started(config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot } }), { onFatal: fatal });
      await vi.waitFor(() => expect(fatal).toHaveBeenCalledTimes(1));
      expect(String(fatal.mock.calls[0]![0])).toMatch(new RegExp(`telegram: polling stopped \\(${code}: `));
    } finally {
      await telegram.close();
    }
  });

  it('Discord closing the gateway for good (intents not allowed, 4014) is fatal', async () => {
    const discord: FakeDiscord = await startFakeDiscord();
    try {
      const fatal = vi.fn();
      await started(config({ discord: { token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: discord.apiUrl } }), { onFatal: fatal });
      await vi.waitFor(() => expect(discord.identifies.length).toBeGreaterThan(0));
      discord.disconnect(4014, 'Disallowed intent(s)');
      await vi.waitFor(() => expect(fatal).toHaveBeenCalled(), { timeout: 10_000 });
      expect(String(fatal.mock.calls[0]![0])).toMatch(/discord: (gateway closed for good \(code 4014\)|session invalidated)/);
    } finally {
      await discord.close();
    }
  });
});

describe('stopping', () => {
  it('keeps its deadline when a part never stops, and still closes the database', async () => {
    const telegram = await FakeBotApi.start();
    try {
      const charts = { ...fakeCharts(), close: () => new Promise<void>(() => {}) }; // hangs for ever
      const app = await started(config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot } }), { charts, stopDeadlineMs: 300 });
      const began = Date.now();
      await app.stop();
      expect(Date.now() - began).toBeLessThan(3_000);
      await expect(app.deps.subscriptions!.list('telegram', '1')).rejects.toThrow(/not open/);
    } finally {
      await telegram.close();
    }
  });
});
