import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/createApp.js';
import type { ChartThread } from '../../src/charts/createChartThread.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/lib/log.js';
import { FIXED_NOW, FROZEN_DATASET } from '../fixtures/deps.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { fakeCharts, feedServer } from './appFixtures.js';

/**
 * GET /healthz and /metrics of a running bot: createApp with a fake Telegram and a feed server on
 * 127.0.0.1, polled every 200 ms (three intervals: 0.6 s), scraped over HTTP.
 */

const INTERVAL_MS = 200;

let feed: Awaited<ReturnType<typeof feedServer>>;
let telegram: FakeBotApi;
const apps: App[] = [];
const dirs: string[] = [];

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
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  feed.unchanged();
});

function config(overrides: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), 'ee-health-'));
  dirs.push(dataDir);
  return {
    datasetFile: FROZEN_DATASET,
    dataDir,
    feed: { url: feed.url, pollIntervalMs: INTERVAL_MS },
    telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot },
    health: { port: 0, host: '127.0.0.1' },
    ...overrides,
  };
}

async function started(cfg: Config, charts: ChartThread = fakeCharts()): Promise<App> {
  const app = await createApp(cfg, { log: silentLogger, clock: () => FIXED_NOW, charts });
  apps.push(app);
  await app.start();
  return app;
}

async function get(port: number, path: string, method = 'GET') {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const { status, text } = await get(port, '/healthz');
  return { status, body: JSON.parse(text) };
}

/** One sample of the exposition text: the metric with exactly these labels (in any order); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

async function metrics(port: number): Promise<string> {
  const { status, type, text } = await get(port, '/metrics');
  expect(status).toBe(200);
  expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
  return text;
}

/** Sends a message to the bot and waits for `count` messages or photos to that chat. */
async function ask(chat: number, text: string, count = 1): Promise<void> {
  telegram.push(textMessage({ id: chat }, text));
  await telegram.waitFor(() => telegram.postedTo(chat).length >= count);
}

