import { expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { fakeTransport, useStores } from './helpers.js';

describeEachEngine('AlertSender: a chat gets its alerts in the order the rounds were published', (engine) => {
  const env = useStores(engine);

  it('keeps each chat in order while per-chat pacing parks rows and other chats keep the sender busy', async () => {
    // 60 private chats and 4 groups, 8 rounds at once (a bot back after a while): the global limit
    // keeps the sender sleeping between chats long enough for a parked chat to become ready again
    // in the middle of a batch.
    const chats = [...Array.from({ length: 60 }, (_, i) => String(1000 + i)), '-1', '-2', '-3', '-4'];
    for (const chat of chats) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    const draws = Array.from({ length: 8 }, (_, i) => makeDraw({ round: String(500 + i), date: '2026-08-07', crs: 500 + i }));
    await env.stores.outbox.enqueue(draws);
    const fake = fakeTransport();
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fake.transport,
      reply: async (round) => alertReply((await env.stores.outbox.draw(round))!, undefined),
      limiter: new RateLimiter(telegramLimits(), env.clock.now),
      log: silentLogger,
      now: env.clock.now,
      // By whole milliseconds, as a timer waits: the store keeps times as integers.
      sleep: (ms) => env.clock.sleep(Math.ceil(ms)),
    });
    for (let i = 0; i < 200 && (await env.stores.outbox.pendingCount('telegram')) > 0; i++) {
      await sender.drainOnce();
      const next = await env.stores.outbox.nextDueAt('telegram');
      if (next !== undefined) env.clock.t = Math.max(env.clock.t, next);
    }
    expect(await env.stores.outbox.pendingCount('telegram')).toBe(0);
    const titles = draws.map((d) => `New draw #${d.round}: Canadian Experience Class`);
    for (const chat of chats)
      expect(
        fake.sends.filter((s) => s.chatId === chat).map((s) => s.title),
        chat,
      ).toEqual(titles);
  });
});
