import { type Client, DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { createAlerts } from '../../src/alerts/createAlerts.js';
import { discordEditFailure, discordFailure, discordTransport, LOST_PERMISSION, nonceOf } from '../../src/discord/discordTransport.js';
import { createDiscordClient, type DiscordAdapter, startDiscord } from '../../src/discord/startDiscord.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { alertHtml, telegramTransport } from '../../src/telegram/telegramTransport.js';
import { type FakeTelegram, startFakeTelegram } from '../alerts/fakeTelegramServer.js';
import { useStores } from '../alerts/helpers.js';
import { platformDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, startFakeDiscord } from './fakeDiscord.js';

const apiError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  new DiscordAPIError({ code, message, ...extra }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: {} });

describe('discordFailure', () => {
  it('maps Discord errors to what the sender does', () => {
    // A permission taken away (often for a while): paused, not removed.
    expect(discordFailure(apiError(403, 50001, 'Missing Access'))).toMatchObject({ status: 'paused', reason: LOST_PERMISSION.reason });
    expect(discordFailure(apiError(403, 50013, 'Missing Permissions'))).toEqual({
      status: 'paused',
      ...LOST_PERMISSION,
      detail: '403 50013: Missing Permissions',
    });
    expect(discordFailure(apiError(403, 0, '403: Forbidden'))).toMatchObject({ status: 'paused' });
    // The channel (or its server) is gone, or a user's DMs are closed: removed.
    expect(discordFailure(apiError(403, 50007, 'Cannot send messages to this user'))).toMatchObject({ status: 'gone' });
    expect(discordFailure(apiError(404, 10003, 'Unknown Channel'))).toMatchObject({ status: 'gone' });
    expect(discordFailure(apiError(404, 10004, 'Unknown Guild'))).toMatchObject({ status: 'gone' });
    expect(discordFailure(apiError(429, 0, 'You are being rate limited.', { retry_after: 1.5, global: false }))).toMatchObject({
      status: 'retry',
      afterMs: 1500,
      scope: 'chat',
    });
    const limited = new RateLimitError({
      timeToReset: 2000,
      limit: 5,
      method: 'POST',
      hash: 'h',
      url: 'u',
      route: '/channels/:id/messages',
      majorParameter: '1',
      global: true,
      retryAfter: 2000,
      sublimitTimeout: 0,
      scope: 'global',
    });
    expect(discordFailure(limited)).toMatchObject({ status: 'retry', afterMs: 2000, scope: 'global' });
    expect(discordFailure(apiError(401, 0, '401: Unauthorized'))).toMatchObject({ status: 'retry', afterMs: 60_000, scope: 'global' });
    expect(discordFailure(apiError(404, 0, '404: Not Found'))).toMatchObject({ status: 'retry', scope: 'global' });
    expect(discordFailure(apiError(400, 50035, 'Invalid Form Body'))).toMatchObject({ status: 'failed', permanent: true });
    expect(discordFailure(new HTTPError(502, 'Bad Gateway', 'POST', 'u', { body: {} }))).toMatchObject({ status: 'failed' });
    expect(discordFailure(new HTTPError(502, 'Bad Gateway', 'POST', 'u', { body: {} }))).not.toHaveProperty('permanent', true);
    expect(discordFailure(new DOMException('This operation was aborted', 'AbortError'))).toMatchObject({ status: 'failed' });
  });

  it('maps the errors of an edit: a message or channel gone is skipped, a 429 waited', () => {
    expect(discordEditFailure(apiError(404, 10008, 'Unknown Message'))).toMatchObject({ status: 'skipped' });
    expect(discordEditFailure(apiError(404, 10003, 'Unknown Channel'))).toMatchObject({ status: 'skipped' });
    expect(discordEditFailure(apiError(403, 50001, 'Missing Access'))).toMatchObject({ status: 'skipped' });
    expect(discordEditFailure(apiError(429, 0, 'You are being rate limited.', { retry_after: 2 }))).toMatchObject({
      status: 'retry',
      afterMs: 2000,
    });
    expect(discordEditFailure(new HTTPError(502, 'Bad Gateway', 'PATCH', 'u', { body: {} }))).toMatchObject({ status: 'failed' });
  });
});