describe('GET /healthz and /metrics on HEALTH_PORT', () => {
  it('answers 200 while Telegram polls and the feed answers, and counts answers, charts, alerts and polls', async () => {
    const charts = fakeCharts();
    const app = await started(config(), charts);
    const port = app.ports().health!;
    // Three intervals have not passed: the feed counts as fine even before its first poll.
    await vi.waitFor(async () => expect((await healthz(port)).status).toBe(200));
    await vi.waitFor(() => expect(app.deps.status!().lastSuccessAt).not.toBeNull());
    const { body } = await healthz(port);
    expect(body).toMatchObject({ status: 'ok', platforms: { telegram: 'ok' }, feed: { lastError: null, intervalSeconds: 0.2 } });
    expect(body.reasons).toBeUndefined();

    await ask(92_001, '/latest healthcare');
    await ask(92_002, '/check 470 abc');
    await ask(92_003, '/history cec 5'); // with a chart
    charts.failing = true;
    await ask(92_004, '/history pnp 5'); // the chart fails: text alone
    // Two chats subscribe; IRCC publishes round 435; one chat has blocked the bot (403).
    await ask(92_005, '/subscribe');
    await ask(92_006, '/subscribe');
    telegram.failNext('sendMessage', 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
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
    let text = '';
    await vi.waitFor(
      async () => {
        text = await metrics(port);
        expect(sample(text, 'eebot_alerts_sent_total', { platform: 'telegram' })).toBe(1);
        expect(sample(text, 'eebot_alerts_failed_total', { platform: 'telegram', reason: 'gone' })).toBe(1);
      },
      { timeout: 10_000 },
    );

    expect(text).toContain('# TYPE eebot_answers_total counter');
    expect(sample(text, 'eebot_answers_total', { command: 'latest', platform: 'telegram', kind: 'answer' })).toBe(1);
    expect(sample(text, 'eebot_answers_total', { command: 'check', platform: 'telegram', kind: 'error' })).toBe(1);
    expect(sample(text, 'eebot_answers_total', { command: 'history', platform: 'telegram', kind: 'answer' })).toBe(2);
    expect(sample(text, 'eebot_answers_total', { command: 'subscribe', platform: 'telegram', kind: 'answer' })).toBe(2);
    expect(text).toContain('# TYPE eebot_answer_duration_seconds histogram');
    expect(sample(text, 'eebot_answer_duration_seconds_count', { command: 'latest', platform: 'telegram' })).toBe(1);
    expect(sample(text, 'eebot_answer_duration_seconds_bucket', { command: 'latest', platform: 'telegram', le: '+Inf' })).toBe(1);
    expect(sample(text, 'eebot_chart_renders_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'eebot_chart_renders_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'eebot_alerts_pending', { platform: 'telegram' })).toBe(0);
    expect(sample(text, 'eebot_feed_polls_total', { outcome: 'synced' })).toBe(1);
    expect(sample(text, 'eebot_feed_polls_total', { outcome: 'unchanged' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'eebot_feed_errors_total', { kind: 'refused' })).toBe(0);
    expect(sample(text, 'eebot_feed_last_success_age_seconds')).toBeLessThan(5);
    expect(sample(text, 'eebot_platform_up', { platform: 'telegram' })).toBe(1);
    // Node's default metrics, in the same registry.
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('nodejs_heap_size_used_bytes');

    expect((await get(port, '/other')).status).toBe(404);
    expect((await get(port, '/healthz', 'POST')).status).toBe(404);
    expect(await get(port, '/healthz', 'HEAD')).toMatchObject({ status: 200, text: '' });
  });

  it('answers 503 naming the feed when it has failed for over three intervals, and counts the errors', async () => {
    const app = await started(config());
    const port = app.ports().health!;
    await vi.waitFor(() => expect(app.deps.status!().lastSuccessAt).not.toBeNull());
    feed.refuse();
    const unhealthy = await vi.waitFor(
      async () => {
        const response = await healthz(port);
        expect(response.status).toBe(503);
        return response.body;
      },
      { timeout: 5000 },
    );
    expect(unhealthy).toMatchObject({ status: 'unhealthy', platforms: { telegram: 'ok' } });
    expect(unhealthy.reasons).toEqual([
      expect.stringMatching(
        /^feed: last successful poll \d+(\.\d)? s ago \(interval 0\.2 s\); last error: the feed's content was refused \(refused;/,
      ),
    ]);
    const text = await metrics(port);
    expect(sample(text, 'eebot_feed_errors_total', { kind: 'refused' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'eebot_feed_polls_total', { outcome: 'failed' })).toBe(
      sample(text, 'eebot_feed_errors_total', { kind: 'refused' }),
    );
    expect(sample(text, 'eebot_feed_last_success_age_seconds')).toBeGreaterThan(0.6);

    // The feed answers again: healthy at the next poll.
    feed.unchanged();
    await vi.waitFor(async () => expect((await healthz(port)).status).toBe(200), { timeout: 5000 });
  });

  it('answers 503 naming Telegram once its polling has stopped', async () => {
    // A Bot API of its own: the conflict below ends this bot's polling only.
    const api = await FakeBotApi.start();
    try {
      const app = await started(config({ telegram: { token: TEST_TOKEN, apiRoot: api.apiRoot } }));
      const port = app.ports().health!;
      await vi.waitFor(async () => expect((await healthz(port)).status).toBe(200));
      // Another instance polls with the same token: Telegram answers 409 and the runner gives up.
      api.failNext('getUpdates', 409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' });
      api.push(textMessage({ id: 93_001 }, '/latest')); // ends the long poll in progress
      const { status, body } = await vi.waitFor(async () => {
        const response = await healthz(port);
        expect(response.status).toBe(503);
        return response;
      });
      expect(status).toBe(503);
      expect(body.reasons).toEqual(['telegram: polling stopped (409: Conflict: terminated by other getUpdates request)']);
      expect(sample(await metrics(port), 'eebot_platform_up', { platform: 'telegram' })).toBe(0);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.stop()));
      await api.close();
    }
  });

  it('stops serving with the app, and a port in use fails start-up naming HEALTH_PORT', async () => {
    const app = await started(config());
    const port = app.ports().health!;
    await vi.waitFor(async () => expect((await healthz(port)).status).toBe(200));
    await app.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const busy = (taken.address() as AddressInfo).port;
    try {
      const clash = await createApp(config({ health: { port: busy, host: '127.0.0.1' } }), { log: silentLogger, charts: fakeCharts() });
      apps.push(clash);
      const calls = telegram.calls.length;
      await expect(clash.start()).rejects.toThrow(`HEALTH_PORT: cannot listen on 127.0.0.1:${busy}`);
      // Checked first: the live sync never started, nor did Telegram (no deleteWebhook before polling).
      expect(clash.deps.status!().nextPollAt).toBeNull();
      expect(clash.deps.status!().lastSuccessAt).toBeNull();
      expect(telegram.calls.slice(calls).map((call) => call.method)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});

describe('GET /healthz and /metrics on the webhook server (Telegram webhook mode)', () => {
  it('serves both beside the webhook, without HEALTH_PORT', async () => {
    const hook = { url: 'https://bot.example.test/telegram/hook', secret: 'health-test', port: 0 };
    const app = await started(config({ telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot, webhook: hook }, health: undefined }));
    expect(app.ports().health).toBeUndefined();
    const port = app.ports().webhook!;
    await vi.waitFor(async () => expect((await healthz(port)).status).toBe(200));
    expect((await healthz(port)).body).toMatchObject({ status: 'ok', platforms: { telegram: 'ok' } });

    const update = { update_id: 1, ...textMessage({ id: 94_001 }, '/latest cec') };
    const delivered = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': hook.secret },
      body: JSON.stringify(update),
    });
    expect(delivered.status).toBe(200);
    await telegram.waitFor(() => telegram.sentTo(94_001).length === 1);
    expect(sample(await metrics(port), 'eebot_answers_total', { command: 'latest', platform: 'telegram', kind: 'answer' })).toBe(1);
    // The webhook's own rules are unchanged: other paths and methods get 404.
    expect((await get(port, '/other')).status).toBe(404);
    expect((await get(port, '/telegram/hook')).status).toBe(404);
  });
});
