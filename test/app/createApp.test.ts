import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/createApp.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/lib/log.js';
import { FIXED_NOW, FROZEN_DATASET } from '../fixtures/deps.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';
import { describePostgres, freshDatabaseUrl } from '../storage/postgresTestDatabase.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { LogRecorder } from '../telegram/logRecorder.js';
import { fakeCharts, feedServer } from './appFixtures.js';

let dataDir: string;
let feed: Awaited<ReturnType<typeof feedServer>>;
let telegram: FakeBotApi;
const apps: App[] = [];

beforeAll(async () => {
  feed = await feedServer();
  telegram = await FakeBotApi.start();
});
afterAll(async () => {
  await telegram?.close();
  await feed?.close();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

function config(overrides: Partial<Config> = {}): Config {
  dataDir = mkdtempSync(join(tmpdir(), 'ee-app-'));
  return { datasetFile: FROZEN_DATASET, dataDir, feed: { url: feed.url, pollIntervalMs: 200 }, ...overrides };
}

async function app(cfg: Config, options: Parameters<typeof createApp>[1] = {}): Promise<App> {
  const made = await createApp(cfg, { log: silentLogger, clock: () => FIXED_NOW, ...options });
  apps.push(made);
  return made;
}

describe('createApp: the composition root', () => {
  it('without a token runs the console: answers from the dataset, no alerts, no live sync', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => {
      printed += chunk;
    });
    const local = await app(config(), {
      console: { input: Readable.from(['/latest healthcare\n']), output, prompt: false },
      charts: fakeCharts(),
    });
    expect(local.bot).toBe(false);
    expect(local.deps.subscriptions).toBeUndefined();
    expect(local.deps.status).toBeUndefined();
    await local.start(); // resolves when the input ends
    expect(printed).toContain('Latest Healthcare and social services draw: #422');
    expect(printed).toContain('— IRCC data to round #434 (Aug 7, 2026)');
  });

  it('with a Telegram token wires subscriptions, live sync and the alert sender together', async () => {
    const bot = await app(config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot } }), { charts: fakeCharts() });
    expect(bot.bot).toBe(true);
    await bot.start();
    const chat = 91_001;
    telegram.push(textMessage({ id: chat }, '/subscribe healthcare'));
    await telegram.waitFor(() => telegram.sentTo(chat).length === 1);
    expect(telegram.sentTo(chat)[0]!.payload.text).toContain('Draw alerts on');
    expect(await bot.deps.subscriptions!.list('telegram', String(chat))).toEqual(['healthcare']);

    // IRCC publishes round 435: the poller merges it, the alerts engine enqueues it, the sender sends it.
    feed.serve(
      feedBody([
        rawRound({
          drawNumber: '435',
          drawDate: '2026-08-20',
          drawDateTime: 'August 20, 2026 at 14:00:00 UTC',
          drawCutOff: 'August 1, 2026 at 10:00:00 UTC',
        }),
      ]),
    );
    await telegram.waitFor(() => telegram.sentTo(chat).length === 2, 15_000);
    expect(telegram.sentTo(chat)[1]!.payload.text).toContain('New draw #435');
    expect(bot.answers.data().newest.round).toBe('435');
    expect(bot.deps.status!().lastSuccessAt).not.toBeNull();
  });

  it('stops in order: the chart thread before the database, and only once', async () => {
    // Asked as the chart thread closes (the query starts there), answered whenever.
    let dbOpenWhenChartsClosed: Promise<boolean> | undefined;
    const cfg = config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot } });
    const charts = fakeCharts(() => {
      dbOpenWhenChartsClosed = isOpen(bot);
    });
    const bot = await app(cfg, { charts });
    await bot.start();
    await Promise.all([bot.stop(), bot.stop()]);
    expect(charts.closed).toBe(1);
    expect(await dbOpenWhenChartsClosed).toBe(true);
    expect(await isOpen(bot)).toBe(false);
  });

  it('a refused or unreachable API stops it before DATA_DIR is touched, in one line naming the variables', async () => {
    const refused = createApp(config({ telegram: { token: '654321:WRONG-token-abcdefghijklmnopqrstuvwx', apiRoot: telegram.apiRoot } }), {
      log: silentLogger,
      charts: fakeCharts(),
    });
    await expect(refused).rejects.toThrow(/^Telegram: getMe failed, check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT: .*401: Unauthorized/);
    await refused.catch((error: Error) => expect(error.message).not.toContain('WRONG-token'));
    expect(readdirSync(dataDir)).toEqual([]);

    const started = Date.now();
    const unreachable = createApp(config({ telegram: { token: TEST_TOKEN, apiRoot: 'http://127.0.0.1:9' } }), { log: silentLogger });
    await expect(unreachable).rejects.toThrow(/TELEGRAM_API_ROOT: .*ECONNREFUSED 127\.0\.0\.1:9/);
    const discord = createApp(config({ discord: { token: 'x'.repeat(40), applicationId: '123456', apiUrl: 'http://127.0.0.1:9/api' } }), {
      log: silentLogger,
    });
    await expect(discord).rejects.toThrow(/^Discord: .*check DISCORD_TOKEN and DISCORD_API_URL: .*ECONNREFUSED 127\.0\.0\.1:9/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('a start that fails after the checks stops what it had started, the database included', async () => {
    const charts = fakeCharts();
    const hook = { url: 'https://bot.example.test/hook', port: 0 };
    const bot = await app(config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot, webhook: hook } }), { charts });
    telegram.failNext('setWebhook', 400, { ok: false, error_code: 400, description: 'Bad Request: bad webhook' });
    await expect(bot.start()).rejects.toThrow(/setWebhook failed/);
    expect(charts.closed).toBe(1);
    expect(await isOpen(bot)).toBe(false);
    expect(bot.deps.status!().nextPollAt).toBeNull();
  });
});

