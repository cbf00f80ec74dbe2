import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Alerts, createAlerts } from '../../src/alerts/createAlerts.js';
import type { Draw } from '../../src/domain/drawSchema.js';
import { silentLogger } from '../../src/lib/log.js';
import { startTelegram, type TelegramAdapter } from '../../src/telegram/startTelegram.js';
import { useSubscriptionDeps } from '../alerts/helpers.js';
import { platformDeps } from '../fixtures/deps.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { FakeBotApi, TEST_TOKEN, textMessage } from './fakeBotApi.js';

/**
 * Personal alerts through the real bot against a fake Bot API: people tell it their profile and
 * subscribe in their private chats; when a round lands, each private chat's alert carries its
 * owner's verdict, and the group's stays generic.
 */

// The bot's storage (on each engine), opened before the bot and closed after it.
describeEachEngine('personal alerts end to end', (engine) => {
  const env = useSubscriptionDeps(engine);
  let held: Draw[] = [];
  let alerts: Alerts;
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    alerts = createAlerts({ storage: env.storage, log: silentLogger, draws: () => held });
    fake = await FakeBotApi.start();
    const deps = await platformDeps({ deps: env.deps });
    adapter = await startTelegram({ token: TEST_TOKEN, apiRoot: fake.apiRoot }, deps);
    alerts.startSender(adapter.alerts, { idleMs: 10_000 });
  });

  afterAll(async () => {
    await adapter?.stop();
    await alerts?.close();
    await fake?.close();
  });

  const QUALIFIES = 7_201;
  const SHORT = 7_202;
  const TIE = 7_205;
  const GROUP = -1_000_000_007_203;

  const POOL = {
    asOf: '2026-08-10',
    total: 200_000,
    bands: [
      { min: 0, max: 450, count: 150_000 },
      { min: 451, max: 470, count: 20_000 },
      { min: 471, max: 1200, count: 30_000 },
    ],
  };
  const ROUND = makeDraw({
    round: '435',
    date: '2026-08-12',
    category: 'healthcare',
    crs: 462,
    pool: POOL,
    tieBreak: '2026-05-21T12:14:09Z',
  });

  const texts = (chatId: number) => fake.sentTo(chatId).map((call) => call.payload.text as string);

  async function say(chatId: number, text: string): Promise<void> {
    const before = texts(chatId).length;
    fake.push(textMessage({ id: chatId }, text));
    await fake.waitFor(() => texts(chatId).length > before, 15_000);
  }

  describe('personal alerts on Telegram', () => {
    it('gives each private chat its owner verdict, and the group the generic alert', async () => {
      await say(QUALIFIES, '/profile 470 healthcare');
      await say(QUALIFIES, '/subscribe healthcare');
      await say(SHORT, '/profile 452 healthcare cec');
      await say(SHORT, '/subscribe');
      await say(TIE, '/profile 462 healthcare submitted=2026-05-20T09:00');
      await say(TIE, '/subscribe healthcare');
      await alerts.storage.subscriptions.subscribe('telegram', String(GROUP), 'all');

      held = [ROUND];
      await alerts.onNewDraws([ROUND]);
      await fake.waitFor(
        () => [QUALIFIES, SHORT, TIE, GROUP].every((chat) => texts(chat).some((t) => t.includes('New draw #435'))),
        15_000,
      );

      const alertIn = (chat: number) => texts(chat).find((t) => t.includes('New draw #435'))!;
      expect(alertIn(QUALIFIES)).toContain('Your CRS 470 qualifies (+8).');
      expect(alertIn(SHORT)).toContain('Your CRS 452: short by 10; about 9,000 profiles in the pool sat between you and the cut-off.');
      // At the cut-off, the submission time decides: before the tie-break, invited.
      expect(alertIn(TIE)).toContain('Your CRS 462: tie, settled by your submission time: made it.');
      expect(alertIn(GROUP)).not.toContain('Your CRS');
      expect(alertIn(GROUP)).toContain('Cut-off 462');
    });

    it('sends a new pool distribution to the chats that asked for pool alerts only, with where the owner stands', async () => {
      const POOL_ONLY = 7_204;
      await say(POOL_ONLY, '/profile 460');
      await say(POOL_ONLY, '/subscribe pool');
      await alerts.storage.subscriptions.subscribe('telegram', String(GROUP), 'all');
      held = [ROUND];
      // The distribution the bot knows: remembered, not announced (what onDataset does first, awaited here).
      expect(await alerts.outbox.announcePool(held)).toBeUndefined();
      const groupBefore = texts(GROUP).length;
      const shortBefore = texts(SHORT).length;
      const pool = { ...POOL, asOf: '2026-08-17', total: 201_000 };
      held = [{ ...ROUND, pool }];
      alerts.onDataset(held);
      await fake.waitFor(() => texts(POOL_ONLY).some((t) => t.includes('New pool distribution')), 15_000);
      const alert = texts(POOL_ONLY).find((t) => t.includes('New pool distribution'))!;
      expect(alert).toContain('201,000 profiles in the pool on Aug 17, 2026 (+1,000 since Aug 10, 2026)');
      expect(alert).toContain('About 40,000 profiles now score above your CRS 460.');
      // Draw subscribers get nothing extra; the pool subscriber got no draw alert before.
      expect(texts(POOL_ONLY).some((t) => t.includes('New draw #435'))).toBe(false);
      await vi.waitFor(async () => expect(await alerts.outbox.pendingCount('telegram')).toBe(0), { timeout: 5000, interval: 10 });
      expect(texts(GROUP)).toHaveLength(groupBefore);
      expect(texts(SHORT)).toHaveLength(shortBefore);
    });
  });
});
