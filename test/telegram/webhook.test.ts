import { connect } from 'node:net';
import { HttpError } from 'grammy';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformDeps } from '../../src/commands/platformDeps.js';
import { safeError } from '../../src/lib/safeError.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { loopbackAliases, post, SLOW_HEADERS, type SlowClients, slowClients } from './slowClients.js';

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });
const HOOK_URL = 'https://bot.example.test/telegram/hook';
const SECRET = 'webhook-Secret_123';

let fake: FakeBotApi;
let deps: PlatformDeps;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  // The frozen dataset, with a silent logger.
  deps = await platformDeps({ deps: await testDeps(undefined, NOW) });
});

afterAll(async () => {
  await fake?.close();
});

/** Posts an update to the bot's webhook server the way Telegram does. */
function deliver(port: number, body: string, headers: Record<string, string> = {}, path = '/telegram/hook') {
  return fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** Writes `request` on a connection of its own and resolves with all the server sent back before it closed. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('Telegram bot, webhook mode', () => {
  // A Bot API of its own: what it records comes from this bot alone, whatever ran before.
  let hookApi: FakeBotApi;
  let adapter: TelegramAdapter;
  beforeAll(async () => {
    hookApi = await FakeBotApi.start();
    adapter = await startTelegram(
      { token: TEST_TOKEN, apiRoot: hookApi.apiRoot, webhook: { url: HOOK_URL, secret: SECRET, port: 0 } },
      deps,
    );
  });
  afterAll(async () => {
    await adapter?.stop();
    await hookApi?.close();
  });

  it('registers the webhook with its secret, for messages only, and does not poll', () => {
    const [set] = hookApi.callsOf('setWebhook');
    expect(set!.payload).toEqual({ url: HOOK_URL, secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    expect(hookApi.callsOf('getUpdates')).toHaveLength(0);
    expect(hookApi.callsOf('setMyCommands')).toHaveLength(1);
  });

  it('answers an update delivered with the secret', async () => {
    const update = { update_id: 1, ...textMessage({ id: 7001 }, '/latest healthcare') };
    const response = await deliver(adapter.port!, JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(response.status).toBe(200);
    await hookApi.waitFor(() => hookApi.sentTo(7001).length === 1);
    const text = hookApi.sentTo(7001)[0]!.payload.text as string;
    expect(text.split('\n')[0]).toBe('<b>Latest Healthcare and social services draw: #422</b>');
    expect(text).toContain('<b>CRS cut-off:</b> 475');
    expect(text).toContain('<b>Invitations:</b> 4,000');
  });

  it('refuses an update without the right secret, and answers nothing', async () => {
    const update = JSON.stringify({ update_id: 2, ...textMessage({ id: 7002 }, '/latest') });
    expect((await deliver(adapter.port!, update)).status).toBe(401);
    expect((await deliver(adapter.port!, update, { 'X-Telegram-Bot-Api-Secret-Token': 'guess' })).status).toBe(401);
    expect(hookApi.sentTo(7002)).toHaveLength(0);
  });

  it('answers 404 off the webhook path and 400 to a body that is not JSON, and keeps serving', async () => {
    expect((await deliver(adapter.port!, '{}', { 'X-Telegram-Bot-Api-Secret-Token': SECRET }, '/other')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${adapter.port}/telegram/hook`)).status).toBe(404);
    expect((await deliver(adapter.port!, 'not json', { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(400);
    const update = { update_id: 3, ...textMessage({ id: -7003 }, '/check 470 abc') };
    expect((await deliver(adapter.port!, JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(200);
    await hookApi.waitFor(() => hookApi.sentTo(-7003).length === 1);
    expect(hookApi.sentTo(-7003)[0]!.payload.text).toBe(
      'Unknown category "abc"; /categories lists them (healthcare, cec, pnp, french…). For example: /check 470 healthcare',
    );
  });

  it('refuses a body over 1 MB (413) or of unknown length (411) before reading it, even with the secret', async () => {
    const head = `POST /telegram/hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Type: application/json\r\n`;
    const update = JSON.stringify({ update_id: 5, ...textMessage({ id: 7005 }, '/latest') });
    // No body follows the headers: the answer can only come from them.
    expect(await exchange(adapter.port!, `${head}Content-Length: ${2 * 1024 * 1024}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 413 /);
    const chunk = `${Buffer.byteLength(update).toString(16)}\r\n${update}\r\n`;
    expect(await exchange(adapter.port!, `${head}Transfer-Encoding: chunked\r\n\r\n${chunk}`)).toMatch(/^HTTP\/1\.1 411 /);
    // The same chat's update, delivered properly, is the only one it answers.
    expect((await deliver(adapter.port!, update, { 'X-Telegram-Bot-Api-Secret-Token': SECRET })).status).toBe(200);
    await hookApi.waitFor(() => hookApi.sentTo(7005).length > 0);
    expect(hookApi.sentTo(7005)).toHaveLength(1);
  });

  it('listens on WEBHOOK_HOST when it is set', async () => {
    const own = await startTelegram(
      { token: TEST_TOKEN, apiRoot: fake.apiRoot, webhook: { url: HOOK_URL, secret: SECRET, port: 0, host: '127.0.0.1' } },
      deps,
    );
    try {
      expect((await fetch(`http://127.0.0.1:${own.port}/telegram/hook`)).status).toBe(404);
      await expect(fetch(`http://[::1]:${own.port}/telegram/hook`)).rejects.toThrow();
    } finally {
      await own.stop();
    }
  });

  it('closes its server on stop()', async () => {
    const own = await startTelegram(
      { token: TEST_TOKEN, apiRoot: fake.apiRoot, webhook: { url: HOOK_URL, secret: SECRET, port: 0 } },
      deps,
    );
    const port = own.port!;
    expect((await fetch(`http://127.0.0.1:${port}/telegram/hook`)).status).toBe(404);
    await own.stop();
    await expect(fetch(`http://127.0.0.1:${port}/telegram/hook`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});

describe('Telegram webhook under slow clients (the default limits)', () => {
  let hookApi: FakeBotApi;
  let adapter: TelegramAdapter;
  const slow: SlowClients[] = [];
  beforeEach(async () => {
    hookApi = await FakeBotApi.start();
    adapter = await startTelegram(
      { token: TEST_TOKEN, apiRoot: hookApi.apiRoot, webhook: { url: HOOK_URL, secret: SECRET, port: 0, host: '127.0.0.1' } },
      deps,
      BOT_INFO,
    );
  });
  afterEach(async () => {
    for (const clients of slow.splice(0)) clients.end();
    await adapter?.stop();
    await hookApi?.close();
  });

  const update = (chatId: number) => JSON.stringify({ update_id: chatId, ...textMessage({ id: chatId }, '/latest') });

  it('cuts 200 connections trickling headers, and 20 trickling a body, 5–6 s after they open; Telegram is answered meanwhile', async (ctx) => {
    // Other loopback addresses: the attack comes from elsewhere than Telegram, each under the per-address cap.
    if (!(await loopbackAliases())) ctx.skip();
    const headers = await slowClients(adapter.port!, 200, {
      from: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'],
      trickle: SLOW_HEADERS,
    });
    const body = await slowClients(adapter.port!, 20, {
      from: ['127.0.0.6'],
      whole: `POST /telegram/hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: 100\r\n\r\n`,
      trickle: update(1).padEnd(100),
    });
    slow.push(headers, body);
    const answer = await post(adapter.port!, update(7101), { secret: SECRET });
    expect(answer.status).toBe(200);
    expect(headers.open() + body.open()).toBe(220); // answered while every slow one was still held
    await hookApi.waitFor(() => hookApi.sentTo(7101).length === 1);
    await vi.waitFor(() => expect(headers.open() + body.open()).toBe(0), { timeout: 7_000, interval: 50 });
    for (const ms of [...headers.lifetimes(), ...body.lifetimes()]) {
      expect(ms).toBeGreaterThan(4_900);
      expect(ms).toBeLessThan(6_000);
    }
    expect(hookApi.sentTo(1)).toHaveLength(0);
  }, 15_000);

  it('keeps at most 100 connections from one address, giving up the longest waiting for a newcomer: Telegram is served', async () => {
    // One address for all, as behind a reverse proxy: the slow ones must not keep Telegram's update out.
    const clients = await slowClients(adapter.port!, 101, { trickle: SLOW_HEADERS });
    slow.push(clients);
    await vi.waitFor(() => expect(clients.open()).toBe(100));
    expect(clients.lifetimes()).toHaveLength(1);
    expect(clients.lifetimes()[0]).toBeLessThan(1_000);
    const answer = await post(adapter.port!, update(7102), { secret: SECRET });
    expect(answer.status).toBe(200);
    expect(clients.open()).toBe(99); // it took the place of one, long before any was cut for slowness
    await hookApi.waitFor(() => hookApi.sentTo(7102).length === 1);
  });
});

describe('Telegram start-up', () => {
  it('makes up a webhook secret when none is configured, and requires it', async () => {
    const adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot, webhook: { url: HOOK_URL, port: 0 } }, deps);
    try {
      const secret = fake.callsOf('setWebhook').at(-1)!.payload.secret_token as string;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const update = JSON.stringify({ update_id: 4, ...textMessage({ id: 7004 }, '/about') });
      expect((await deliver(adapter.port!, update)).status).toBe(401);
      expect((await deliver(adapter.port!, update, { 'X-Telegram-Bot-Api-Secret-Token': secret })).status).toBe(200);
    } finally {
      await adapter.stop();
    }
  });

  it('refuses to start with a token the API rejects, without printing it', async () => {
    const wrong = '654321:WRONG-token-abcdefghijklmnopqrstuvwx';
    const start = startTelegram({ token: wrong, apiRoot: `${fake.apiRoot}/` }, deps);
    await expect(start).rejects.toThrow(/getMe failed.*401: Unauthorized/);
    await start.catch((error: Error) => expect(error.message).not.toContain(wrong.split(':')[1]));
  });

  it('keeps the token out of a network error made fit for the logs', () => {
    const cause = new Error(`request to https://api.telegram.org/bot${TEST_TOKEN}/getUpdates failed, reason: socket hang up`);
    const logged = JSON.stringify(safeError(new HttpError("Network request for 'getUpdates' failed!", cause), TEST_TOKEN));
    expect(logged).toContain('socket hang up');
    expect(logged).not.toContain(TEST_TOKEN.split(':')[1]);
    expect(JSON.stringify(safeError(new Error(`bad 999999:${'x'.repeat(30)}`)))).not.toContain('x'.repeat(30));
  });
});