describe("discordTransport through the bot client's REST, against a fake Discord", () => {
  let fake: FakeDiscord;
  let client: Client;
  const draw = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462 });
  const reply = alertReply(draw, makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 475 }));

  beforeAll(async () => {
    fake = await startFakeDiscord();
    // The adapter's own client (not logged in: REST alone is used), so its REST options are the bot's.
    client = createDiscordClient({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fake.apiUrl });
    client.rest.setToken(FAKE_TOKEN);
  });
  afterAll(async () => {
    await client.destroy();
    await fake.close();
  });

  const posts = (channel: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`);

  it('posts the embed every answer uses, as the bot, pinging nobody', async () => {
    const result = await discordTransport(client.rest).send('1300000000000000201', reply);
    expect(result).toEqual({ status: 'sent', messageId: expect.stringMatching(/^\d{17,20}$/) });
    const [post] = posts('1300000000000000201');
    expect(post!.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(post!.body).toEqual({
      embeds: [
        {
          title: 'New draw #435: Healthcare and social services',
          color: 0x2ecc71,
          url: draw.url,
          description: `Cut-off 462, 13 lower than the previous healthcare draw (#422, Jun 25, 2026: 475).\n\n[Round #435 on canada.ca](${draw.url})`,
          fields: expect.arrayContaining([{ name: 'CRS cut-off', value: '462', inline: true }]),
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it("leaves a 429 to discord.js' rate limiting: it waits retry_after, then sends", async () => {
    const channel = '1300000000000000202';
    fake.failures.set(`/channels/${channel}/messages`, {
      status: 429,
      code: 0,
      message: 'You are being rate limited.',
      extra: { retry_after: 0.3, global: false },
      headers: { 'retry-after': '0.3', 'x-ratelimit-scope': 'user' },
    });
    const started = Date.now();
    expect(await discordTransport(client.rest).send(channel, reply)).toMatchObject({ status: 'sent' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const tries = posts(channel);
    expect(tries).toHaveLength(2);
    expect(fake.requests.indexOf(tries[1]!) - fake.requests.indexOf(tries[0]!)).toBe(1);
  });

  it('carries the delivery key as an enforced nonce (at most 25 characters), and no nonce without a key', async () => {
    const channel = '1300000000000000207';
    const transport = discordTransport(client.rest);
    // An install's prefix and a row id: longer than Discord takes, so nonceOf keeps its end.
    const key = 'ee-7f3a9c2e41b04d6d8e1f-install:123456';
    expect(await transport.send(channel, reply, undefined, key)).toMatchObject({ status: 'sent' });
    expect(await transport.send(channel, reply)).toMatchObject({ status: 'sent' });
    const [keyed, plain] = posts(channel).map((post) => post.body as Record<string, unknown>);
    expect(keyed).toMatchObject({ nonce: nonceOf(key), enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(String(keyed!.nonce).length).toBeLessThanOrEqual(25);
    expect(String(keyed!.nonce)).toMatch(/123456$/); // the row id survives the cut
    expect(nonceOf('short-key:7')).toBe('short-key:7');
    expect(plain).not.toHaveProperty('nonce');
    expect(plain).not.toHaveProperty('enforce_nonce');
    expect({ ...keyed, nonce: undefined, enforce_nonce: undefined }).toEqual({ ...plain, nonce: undefined, enforce_nonce: undefined });
  });

  describeEachEngine('its failures, as the sender acts on them', (engine) => {
    const env = useStores(engine);

    it('removes the subscription of a deleted channel (404 Unknown Channel), pauses one the bot may not post in (403), keeps the others', async () => {
      const { subscriptions, outbox } = env.stores;
      const [lost, deleted, fine] = ['1300000000000000203', '1300000000000000204', '1300000000000000205'];
      for (const channel of [lost, deleted, fine]) await subscriptions.subscribe('discord', channel, ['healthcare']);
      fake.failures.set(`/channels/${lost}/messages`, { status: 403, code: 50001, message: 'Missing Access' });
      fake.failures.set(`/channels/${deleted}/messages`, { status: 404, code: 10003, message: 'Unknown Channel' });
      expect(await outbox.enqueue([draw])).toBe(3);
      const sender = new AlertSender({
        outbox,
        transport: discordTransport(client.rest),
        reply: async () => reply,
        limiter: new RateLimiter({}),
        log: silentLogger,
      });
      expect(await sender.drainOnce()).toMatchObject({ sent: 1, gone: 1, failed: 1 });
      expect(await subscriptions.list('discord', lost)).toEqual(['healthcare']);
      expect(await subscriptions.paused('discord', lost)).toMatchObject({ reason: LOST_PERMISSION.reason });
      expect(await subscriptions.list('discord', deleted)).toEqual([]);
      expect(await subscriptions.list('discord', fine)).toEqual(['healthcare']);
      expect(await outbox.counts('discord')).toEqual({ pending: 0, sent: 1, gone: 1, failed: 1 });
    });
  });

  it('edits a sent alert in place (PATCH its message) when IRCC corrects the round; a deleted message is skipped', async () => {
    const channel = '1300000000000000206';
    const transport = discordTransport(client.rest);
    const sent = await transport.send(channel, reply);
    if (sent.status !== 'sent' || !sent.messageId) throw new Error('expected a message id');
    const corrected = alertReply({ ...draw, crs: 460 }, makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 475 }), [
      { field: 'crs', before: 462, after: 460 },
    ]);
    expect(await transport.edit!(channel, sent.messageId, corrected)).toEqual({ status: 'edited' });
    const patches = fake.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([`/channels/${channel}/messages/${sent.messageId}`]);
    expect(patches[0]!.body).toMatchObject({
      embeds: [{ description: expect.stringMatching(/^Corrected by IRCC: cut-off 462 → 460\.\nCut-off 460, 15 lower/) }],
      allowed_mentions: { parse: [] },
    });
    expect(posts(channel)).toHaveLength(1); // edited, never sent again
    expect(await transport.edit!(channel, '1300000000000009999', corrected)).toMatchObject({ status: 'skipped' });
  });
});

describe("the wiring createApp uses: each adapter's alert transport, through alerts.startSender", () => {
  let fakeDiscord: FakeDiscord;
  let fakeTelegram: FakeTelegram;
  let discord: DiscordAdapter;
  beforeAll(async () => {
    [fakeDiscord, fakeTelegram] = await Promise.all([startFakeDiscord(), startFakeTelegram()]);
    // The Discord bot as it runs, logged in: its `alerts` is what createApp hands the sender.
    discord = await startDiscord({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: fakeDiscord.apiUrl }, await platformDeps());
  });
  afterAll(async () => {
    await discord?.stop();
    await Promise.all([fakeDiscord?.close(), fakeTelegram?.close()]);
  });

  describeEachEngine('on a store', (engine) => {
    const env = useStores(engine);

    it('a new round from the poller reaches the subscribed Telegram chat and Discord channel, once each, Discord with its nonce', async () => {
      const previous = makeDraw({ round: '422', date: '2026-06-25', category: 'healthcare', crs: 475 });
      const next = makeDraw({ round: '435', date: '2026-08-12', category: 'healthcare', crs: 462 });
      let held = [previous];
      const keyPrefix = 'ee-7f3a9c2e41b04d6d8e1f:';
      const { storage } = env.stores;
      const alerts = createAlerts({ storage, log: silentLogger, draws: () => held, keyPrefix });
      await alerts.catchUp();
      await storage.subscriptions.subscribe('telegram', '-1001', ['healthcare']);
      await storage.subscriptions.subscribe('telegram', '1002', ['cec']);
      await storage.subscriptions.subscribe('discord', '1300000000000000301', 'all');
      // The servers are shared by this file's tests: only what arrives from now on is this test's.
      const telegramBefore = fakeTelegram.received.length;
      const discordBefore = fakeDiscord.requests.length;
      // Telegram's transport as startTelegram builds it: a plain Api of its own, paced at Telegram's limits.
      const telegram = telegramTransport(new Api(fakeTelegram.token, { apiRoot: fakeTelegram.apiRoot }));
      // Each paced by its own platform's budget.
      expect(telegram.limiter).toBeInstanceOf(RateLimiter);
      expect(discord.alerts.limiter).toBeInstanceOf(RateLimiter);
      expect(discord.alerts.limiter).not.toBe(telegram.limiter);
      for (const transport of [telegram, discord.alerts]) alerts.startSender(transport);

      held = [next, previous];
      await alerts.onNewDraws([next]);
      await vi.waitFor(
        async () => expect((await alerts.outbox.pendingCount('telegram')) + (await alerts.outbox.pendingCount('discord'))).toBe(0),
        { timeout: 5000, interval: 10 },
      );
      await alerts.close();

      const received = fakeTelegram.received.slice(telegramBefore);
      expect(received.map((m) => [m.chatId, m.answer])).toEqual([['-1001', 'ok']]);
      expect(received[0]!.text).toBe(alertHtml(alertReply(next, previous)));
      expect(received[0]!.text.split('\n')[0]).toBe('<b>New draw #435: Healthcare and social services</b>');
      const posts = fakeDiscord.requests.slice(discordBefore).filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));
      expect(posts.map((r) => r.path)).toEqual(['/channels/1300000000000000301/messages']);
      expect(posts[0]!.authorization).toBe(`Bot ${FAKE_TOKEN}`);
      // The delivery's key, keyPrefix + its row id, as the message's nonce: a resend of the row carries the same.
      const row = await env.stores.db.get<{ id: number }>('SELECT id FROM deliveries WHERE platform = ?', ['discord']);
      expect(posts[0]!.body).toMatchObject({ nonce: nonceOf(`${keyPrefix}${row!.id}`), enforce_nonce: true });
    });
  });
});