describePostgres('createApp with DATABASE_URL', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let databaseUrl: string;
  /** The URL's password: the test server trusts any, so one is made up where the URL has none. */
  let password: string;
  beforeAll(async () => {
    database = await freshDatabaseUrl();
    const url = new URL(database.url);
    url.password ||= 'not-a-real-secret-4f9c';
    password = decodeURIComponent(url.password);
    databaseUrl = url.toString();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function rows<T>(sql: string): Promise<T[]> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('keeps subscriptions in PostgreSQL; a second instance follows, polls nothing, and takes over when the first stops', async () => {
    const logs = new LogRecorder();
    const cfg = config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot }, databaseUrl });
    const bot = await app(cfg, { log: logs.log, charts: fakeCharts() });
    await bot.start();
    expect(bot.isLeader()).toBe(true);
    const chat = 91_002;
    telegram.push(textMessage({ id: chat }, '/subscribe healthcare cec'));
    await telegram.waitFor(() => telegram.sentTo(chat).length === 1);
    expect(telegram.sentTo(chat)[0]!.payload.text).toContain('Draw alerts on');
    // In PostgreSQL, read by a connection of our own; nothing in DATA_DIR.
    expect(await rows('SELECT platform, chat_id, category FROM subscriptions ORDER BY category')).toEqual([
      { platform: 'telegram', chat_id: String(chat), category: 'cec' },
      { platform: 'telegram', chat_id: String(chat), category: 'healthcare' },
    ]);
    expect(existsSync(join(cfg.dataDir, 'alerts.sqlite'))).toBe(false);
    const opened = logs.entriesSince(0).find((entry) => entry.msg === 'storage opened');
    expect(opened?.storage).toMatch(/^PostgreSQL 127\.0\.0\.1:\d+\/ee_test_/);

    // A second instance on the same database (from a DATA_DIR of its own): it follows.
    const elsewhere = { ...cfg, dataDir: mkdtempSync(join(tmpdir(), 'ee-app-')) };
    const second = await app(elsewhere, { log: logs.log, charts: fakeCharts(), leaseRenewMs: 100 });
    try {
      await second.start();
      expect(second.isLeader()).toBe(false);
      expect(second.health()).toMatchObject({ status: 'ok', role: { role: 'follower', epoch: 1 }, platforms: { telegram: 'ok' } });
      await vi.waitFor(() => expect(second.health().role?.instances).toBe(2));

      // The first keeps polling alone (one getUpdates at a time: Telegram would answer 409).
      telegram.push(textMessage({ id: chat }, '/unsubscribe cec'));
      await telegram.waitFor(() => telegram.sentTo(chat).length === 2);
      expect(await rows('SELECT category FROM subscriptions')).toEqual([{ category: 'healthcare' }]);

      // Stopped, it hands the lead over at once; the second polls and finds the subscription.
      await bot.stop();
      await vi.waitFor(() => expect(second.isLeader()).toBe(true), { timeout: 5_000 });
      expect(second.health().role).toMatchObject({ role: 'leader', epoch: 2 });
      telegram.push(textMessage({ id: chat }, '/subscriptions'));
      await telegram.waitFor(() => telegram.sentTo(chat).length === 3, 10_000);
      expect(telegram.sentTo(chat)[2]!.payload.text).toMatch(/health/i);
      expect(telegram.conflicts).toBe(0);
      expect(logs.lines.join('')).not.toContain(password);
    } finally {
      await second.stop();
      rmSync(elsewhere.dataDir, { recursive: true, force: true });
    }
  });
});

/** Whether the app's storage still answers. */
async function isOpen(app: App): Promise<boolean> {
  try {
    await app.deps.subscriptions!.list('telegram', '1');
    return true;
  } catch {
    return false;
  }
}
