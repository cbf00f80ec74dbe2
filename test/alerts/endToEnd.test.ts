import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'discord.js';
import { Api } from 'grammy';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import { DrawStore } from '../../src/app/drawStore.js';
import { createAnswers } from '../../src/commands/createAnswers.js';
import { parseCommandLine } from '../../src/commands/parseCommandLine.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import { DrawIndex } from '../../src/core/drawIndex.js';
import { discordTransport } from '../../src/discord/discordTransport.js';
import { createDiscordClient } from '../../src/discord/startDiscord.js';
import type { CategorySlug, Draw } from '../../src/domain/drawSchema.js';
import { FeedPoller, type PollOutcome } from '../../src/feed/feedPoller.js';
import { parseFeed } from '../../src/feed/parseFeed.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import type { Storage } from '../../src/storage/storage.js';
import { telegramLimits, telegramTransport } from '../../src/telegram/telegramTransport.js';
import { testChat } from '../commands/chats.js';
import { APPLICATION_ID, FAKE_TOKEN, type FakeDiscord, startFakeDiscord } from '../discord/fakeDiscord.js';
import { type FeedServer, feedHistory, startFeedServer } from '../fixtures/feedHistory.js';
import { HAS_SHARED_IRCC, readSnapshot, SKIP_REASON } from '../fixtures/sharedIrcc.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';
import { type FakeTelegram, startFakeTelegram } from './fakeTelegramServer.js';
import { tempDir } from './helpers.js';

/**
 * The whole alerts path on IRCC's real history: a feed server on 127.0.0.1 serves what IRCC
 * published, the real poller syncs it, the real alerts engine records who gets what, and the real
 * senders deliver to a fake Telegram Bot API and a fake Discord through the real transports (the
 * Discord one through a discord.js client's REST). Chats subscribe with the commands themselves.
 * Senders are drained after each poll, so every message can be traced to the version that
 * brought its round.
 */

// Telegram's limits scaled ×1000 (30,000/s, a group's 20/min becomes one message per 3 ms): the
// pacing still runs, only faster.
const TELEGRAM_SCALE = 1000;
const BLOCKED = '1007'; // blocked the bot: 403
const OLD_GROUP = '-55'; // upgraded to a supergroup: 400 with migrate_to_chat_id
const SUPERGROUP = '-1000000000055';
const GONE_CHANNEL = '1300000000000000011'; // the bot lost access: 403 Missing Access (paused, not removed)

let feed: FeedServer;
beforeAll(async () => {
  feed = await startFeedServer();
});
afterAll(() => feed.close());

let telegram: FakeTelegram;
let discord: FakeDiscord;
let client: Client;
let temp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  temp = tempDir();
  [telegram, discord] = await Promise.all([
    startFakeTelegram({
      script: (chatId) => {
        if (chatId === BLOCKED) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        if (chatId === OLD_GROUP) {
          return {
            error_code: 400,
            description: 'Bad Request: group chat was upgraded to a supergroup chat',
            parameters: { migrate_to_chat_id: Number(SUPERGROUP) },
          };
        }
        return undefined;
      },
    }),
    startFakeDiscord(),
  ]);
  discord.failures.set(`/channels/${GONE_CHANNEL}/messages`, { status: 403, code: 50001, message: 'Missing Access' });
  // The adapter's own client: its REST carries the alerts in the bot (logging in is not needed for REST).
  client = createDiscordClient({ token: FAKE_TOKEN, applicationId: APPLICATION_ID, apiUrl: discord.apiUrl });
  client.rest.setToken(FAKE_TOKEN);
});
afterEach(async () => {
  await client.destroy();
  await Promise.all([telegram.close(), discord.close()]);
  temp.remove();
});

