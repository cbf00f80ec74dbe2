import { expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import type { DeliveryResult } from '../../src/alerts/alertTransport.js';
import { hashId, keyHashes } from '../../src/lib/hashId.js';
import { createLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { fakeTransport, useStores } from './helpers.js';

const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });

// Telegram users (private chats have the user's id), and a group that moves to a supergroup.
const BLOCKED = '7123456789';
const FAILING = '7234567890';
const LIMITED = '7345678901';
const GROUP = '-4242';
const SUPERGROUP = '-1009042';

function script(chatId: string): DeliveryResult {
  if (chatId === BLOCKED) return { status: 'gone', reason: 'Forbidden: bot was blocked by the user' };
  if (chatId === FAILING) return { status: 'failed', error: 'HTTP 502' };
  if (chatId === LIMITED) return { status: 'retry', afterMs: 1000, scope: 'chat', reason: 'Too Many Requests' };
  if (chatId === GROUP) return { status: 'migrated', toChatId: SUPERGROUP };
  return { status: 'sent' };
}

describeEachEngine('alert logs', (engine) => {
  const env = useStores(engine);

  it("carry a short stable hash of the chat, keyed by the install's secret, never its id", async () => {
    // As createApp does: the hashes are keyed by the secret kept in the store.
    const secret = await env.stores.storage.secret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    keyHashes(secret);
    for (const chat of [BLOCKED, FAILING, LIMITED, GROUP]) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    await env.stores.outbox.enqueue([draw]);
    const lines: string[] = [];
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fakeTransport(script).transport,
      reply: async (round) => {
        const held = await env.stores.outbox.draw(round);
        return held && alertReply(held, undefined);
      },
      limiter: new RateLimiter(telegramLimits(), env.clock.now),
      log: createLogger('debug', { write: (line: string) => void lines.push(line) }),
      now: env.clock.now,
      // By whole milliseconds, as a timer waits: the store keeps times as integers.
      sleep: (ms) => env.clock.sleep(Math.ceil(ms)),
      maxAttempts: 2,
      retryBaseMs: 10,
    });
    await sender.drainOnce();
    env.clock.t += 60_000;
    await sender.drainOnce();

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const about = (chatId: string) => entries.filter((e) => e.chat === hashId(chatId)).map((e) => e.msg);
    expect(about(BLOCKED)).toEqual(['chat unreachable; its alert subscription is removed']);
    expect(about(FAILING)).toEqual(['alert failed; will retry', 'alert not delivered; giving up']);
    expect(about(LIMITED)).toContain('alert held back (rate limit); trying again later');
    expect(about(GROUP)).toEqual(['chat moved to a new id; subscription and alerts follow it']);
    expect(entries.find((e) => e.chat === hashId(GROUP))?.toChat).toBe(hashId(SUPERGROUP));
    for (const id of [BLOCKED, FAILING, LIMITED, GROUP, SUPERGROUP]) expect(lines.join('\n')).not.toContain(id);
    // Nor the unkeyed hash, which anyone could compute for every plausible id.
    vi.resetModules();
    const unkeyed = (await import('../../src/lib/hashId.js')).hashId;
    for (const id of [BLOCKED, FAILING, LIMITED, GROUP, SUPERGROUP]) {
      expect(unkeyed(id)).not.toBe(hashId(id));
      expect(lines.join('\n')).not.toContain(unkeyed(id));
    }
    // The same secret at the next start: a chat's lines still match across restarts.
    expect(await env.stores.storage.secret()).toBe(secret);
  });
});
