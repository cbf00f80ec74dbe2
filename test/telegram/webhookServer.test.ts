import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type WebhookLimits, type WebhookServer, webhookServer } from '../../src/telegram/webhookServer.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { post, SLOW_HEADERS, type SlowClients, slowClients } from './slowClients.js';

const SECRET = 'webhook-Secret_123';

let api: FakeBotApi;
let bot: Bot;
const servers: WebhookServer[] = [];
const slow: SlowClients[] = [];

beforeAll(async () => {
  api = await FakeBotApi.start();
  // A plain grammY bot: what is tested here is the server in front of it.
  bot = new Bot(TEST_TOKEN, { botInfo: BOT_INFO, client: { apiRoot: api.apiRoot } });
  bot.on('message', (ctx) => ctx.reply('answered'));
});

afterEach(async () => {
  for (const clients of slow.splice(0)) clients.end();
  for (const server of servers.splice(0)) await server.stop();
});

afterAll(async () => {
  await api?.close();
});

/** A webhook server on 127.0.0.1 with `limits`, handing updates to `handleUpdate` (the bot's by default). */
async function start(limits: Partial<WebhookLimits>, handleUpdate = (update: Update) => bot.handleUpdate(update)) {
  const hook = webhookServer({ path: '/telegram/hook', secret: SECRET, handleUpdate, onError: () => undefined, limits });
  servers.push(hook);
  hook.server.listen(0, '127.0.0.1');
  await once(hook.server, 'listening');
  return { hook, port: (hook.server.address() as AddressInfo).port };
}

/** Something to hold a handler on until the test lets it go. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open: () => open() };
}

const update = (chatId: number) => JSON.stringify({ update_id: chatId, ...textMessage({ id: chatId }, '/latest') });

describe('the Telegram webhook server', () => {
  it('cuts 200 connections trickling headers within headersTimeout + 1 s, and answers an update meanwhile', async () => {
    // All from 127.0.0.1, as Telegram's own: the per-address cap raised out of the way.
    const { port } = await start({ headersTimeoutMs: 2_000, perAddress: 1_000 });
    const clients = await slowClients(port, 200, { trickle: SLOW_HEADERS });
    slow.push(clients);
    const answer = await post(port, update(8001), { secret: SECRET });
    expect(answer.status).toBe(200);
    expect(clients.open()).toBe(200); // answered while every slow one was still held
    await api.waitFor(() => api.sentTo(8001).length === 1);
    await vi.waitFor(() => expect(clients.open()).toBe(0), { timeout: 4_000, interval: 50 });
    for (const ms of clients.lifetimes()) {
      expect(ms).toBeGreaterThan(1_900);
      expect(ms).toBeLessThan(3_000);
    }
  });

  it('cuts a connection trickling its body bodyTimeout after its headers, without handling anything', async () => {
    const handleUpdate = vi.fn(async () => undefined);
    const { port } = await start({ bodyTimeoutMs: 1_000 }, handleUpdate);
    const clients = await slowClients(port, 3, {
      whole: `POST /telegram/hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\nContent-Length: 100\r\n\r\n`,
      trickle: update(8002).padEnd(100),
    });
    slow.push(clients);
    await vi.waitFor(() => expect(clients.open()).toBe(0), { timeout: 3_000, interval: 50 });
    for (const ms of clients.lifetimes()) {
      expect(ms).toBeGreaterThan(900);
      expect(ms).toBeLessThan(2_000);
    }
    expect(handleUpdate).not.toHaveBeenCalled();
  });

  it('answers 429 with Retry-After: 1 while pendingUpdates are being handled, and takes updates again after', async () => {
    const held = gate();
    const { hook, port } = await start({ pendingUpdates: 3 }, () => held.closed);
    const first = [8101, 8102, 8103].map((chatId) => post(port, update(chatId), { secret: SECRET }));
    await vi.waitFor(() => expect(hook.pending()).toBe(3));
    const refused = await post(port, update(8104), { secret: SECRET });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    held.open();
    expect((await Promise.all(first)).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await post(port, update(8104), { secret: SECRET })).status).toBe(200);
  });

  it('answers 200 at answerTimeout and counts the update as pending until it is handled', async () => {
    const held = gate();
    const { hook, port } = await start({ answerTimeoutMs: 300 }, () => held.closed);
    const answer = await post(port, update(8201), { secret: SECRET });
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeGreaterThan(250);
    expect(hook.pending()).toBe(1);
    held.open();
    await vi.waitFor(() => expect(hook.pending()).toBe(0));
  });

  it('keeps at most perAddress connections from one address: a newcomer takes the place of its longest waiting one', async () => {
    const { port } = await start({ perAddress: 5 });
    const clients = await slowClients(port, 6, { trickle: SLOW_HEADERS });
    slow.push(clients);
    await vi.waitFor(() => expect(clients.open()).toBe(5));
    expect(clients.lifetimes()).toEqual([expect.any(Number)]);
    expect(clients.lifetimes()[0]).toBeLessThan(1_000);
    expect((await post(port, update(8301), { secret: SECRET })).status).toBe(200);
    expect(clients.open()).toBe(4);
  });

  it('refuses a newcomer when every connection from its address is handling an update', async () => {
    const held = gate();
    const { hook, port } = await start({ perAddress: 2 }, () => held.closed);
    const handling = [8311, 8312].map((chatId) => post(port, update(chatId), { secret: SECRET }));
    await vi.waitFor(() => expect(hook.pending()).toBe(2));
    await expect(post(port, update(8313), { secret: SECRET })).rejects.toThrow();
    held.open();
    expect((await Promise.all(handling)).map((answer) => answer.status)).toEqual([200, 200]);
  });

  it('at the connection cap, gives up the connection that waited longest rather than refuse Telegram', async () => {
    const { port } = await start({ connections: 10, perAddress: 1_000 });
    const clients = await slowClients(port, 10, { trickle: SLOW_HEADERS });
    slow.push(clients);
    expect((await post(port, update(8401), { secret: SECRET })).status).toBe(200);
    expect(clients.open()).toBe(9);
  });

  it('on stop: cuts idle and slow connections, refuses new ones, and answers the update being handled before it resolves', async () => {
    const held = gate();
    const { hook, port } = await start({}, () => held.closed);
    const clients = await slowClients(port, 5, { trickle: SLOW_HEADERS });
    slow.push(clients);
    const answer = post(port, update(8501), { secret: SECRET });
    await vi.waitFor(() => expect(hook.pending()).toBe(1));
    let stopped = false;
    const stopping = hook.stop().then(() => {
      stopped = true;
    });
    await vi.waitFor(() => expect(clients.open()).toBe(0));
    await expect(post(port, update(8502), { secret: SECRET })).rejects.toThrow();
    expect(stopped).toBe(false);
    held.open();
    const answered = await answer;
    expect(answered.status).toBe(200);
    expect(answered.headers.connection).toBe('close');
    await stopping;
    expect(hook.pending()).toBe(0);
  });
});