/** The bot's moving parts over one dataset and a storage: store, poller, alerts engine, both senders. */
async function startBot(seed: Draw[], storage: Storage) {
  const store = new DrawStore(new DrawIndex({ source: 'seed', generatedAt: '2015-02-01T00:00:00Z', draws: seed }));
  const alerts: Alerts = createAlerts({ storage, log: silentLogger, draws: () => store.current().draws });
  await alerts.catchUp(); // before the poller, as main.ts does: the first start only remembers the newest round
  const poller = new FeedPoller({
    url: feed.url,
    intervalMs: 300_000,
    dataFile: join(temp.dir, 'draws.json'),
    held: store.current,
    onDataset: store.update,
    log: silentLogger,
    onNewDraws: (draws) => alerts.onNewDraws(draws),
    timeoutMs: 5_000,
  });
  const senders = [
    new AlertSender({
      outbox: alerts.outbox,
      transport: telegramTransport(new Api(telegram.token, { apiRoot: telegram.apiRoot })),
      reply: alerts.reply,
      limiter: new RateLimiter(telegramLimits(TELEGRAM_SCALE)),
      log: silentLogger,
    }),
    new AlertSender({
      outbox: alerts.outbox,
      transport: discordTransport(client.rest),
      reply: alerts.reply,
      limiter: new RateLimiter({}),
      log: silentLogger,
    }),
  ];
  const deps: CommandDeps = {
    data: store.current,
    clock: () => DateTime.utc(),
    log: silentLogger,
    commands,
    subscriptions: storage.subscriptions,
    profiles: storage.profiles,
    forget: storage.forget,
  };
  const answers = createAnswers(deps);

  /** Types a command in a chat, as the adapters pass it on; `admin`: what the platform says of the asker. */
  function say(platform: 'telegram' | 'discord', id: string, text: string, { isPrivate = false, admin = true } = {}) {
    const { chat } = testChat(platform, { id, isPrivate, manager: admin });
    return answers.line(parseCommandLine(text, { requireSlash: true }), chat);
  }

  /** Sends everything owed now, including rows the per-chat pacing parked for a few milliseconds. */
  async function drain(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await Promise.all(senders.map((sender) => sender.drainOnce()));
      const pending = (await alerts.outbox.pendingCount('telegram')) + (await alerts.outbox.pendingCount('discord'));
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`${pending} alert(s) still pending`);
      const next = Math.min(
        (await alerts.outbox.nextDueAt('telegram')) ?? Infinity,
        (await alerts.outbox.nextDueAt('discord')) ?? Infinity,
      );
      await sleep(Math.max(1, Math.min(50, next - Date.now())));
    }
  }

  return { store, alerts, poller, say, drain, stop: () => Promise.all([poller.stop(), alerts.close()]) };
}

const roundOf = (title: string) => /New draw #(\w+):/.exec(title)?.[1] ?? `? ${title.slice(0, 40)}`;

/** Rounds each chat received, in order of arrival: "telegram:<chat>" / "discord:<channel>". */
function received(): Record<string, string[]> {
  const byChat: Record<string, string[]> = {};
  const add = (key: string, title: string) => {
    byChat[key] = [...(byChat[key] ?? []), roundOf(title)];
  };
  for (const m of telegram.delivered()) add(`telegram:${m.chatId}`, m.text);
  for (const r of discord.requests) {
    const channel = /^\/channels\/(\d+)\/messages$/.exec(r.path)?.[1];
    if (r.method !== 'POST' || !channel || channel === GONE_CHANNEL) continue;
    add(`discord:${channel}`, (r.body as { embeds: Array<{ title: string }> }).embeds[0]!.title);
  }
  return byChat;
}

type Wants = 'all' | readonly CategorySlug[];

/** What each subscriber should have received: `wants` of each fresh round, in order. */
function owed(expected: Record<string, string[]>, subscribers: Record<string, Wants>, fresh: readonly Draw[]): void {
  for (const [key, wants] of Object.entries(subscribers)) {
    for (const draw of fresh) if (wants === 'all' || wants.includes(draw.category)) expected[key] = [...(expected[key] ?? []), draw.round];
  }
}

const reportOf = (outcome: PollOutcome) => {
  expect(outcome.status).toBe('synced');
  return (outcome as Extract<PollOutcome, { status: 'synced' }>).report;
};

