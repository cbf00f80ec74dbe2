import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app/createApp.js';
import { createLogger } from '../../src/lib/log.js';
import { FIXED_NOW, FROZEN_DATASET } from '../fixtures/deps.js';
import { feedBody, rawRound } from '../fixtures/rawRound.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from '../telegram/fakeBotApi.js';
import { fakeCharts } from './appFixtures.js';

/**
 * A FEED_URL may carry secrets: an API key in its query string, a user and password before the
 * host. The anonymous /healthz, the logs (debug lines included) and /about must show neither.
 */

const KEY = 'SECRET-query-key-7f3a';
const USER = 'feeduser-b2c9';
const PASSWORD = 'PASSWORD-e41d';
const SECRETS = [KEY, USER, PASSWORD];
const PATH = '/ee_rounds_123_en.json';

/** A feed on 127.0.0.1 that records what it was asked, answering `status` (and `body` when set). */
async function feed() {
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const state: { status: number; body?: string } = { status: 304 };
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (state.body === undefined) res.writeHead(state.status).end();
    else res.writeHead(state.status, { 'content-type': 'application/json' }).end(state.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://${USER}:${PASSWORD}@127.0.0.1:${port}${PATH}?key=${KEY}&lang=en`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let server: Awaited<ReturnType<typeof feed>>;
let telegram: FakeBotApi;
let app: App | undefined;
let dataDir: string;
const lines: string[] = [];

beforeEach(async () => {
  server = await feed();
  telegram = await FakeBotApi.start();
  dataDir = mkdtempSync(join(tmpdir(), 'ee-feed-secrets-'));
  lines.length = 0;
  app = await createApp(
    {
      datasetFile: FROZEN_DATASET,
      dataDir,
      feed: { url: server.url, pollIntervalMs: 200 },
      telegram: { token: TEST_TOKEN, apiRoot: telegram.apiRoot },
      health: { port: 0, host: '127.0.0.1' },
    },
    {
      log: createLogger('debug', { write: (line: string) => void lines.push(line) }),
      clock: () => FIXED_NOW,
      charts: fakeCharts(),
    },
  );
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await Promise.all([telegram.close(), server.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function healthz(): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${app!.ports().health}/healthz`);
  return { status: response.status, text: await response.text() };
}

/** /about's text as Telegram sends it to a chat. */
async function about(chat: number): Promise<string> {
  telegram.push(textMessage({ id: chat }, '/about'));
  await telegram.waitFor(() => telegram.sentTo(chat).length === 1);
  return String(telegram.sentTo(chat)[0]!.payload.text);
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('a FEED_URL with a key and credentials', () => {
  it('stays out of /healthz, which shows the kind of the last error and when, and out of the logs and /about', async () => {
    server.state.status = 404; // a fetch error, not retried: its message names the URL
    await app!.start();
    const unhealthy = await vi.waitFor(
      async () => {
        const response = await healthz();
        expect(response.status).toBe(503);
        expect(JSON.parse(response.text).feed.lastError).not.toBeNull();
        return response.text;
      },
      { timeout: 5000 },
    );
    expectNoSecret(unhealthy);
    const body = JSON.parse(unhealthy) as { reasons: string[]; feed: { lastError: Record<string, unknown> } };
    expect(body.feed.lastError).toEqual({ at: expect.any(String), since: expect.any(String), kind: 'fetch' });
    expect(body.reasons).toEqual([
      expect.stringMatching(/^feed: no successful poll in the .* s since start .*; last error: fetching the feed failed/),
    ]);
    expect(unhealthy).not.toContain('404'); // the raw text stays in the logs

    expectNoSecret(await about(93_001));

    const log = lines.join('');
    expectNoSecret(log);
    const started = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'live sync started');
    expect(started?.feed).toBe(`${server.origin}${PATH}`);
    // The logs keep the reason, with the URL cleaned.
    expect(log).toContain(`feed poll failed: ${server.origin}${PATH} answered HTTP 404 Not Found`);
  });

  it('still reaches the feed with its key and credentials, and keeps them out of the dataset /about names', async () => {
    server.state.status = 200;
    server.state.body = feedBody([
      rawRound({
        drawNumber: '435',
        drawDate: '2026-08-20',
        drawDateTime: 'August 20, 2026 at 14:00:00 UTC',
        drawCutOff: 'August 1, 2026 at 10:00:00 UTC',
      }),
    ]);
    await app!.start();
    await vi.waitFor(() => expect(app!.deps.status!().lastSuccessAt).not.toBeNull(), { timeout: 5000 });
    expect(server.requests[0]!.url).toBe(`${PATH}?key=${KEY}&lang=en`);
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);

    const text = await about(93_002);
    expect(text).toContain(`from ${server.origin}${PATH}`);
    expectNoSecret(text);
    expectNoSecret((await healthz()).text);
    expectNoSecret(lines.join(''));
    expect(lines.join('')).toContain('feed synced: 1 new');
  });
});
