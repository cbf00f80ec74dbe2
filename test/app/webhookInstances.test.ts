import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/createApp.js';
import type { Config } from '../../src/config.js';
import { FIXED_NOW, FROZEN_DATASET } from '../fixtures/deps.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';
import { describePostgres, freshDatabaseUrl } from '../storage/postgresTestDatabase.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { LogRecorder } from '../telegram/logRecorder.js';
import { roundRobin } from '../telegram/roundRobin.js';
import { fakeCharts, feedServer } from './appFixtures.js';

/**
 * Two instances of the app on one PostgreSQL in webhook mode, behind the test's own round-robin
 * load balancer, as an operator would run them: every update answered once, however Telegram
 * redelivers it; the leader's new round in every instance within 2 s; a follower whose database
 * connections drop keeps answering, and leads when the leader goes.
 */

const HOOK_PATH = '/telegram/hook';
const SECRET = 'instances-Secret_42';
const UPDATES = 40;

describePostgres('two app instances in webhook mode on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let telegram: FakeBotApi;
  let feed: Awaited<ReturnType<typeof feedServer>>;
  const apps: App[] = [];
  const dirs: string[] = [];
  const logs = new LogRecorder();

  beforeEach(async () => {
    database = await freshDatabaseUrl();
    telegram = await FakeBotApi.start();
    feed = await feedServer();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await telegram.close();
    await feed.close();
    await database.drop();
  });

  const config = (secret: string | undefined): Config => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ee-instances-'));
    dirs.push(dataDir);
    return {
      datasetFile: FROZEN_DATASET,
      dataDir,
      feed: { url: feed.url, pollIntervalMs: 200 },
      databaseUrl: database.url,
      leaseTtlMs: 3_000,
      telegram: {
        token: TEST_TOKEN,
        apiRoot: telegram.apiRoot,
        webhook: { url: `https://bot.example.test${HOOK_PATH}`, secret, port: 0, host: '127.0.0.1' },
      },
    };
  };
  const start = async (secret?: string | null) => {
    const app = await createApp(config(secret === null ? undefined : (secret ?? SECRET)), {
      log: logs.log,
      clock: () => FIXED_NOW,
      charts: fakeCharts(),
      leaseRenewMs: 200,
      datasetRefreshMs: 250,
    });
    apps.push(app);
    await app.start();
    return app;
  };
  const deliver = async (port: number, update: object) => {
    const response = await fetch(`http://127.0.0.1:${port}${HOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const answered = (app: App) => {
    const counts = /^eebot_answers_total\{[^}]*platform="telegram"[^}]*\} (\d+)$/gm;
    return app.metrics!.scrape().then(({ body }) => [...body.matchAll(counts)].reduce((sum, match) => sum + Number(match[1]), 0));
  };

  it('answers each update once, whichever instance Telegram (re)delivers it to', async () => {
    const a = await start();
    const b = await start();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    const proxy = await roundRobin([a.ports().webhook!, b.ports().webhook!]);
    try {
      const updates = Array.from({ length: UPDATES }, (_, i) => ({ update_id: 700_000 + i, ...textMessage({ id: 9100 + i }, '/latest') }));
      // Each one twice, as Telegram redelivers an update it thinks was not taken: the two copies
      // reach different instances (the balancer alternates).
      const statuses = await Promise.all(updates.flatMap((update) => [deliver(proxy.port, update), deliver(proxy.port, update)]));
      expect(statuses.every((status) => status === 200)).toBe(true);
      await telegram.waitFor(() => updates.every((_, i) => telegram.sentTo(9100 + i).length >= 1), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < UPDATES; i++) expect(telegram.sentTo(9100 + i)).toHaveLength(1);
      const [byA, byB] = await Promise.all([answered(a), answered(b)]);
      expect(byA + byB).toBe(UPDATES);
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      expect(proxy.routed).toEqual([UPDATES, UPDATES]);
    } finally {
      await proxy.close();
    }
  });

  it('without TELEGRAM_WEBHOOK_SECRET, every instance registers the same secret (else the next setWebhook locks the others out)', async () => {
    const a = await start(null);
    const b = await start(null);
    const registered = telegram.callsOf('setWebhook').map((call) => String(call.payload.secret_token));
    expect(registered).toHaveLength(2);
    expect(registered[0]).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
    expect(registered[1]).toBe(registered[0]);
    const update = { update_id: 810_001, ...textMessage({ id: 9401 }, '/latest') };
    for (const app of [a, b]) {
      const response = await fetch(`http://127.0.0.1:${app.ports().webhook!}${HOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': registered[0]! },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
    }
    await telegram.waitFor(() => telegram.sentTo(9401).length === 1, 10_000);
  });

  it("the leader's new round reaches the follower within 2 s; a follower whose connections drop keeps answering, and leads when the leader stops", async () => {
    const since = logs.lines.length;
    const a = await start();
    const b = await start();
    expect(b.isLeader()).toBe(false);
    expect(b.answers.data().newest.round).toBe('434');

    // IRCC publishes round 435: the leader merges it; the follower answers with it within 2 s.
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
    await vi.waitFor(() => expect(a.answers.data().newest.round).toBe('435'), { timeout: 10_000, interval: 20 });
    const mergedAt = performance.now();
    await vi.waitFor(() => expect(b.answers.data().newest.round).toBe('435'), { timeout: 2_000, interval: 20 });
    expect(performance.now() - mergedAt).toBeLessThan(2_000);
    // The follower shows the leader's sync (it polls nothing itself).
    await vi.waitFor(() => expect(b.deps.status!().lastSuccessAt).not.toBeNull(), { timeout: 2_000 });

    // The follower's database connections are cut (a failover of the database, a proxy restart).
    const instanceOf = (n: number) => String(logs.entriesSince(since).filter((entry) => entry.msg === 'storage opened')[n]!.instance);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        `ee-draw-bot ${instanceOf(1)}`,
      ]);
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    expect(await deliver(b.ports().webhook!, { update_id: 800_001, ...textMessage({ id: 9301 }, '/latest') })).toBe(200);
    await telegram.waitFor(() => telegram.sentTo(9301).length === 1, 10_000);
    expect(telegram.sentTo(9301)[0]!.payload.text).toContain('#435');
    expect(b.health().status).toBe('ok');

    // The leader stops: the follower, reconnected, takes the lead and sends round 435's alerts from now on.
    await a.stop();
    await vi.waitFor(() => expect(b.isLeader()).toBe(true), { timeout: 5_000, interval: 20 });
    expect(b.health().role).toMatchObject({ role: 'leader', epoch: 2 });
  });
});