describe.skipIf(!HAS_SHARED_IRCC)(`alerts on IRCC's real feed${HAS_SHARED_IRCC ? '' : ` (${SKIP_REASON})`}`, () => {
  const y2026 = HAS_SHARED_IRCC ? parseFeed(readSnapshot('2026-08-07')).draws : [];

  describeEachEngine('the bot', (engine) => {
    /** The bot's storage, fresh for each test on this engine. */
    let storage: TestStorage;
    beforeEach(async () => {
      storage = await engine.open();
    });
    afterEach(async () => {
      await storage.dispose();
    });

    it('replays feed-history.tsv: every new round reaches every matching chat exactly once, in order; nothing else is sent', async () => {
      const history = feedHistory(readSnapshot('2026-08-07'));
      expect(history).toHaveLength(80);

      // The bot starts holding what the feed held at the first good observation (#1-#355, 356 rounds),
      // as a bot started from the committed dataset would: what IRCC published after is new.
      const seed = y2026.slice(-history[1]!.count);
      expect(seed[0]!.round).toBe('355');
      const bot = await startBot(seed, storage.storage);

      const tg = (id: string) => `telegram:${id}`;
      const dc = (id: string) => `discord:${id}`;
      const subscribers: Record<string, Wants> = {};
      // Telegram: a private chat for every draw, groups whose admins chose categories, a private chat
      // for two of them, a chat that blocked the bot, a group that becomes a supergroup.
      expect((await bot.say('telegram', '1001', '/subscribe', { isPrivate: true })).lines![0]).toBe(
        'This chat will get a message for every new Express Entry draw.',
      );
      subscribers[tg('1001')] = 'all';
      await bot.say('telegram', '-1002', '/subscribe healthcare');
      subscribers[tg('-1002')] = ['healthcare'];
      await bot.say('telegram', '1003', '/subscribe@EEDrawsTestBot french', { isPrivate: true });
      subscribers[tg('1003')] = ['french'];
      expect((await bot.say('telegram', '1004', '/subscribe health, french', { isPrivate: true })).lines![0]).toBe(
        'This chat will get a message for every new healthcare and French draw.',
      );
      subscribers[tg('1004')] = ['healthcare', 'french'];
      await bot.say('telegram', OLD_GROUP, '/subscribe cec');
      subscribers[tg(SUPERGROUP)] = ['cec']; // its alerts follow it to the new id
      await bot.say('telegram', BLOCKED, '/subscribe', { isPrivate: true });
      // Subscribed, then changed their mind; and a member who is no admin is refused.
      await bot.say('telegram', '1008', '/subscribe', { isPrivate: true });
      expect((await bot.say('telegram', '1008', '/unsubscribe', { isPrivate: true })).title).toBe('Draw alerts off');
      expect((await bot.say('telegram', '-1009', '/subscribe', { admin: false })).kind).toBe('error');
      // Discord: channels set up by members with Manage Channels, one of them lost later, and a DM.
      await bot.say('discord', '1300000000000000003', '/subscribe');
      subscribers[dc('1300000000000000003')] = 'all';
      await bot.say('discord', '1300000000000000010', '/subscribe cec');
      subscribers[dc('1300000000000000010')] = ['cec'];
      await bot.say('discord', GONE_CHANNEL, '/subscribe');
      await bot.say('discord', '1300000000000000013', '/subscribe french', { isPrivate: true });
      subscribers[dc('1300000000000000013')] = ['french'];
      expect((await bot.say('discord', '1300000000000000014', '/subscribe pnp', { admin: false })).kind).toBe('error');

      const expected: Record<string, string[]> = {};
      const held = new Set(seed.map((d) => d.round));
      // The blocked chat and the lost channel are found out with the first version that brings rounds.
      let firstFresh: Draw[] = [];
      for (const [i, observation] of history.entries()) {
        if (i === 40) {
          // A channel that subscribes half-way gets only what is published after.
          await bot.say('discord', '1300000000000000012', '/subscribe pnp cec');
          subscribers[dc('1300000000000000012')] = ['pnp', 'cec'];
        }
        feed.serve(observation.version);
        const outcome = await bot.poller.pollOnce();
        await bot.drain();
        if (observation.count === 0) {
          expect(outcome.status, observation.observedAt).toBe('failed');
        } else {
          const report = reportOf(outcome);
          expect(report.updated).toEqual([]);
          const fresh = [...report.added].reverse();
          expect(
            fresh.map((d) => d.round),
            observation.observedAt,
          ).toEqual(
            observation.rounds
              .map((r) => r.drawNumber)
              .filter((n) => !held.has(n))
              .reverse(),
          );
          for (const d of fresh) held.add(d.round);
          owed(expected, subscribers, fresh);
          if (firstFresh.length === 0) firstFresh = fresh;
        }
        expect(received(), observation.observedAt).toEqual(expected);

        // Polled again before the next version: a 304 (the refused body is fetched, and refused,
        // again), nothing announced, nothing sent.
        expect((await bot.poller.pollOnce()).status).toBe(observation.count === 0 ? 'failed' : 'unchanged');
        await bot.drain();
        expect(received()).toEqual(expected);
      }

      // 79 rounds were published after #355; the private chat for every draw got each once, in order.
      const published = y2026
        .slice(0, y2026.length - seed.length)
        .map((d) => d.round)
        .reverse();
      expect(published).toHaveLength(79);
      expect(expected[tg('1001')]).toEqual(published);
      expect(expected[dc('1300000000000000003')]).toEqual(published);
      expect(Object.fromEntries(Object.entries(expected).map(([key, rounds]) => [key, rounds.length]))).toEqual({
        'telegram:1001': 79,
        'telegram:-1002': 7,
        'telegram:1003': 15,
        'telegram:1004': 22,
        [`telegram:${SUPERGROUP}`]: 21,
        'discord:1300000000000000003': 79,
        'discord:1300000000000000010': 21,
        'discord:1300000000000000012': expect.any(Number),
        'discord:1300000000000000013': 15,
      });
      expect(expected[dc('1300000000000000012')]!.length).toBeGreaterThan(0);
      expect(expected[dc('1300000000000000012')]!.length).toBeLessThan(48);

      // The blocked chat and the lost channel were tried once (with the first new round), then dropped
      // with what else they were owed: the blocked chat unsubscribed, the channel paused (kept) until /subscribe.
      expect(telegram.received.filter((m) => m.chatId === BLOCKED).map((m) => [roundOf(m.text), m.answer])).toEqual([
        [firstFresh[0]!.round, 403],
      ]);
      const lost = discord.requests.filter((r) => r.path === `/channels/${GONE_CHANNEL}/messages`);
      expect(lost.map((r) => roundOf((r.body as { embeds: Array<{ title: string }> }).embeds[0]!.title))).toEqual([firstFresh[0]!.round]);
      const { subscriptions } = bot.alerts.storage;
      expect(await subscriptions.list('telegram', BLOCKED)).toEqual([]);
      expect(await subscriptions.list('discord', GONE_CHANNEL)).toEqual('all');
      expect(await subscriptions.paused('discord', GONE_CHANNEL)).toMatchObject({ reason: 'I lost permission to post in this channel' });
      // The old group was asked once (its first cec round), which then went to the supergroup.
      expect(telegram.received.filter((m) => m.chatId === OLD_GROUP).map((m) => m.answer)).toEqual([400]);
      expect(await subscriptions.list('telegram', SUPERGROUP)).toEqual(['cec']);
      // Nothing went to the chats that unsubscribed or were refused; no message was refused or limited.
      expect(telegram.received.filter((m) => ['1008', '-1009'].includes(m.chatId))).toEqual([]);
      expect(telegram.tooManyRequests()).toBe(0);

      // The alert is the draw's facts and how it compares with the category's previous draw.
      const alert422 = telegram.delivered().find((m) => m.chatId === '-1002' && roundOf(m.text) === '422')!;
      expect(alert422.text.split('\n').slice(0, 2)).toEqual([
        '<b>New draw #422: Healthcare and social services</b>',
        'Cut-off 475, 8 higher than the previous healthcare draw (#398, Feb 20, 2026: 467).',
      ]);
      expect(alert422.parseMode).toBe('HTML');
      expect(await bot.alerts.outbox.counts('telegram')).toEqual({
        pending: 0,
        sent: 79 + 7 + 15 + 22 + 21,
        gone: firstFresh.length,
        failed: 0,
      });
      expect(await bot.alerts.outbox.counts('discord')).toEqual({
        pending: 0,
        sent: 79 + 21 + 15 + expected[dc('1300000000000000012')]!.length,
        gone: 0,
        failed: firstFresh.length,
      });
      await bot.stop();
    }, 40_000);

    it('syncs the 2024 snapshot, then the 2026 one: the renamed and edited rounds are updated, only rounds new to the bot are announced', async () => {
      const y2024 = parseFeed(readSnapshot('2024-04-06')).draws;
      const old = new Map(y2024.map((d) => [d.round, d]));
      const bot = await startBot(y2024, storage.storage);
      await bot.say('telegram', '2001', '/subscribe', { isPrivate: true });
      await bot.say('telegram', '-2002', '/subscribe healthcare');
      await bot.say('discord', '1300000000000000020', '/subscribe cec french');

      feed.serve({ etag: '"2024-04-06"', body: readSnapshot('2024-04-06') });
      expect(reportOf(await bot.poller.pollOnce())).toMatchObject({ added: [], updated: [], missing: [] });
      await bot.drain();
      expect(received()).toEqual({});

      feed.serve({ etag: '"2026-08-07"', body: readSnapshot('2026-08-07') });
      const report = reportOf(await bot.poller.pollOnce());
      await bot.drain();
      const changed = report.updated.map((d) => d.round);
      expect(changed).toHaveLength(27); // 23 renamed ("(2023-1)" -> "(Version 1)"), 4 edited
      expect(bot.store.current().round('284')?.name).toBe('Healthcare occupations (Version 1)');

      const fresh = y2026.filter((d) => !old.has(d.round)).reverse();
      expect(fresh.map((d) => d.round)).toHaveLength(143);
      const expected: Record<string, string[]> = {};
      owed(expected, { 'telegram:2001': 'all', 'telegram:-2002': ['healthcare'], 'discord:1300000000000000020': ['cec', 'french'] }, fresh);
      expect(received()).toEqual(expected);
      expect(expected['telegram:2001']![0]).toBe('292');
      expect(expected['telegram:2001']!.at(-1)).toBe('434');
      expect(expected['telegram:-2002']).toHaveLength(11);
      expect(expected['discord:1300000000000000020']).toHaveLength(38 + 26);
      // No alert for a round the bot already held, however IRCC changed it.
      const all = Object.values(received()).flat();
      for (const round of changed) {
        expect(all).not.toContain(round);
        expect(await bot.alerts.outbox.draw(round)).toBeUndefined();
      }

      // Polled again: nothing new, nothing sent.
      expect(await bot.poller.pollOnce()).toEqual({ status: 'unchanged' });
      await bot.drain();
      expect(received()).toEqual(expected);
      await bot.stop();
    });
  });
});
