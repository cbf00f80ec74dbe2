import { DateTime } from 'luxon';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformDeps } from '../../src/commands/platformDeps.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { platformDeps, testDeps } from '../fixtures/deps.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';
import { BOT_INFO, FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';
import { LogRecorder } from './logRecorder.js';
import { roundRobin } from './roundRobin.js';

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });
const HOOK_URL = 'https://bot.example.test/telegram/hook';
const SECRET = 'webhook-Secret_123';
const UPDATES = 40;

let base: PlatformDeps;
const logs = new LogRecorder();

beforeAll(async () => {
  // The frozen dataset; both instances log to one recorder, at debug level.
  base = await platformDeps({ deps: await testDeps(undefined, NOW), log: logs.log });
});

/** Posts an update the way Telegram does: to the webhook URL, with the secret. */
async function deliver(port: number, update: object): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET },
    body: JSON.stringify(update),
  });
  await response.arrayBuffer();
  return response.status;
}

/** One instance in webhook mode, answering through `api` (one fake Bot API each: who answered is where it landed). */
function startInstance(api: FakeBotApi, firstTime: PlatformDeps['firstTime']): Promise<TelegramAdapter> {
  return startTelegram(
    { token: TEST_TOKEN, apiRoot: api.apiRoot, webhook: { url: HOOK_URL, secret: SECRET, port: 0, host: '127.0.0.1' } },
    { ...base, firstTime },
    BOT_INFO,
  );
}

const chatOf = (i: number) => 9000 + i;
const updateOf = (i: number) => ({ update_id: 500_000 + i, ...textMessage({ id: chatOf(i) }, '/latest') });

describeEachEngine('Telegram webhook, two instances behind a load balancer', (engine) => {
  let store: TestStorage;
  let apis: FakeBotApi[];
  let adapters: TelegramAdapter[];
  let proxy: Awaited<ReturnType<typeof roundRobin>>;

  beforeEach(async () => {
    store = await engine.open();
    // Each instance on a connection of its own to the one store, as two processes would be.
    const second = await store.reopen();
    const shared = [store.storage.updates, second.storage.updates];
    apis = [await FakeBotApi.start(), await FakeBotApi.start()];
    adapters = [];
    for (const [i, api] of apis.entries()) adapters.push(await startInstance(api, (key) => shared[i]!.first(key, Date.now())));
    proxy = await roundRobin(adapters.map((adapter) => adapter.port!));
  });

  afterEach(async () => {
    await proxy?.close();
    for (const adapter of adapters ?? []) await adapter.stop();
    for (const api of apis ?? []) await api.close();
    await store?.dispose();
  });

  /** Every answer each chat got, from either instance. */
  const answersTo = (chatId: number) => apis.flatMap((api) => api.postedTo(chatId));
  const answered = () => apis.map((api) => api.callsOf('sendMessage').length + api.callsOf('sendPhoto').length);

  it('answers each update once when Telegram redelivers it to the other instance, and both instances answer', async () => {
    const mark = logs.mark();
    for (let i = 0; i < UPDATES; i++) expect(await deliver(proxy.port, updateOf(i))).toBe(200);
    // Redelivered in pairs swapped (1, 0, 3, 2…): each copy lands on the instance that did not get the first.
    for (let i = 0; i < UPDATES; i++) expect(await deliver(proxy.port, updateOf(i ^ 1))).toBe(200);

    expect(proxy.routed).toEqual([UPDATES, UPDATES]);
    for (let i = 0; i < UPDATES; i++) expect(answersTo(chatOf(i)), `chat ${chatOf(i)}`).toHaveLength(1);
    expect(answered()).toEqual([UPDATES / 2, UPDATES / 2]);
    const skipped = logs.entriesSince(mark).filter((entry) => String(entry.msg).includes('taken already'));
    expect(skipped).toHaveLength(UPDATES);
    expect(Object.keys(skipped[0]!).sort()).toEqual(['level', 'msg', 'time', 'update']);
    expect(logs.since(mark).join('')).not.toContain('/latest');
  });

  it('answers each update once when both copies are on the wire at once', async () => {
    const posts = Array.from({ length: UPDATES }, (_, i) => [deliver(proxy.port, updateOf(i)), deliver(proxy.port, updateOf(i))]).flat();
    expect(new Set(await Promise.all(posts))).toEqual(new Set([200]));

    for (let i = 0; i < UPDATES; i++) expect(answersTo(chatOf(i)), `chat ${chatOf(i)}`).toHaveLength(1);
    expect(answered().reduce((a, b) => a + b)).toBe(UPDATES);
  });
});

describe('Telegram webhook, the update store', () => {
  let api: FakeBotApi;
  let adapter: TelegramAdapter | undefined;

  beforeEach(async () => {
    api = await FakeBotApi.start();
    adapter = undefined;
  });

  afterEach(async () => {
    await adapter?.stop();
    await api?.close();
  });

  it('failing, still answers the update (twice beats never), with a warning that carries no user text', async () => {
    const firstTime = vi.fn(async () => {
      throw new Error('connection terminated unexpectedly');
    });
    adapter = await startInstance(api, firstTime);
    const mark = logs.mark();
    expect(await deliver(adapter.port!, updateOf(0))).toBe(200);
    expect(await deliver(adapter.port!, updateOf(0))).toBe(200);

    expect(firstTime).toHaveBeenCalledWith(`telegram:${updateOf(0).update_id}`);
    expect(api.postedTo(chatOf(0))).toHaveLength(2); // twice beats never
    const warning = await logs.waitFor((entry) => String(entry.msg).includes('answering it anyway'), mark);
    expect(warning).toMatchObject({ update: updateOf(0).update_id, err: { message: 'connection terminated unexpectedly' } });
    expect(logs.since(mark).join('')).not.toContain('/latest');
  });

  it('is never asked in polling mode: one instance polls, and getUpdates confirms each update', async () => {
    const firstTime = vi.fn(async () => true);
    adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: api.apiRoot }, { ...base, firstTime }, BOT_INFO);
    api.push(textMessage({ id: chatOf(1) }, '/latest'));
    await api.waitFor(() => api.postedTo(chatOf(1)).length === 1);
    expect(firstTime).not.toHaveBeenCalled();
  });
});
