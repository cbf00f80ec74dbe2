import { describe, expect, it } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import type { DeliveryResult } from '../../src/alerts/alertTransport.js';
import { hashId } from '../../src/lib/hashId.js';
import { createLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { fakeTransport, useStores } from './helpers.js';

const env = useStores();
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

describe('alert logs', () => {
  it('carry a short stable hash of the chat, never its id', async () => {
    for (const chat of [BLOCKED, FAILING, LIMITED, GROUP]) env.stores.subscriptions.subscribe('telegram', chat, 'all');
    env.stores.outbox.enqueue([draw]);
    const lines: string[] = [];
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fakeTransport(script).transport,
      reply: (round) => {
        const held = env.stores.outbox.draw(round);
        return held && alertReply(held, undefined);
      },
      limiter: new RateLimiter(telegramLimits(), env.clock.now),
      log: createLogger('debug', { write: (line: string) => void lines.push(line) }),
      now: env.clock.now,
      sleep: env.clock.sleep,
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
  });

  it('hashId: 12 hex digits, the same for the same id, different for another', () => {
    expect(hashId('7123456789')).toMatch(/^[0-9a-f]{12}$/);
    expect(hashId('7123456789')).toBe(hashId(7123456789));
    expect(hashId('7123456789')).not.toBe(hashId('7123456780'));
  });
});
