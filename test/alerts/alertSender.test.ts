import { describe, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender, type AlertSenderOptions } from '../../src/alerts/alertSender.js';
import type { DeliveryResult } from '../../src/alerts/alertTransport.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { fakeTransport, useStores } from './helpers.js';

const healthcare = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });
const cec = makeDraw({ round: '436', date: '2026-08-07', crs: 520 });

const env = useStores();

function senderWith(script: Parameters<typeof fakeTransport>[0], options: Partial<AlertSenderOptions> = {}) {
  const fake = fakeTransport(script);
  const times: Array<{ chatId: string; at: number }> = [];
  const transport = {
    ...fake.transport,
    send: (chatId: string, reply: Parameters<typeof fake.transport.send>[1]) => {
      times.push({ chatId, at: env.clock.t });
      return fake.transport.send(chatId, reply);
    },
  };
  const sender = new AlertSender({
    outbox: env.stores.outbox,
    transport,
    reply: (round) => {
      const draw = env.stores.outbox.draw(round);
      return draw && alertReply(draw, undefined);
    },
    limiter: new RateLimiter(telegramLimits(), env.clock.now),
    log: silentLogger,
    now: env.clock.now,
    sleep: env.clock.sleep,
    ...options,
  });
  return { sender, ...fake, times };
}

/** drainOnce, then jump to whatever is due next, until nothing is pending. */
async function drainAll(sender: AlertSender) {
  for (let i = 0; i < 100 && env.stores.outbox.pendingCount('telegram') > 0; i++) {
    await sender.drainOnce();
    const next = env.stores.outbox.nextDueAt('telegram');
    if (next !== undefined) env.clock.t = Math.max(env.clock.t, next);
  }
}

function subscribe(chats: string[], categories: 'all' | Array<'healthcare' | 'cec'> = 'all') {
  for (const chat of chats) env.stores.subscriptions.subscribe('telegram', chat, categories);
}

describe('AlertSender', () => {
  it('sends each chat its alerts once, paced at the global limit, and never again', async () => {
    const chats = Array.from({ length: 60 }, (_, i) => String(i + 1));
    subscribe(chats);
    env.stores.outbox.enqueue([healthcare]);
    const { sender, sends, times } = senderWith(undefined);
    const start = env.clock.t;
    expect(await sender.drainOnce()).toMatchObject({ sent: 60, failed: 0 });
    expect(sends.map((s) => s.chatId).sort()).toEqual([...chats].sort());
    expect(sends[0]!.title).toBe('New draw #435: Healthcare and social services');
    // 60 messages at 30/s less 3% headroom: evenly spaced, the last one just over two seconds in.
    expect(times.at(-1)!.at - start).toBeCloseTo((59 * 1000) / (30 * 0.97), 0);
    for (let i = 30; i < times.length; i++) expect(times[i]!.at - times[i - 30]!.at).toBeGreaterThanOrEqual(1000 / 0.97 - 1e-3);

    expect(await sender.drainOnce()).toMatchObject({ sent: 0 });
    env.stores.outbox.enqueue([healthcare]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 0 });
    expect(sends).toHaveLength(60);
  });

  it('sends a chat only the categories it asked for, in order, spaced by its per-chat limit', async () => {
    subscribe(['-500'], 'all');
    subscribe(['2'], ['cec']);
    env.stores.outbox.enqueue([healthcare, cec]);
    const { sender, sends, times } = senderWith(undefined);
    await drainAll(sender);
    expect(sends.map((s) => [s.chatId, s.title])).toEqual([
      ['-500', 'New draw #435: Healthcare and social services'],
      ['2', 'New draw #436: Canadian Experience Class'],
      ['-500', 'New draw #436: Canadian Experience Class'],
    ]);
    const group = times.filter((t) => t.chatId === '-500');
    expect(group[1]!.at - group[0]!.at).toBeGreaterThanOrEqual(1000); // a second apart in one chat (and 20 a minute: rateLimiter.test)
  });

  it('honours a 429: nothing goes out before retry_after, then the chat gets its alert', async () => {
    const chats = Array.from({ length: 10 }, (_, i) => String(i + 1));
    subscribe(chats);
    env.stores.outbox.enqueue([healthcare]);
    let limited = 0;
    const { sender, sentTo, times } = senderWith((chatId, attempt) => {
      if (chatId === '3' && attempt === 1) {
        limited = env.clock.t;
        return { status: 'retry', afterMs: 5000 };
      }
      return { status: 'sent' };
    });
    const report = await sender.drainOnce();
    expect(report).toMatchObject({ sent: 10, rateLimited: 1 });
    expect(sentTo('3')).toBe(2);
    const after = times.filter((t) => t.at > limited);
    // At most the one request already booked when the 429 came back; the rest wait it out.
    expect(after.filter((t) => t.at < limited + 5000).length).toBeLessThanOrEqual(1);
    expect(env.stores.outbox.counts('telegram')).toMatchObject({ sent: 10, pending: 0 });
  });

  it('a chat-scoped 429 holds back only that chat', async () => {
    subscribe(['-1', '2', '3']);
    env.stores.outbox.enqueue([healthcare]);
    const { sender, times } = senderWith((chatId, attempt) =>
      chatId === '-1' && attempt === 1 ? { status: 'retry', afterMs: 30_000, scope: 'chat' } : { status: 'sent' },
    );
    const start = env.clock.t;
    await sender.drainOnce();
    expect(times.filter((t) => t.chatId !== '-1').every((t) => t.at - start < 1000)).toBe(true);
    await drainAll(sender);
    const group = times.filter((t) => t.chatId === '-1').map((t) => t.at - start);
    expect(group).toHaveLength(2);
    expect(group[1]).toBeGreaterThanOrEqual(30_000);
    expect(group[1]).toBeLessThan(30_100);
  });

  it('a 403 removes the subscription and drops what was pending for the chat', async () => {
    subscribe(['1', '2']);
    env.stores.outbox.enqueue([healthcare, cec]);
    const { sender, sentTo } = senderWith((chatId) =>
      chatId === '2' ? { status: 'gone', reason: 'Forbidden: bot was blocked by the user' } : { status: 'sent' },
    );
    await drainAll(sender);
    expect(sentTo('2')).toBe(1);
    expect(sentTo('1')).toBe(2);
    expect(env.stores.subscriptions.list('telegram', '2')).toEqual([]);
    expect(env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 2, gone: 2, failed: 0 });
  });

  it('a paused chat keeps its subscription, gets nothing enqueued for the next round, and /subscribe resumes it', async () => {
    subscribe(['1', '2'], ['healthcare']);
    env.stores.outbox.enqueue([healthcare]);
    let allowed = false;
    const { sender, sentTo } = senderWith(
      (chatId): DeliveryResult =>
        chatId === '2' && !allowed
          ? {
              status: 'paused',
              reason: 'I lost permission to post in this channel',
              fix: 'Give me Send Messages',
              detail: '403 50013: Missing Permissions',
            }
          : { status: 'sent' },
    );
    expect(await sender.drainOnce()).toMatchObject({ sent: 1, failed: 1, gone: 0 });
    const pausedAt = env.clock.t;
    // Closed, not retried: the row is failed with the platform's error.
    expect(env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 1 });
    expect(env.stores.db.prepare("SELECT last_error FROM deliveries WHERE chat_id = '2'").pluck().get()).toBe(
      '403 50013: Missing Permissions',
    );
    expect(env.stores.subscriptions.list('telegram', '2')).toEqual(['healthcare']);
    expect(env.stores.subscriptions.paused('telegram', '2')).toEqual({
      reason: 'I lost permission to post in this channel',
      fix: 'Give me Send Messages',
      at: pausedAt,
    });
    expect(env.stores.subscriptions.paused('telegram', '1')).toBeUndefined();

    // The next round: only the chat that is not paused gets a delivery.
    const next = makeDraw({ round: '437', date: '2026-08-08', category: 'healthcare', crs: 470 });
    expect(env.stores.outbox.enqueue([next])).toBe(1);
    await drainAll(sender);
    expect(sentTo('1')).toBe(2);
    expect(sentTo('2')).toBe(1);

    // Someone fixes the permissions and sends /subscribe there again: the pause is cleared.
    allowed = true;
    env.stores.subscriptions.subscribe('telegram', '2', ['healthcare']);
    expect(env.stores.subscriptions.paused('telegram', '2')).toBeUndefined();
    const third = makeDraw({ round: '438', date: '2026-08-09', category: 'healthcare', crs: 468 });
    expect(env.stores.outbox.enqueue([third])).toBe(2);
    await drainAll(sender);
    expect(sentTo('2')).toBe(2);
  });

  it('a group upgraded to a supergroup: the subscription moves and the new id gets the alert once', async () => {
    subscribe(['-42'], ['healthcare']);
    subscribe(['5']);
    env.stores.outbox.enqueue([healthcare]);
    const { sender, sentTo } = senderWith(
      (chatId): DeliveryResult => (chatId === '-42' ? { status: 'migrated', toChatId: '-1009042' } : { status: 'sent' }),
    );
    const report = await sender.drainOnce();
    expect(report).toMatchObject({ migrated: 1, sent: 2 });
    expect(sentTo('-42')).toBe(1);
    expect(sentTo('-1009042')).toBe(1);
    expect(env.stores.subscriptions.list('telegram', '-42')).toEqual([]);
    expect(env.stores.subscriptions.list('telegram', '-1009042')).toEqual(['healthcare']);
    env.stores.outbox.enqueue([healthcare]);
    expect((await sender.drainOnce()).sent).toBe(0);
  });

  it('retries a transient failure with back-off, and gives up after the last attempt', async () => {
    subscribe(['1', '2']);
    env.stores.outbox.enqueue([healthcare]);
    const { sender, times } = senderWith(
      (chatId, attempt) => {
        if (chatId === '1') return attempt < 3 ? { status: 'failed', error: 'HTTP 502' } : { status: 'sent' };
        return { status: 'failed', error: 'HTTP 500' };
      },
      { maxAttempts: 4, retryBaseMs: 1000 },
    );
    const start = env.clock.t;
    await drainAll(sender);
    expect(times.filter((t) => t.chatId === '1').map((t) => Math.round((t.at - start) / 100) * 100)).toEqual([0, 1000, 3000]);
    expect(times.filter((t) => t.chatId === '2')).toHaveLength(4);
    expect(env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 1 });
  });

  it('does not retry what the platform refused outright, nor a round it cannot describe', async () => {
    subscribe(['1']);
    env.stores.outbox.enqueue([healthcare]);
    const { sender, sends } = senderWith(() => ({ status: 'failed', error: "400 Bad Request: can't parse entities", permanent: true }));
    await drainAll(sender);
    expect(sends).toHaveLength(1);
    expect(env.stores.outbox.counts('telegram').failed).toBe(1);

    env.stores.outbox.enqueue([cec]);
    const unknown = senderWith(undefined, { reply: () => undefined });
    expect(await unknown.sender.drainOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(unknown.sends).toHaveLength(0);
  });

  it('start() resumes what a previous run left pending and picks up new rounds when woken; stop() waits', async () => {
    subscribe(['1', '2']);
    env.stores.outbox.enqueue([healthcare]);
    const fake = fakeTransport();
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fake.transport,
      reply: (round) => alertReply(env.stores.outbox.draw(round)!, undefined),
      limiter: new RateLimiter({ perSecond: 1000 }),
      log: silentLogger,
      idleMs: 50,
    });
    sender.start();
    await vi.waitFor(() => expect(fake.sends).toHaveLength(2), { timeout: 5000, interval: 5 });
    env.stores.outbox.enqueue([cec]);
    sender.wake();
    await vi.waitFor(() => expect(fake.sends).toHaveLength(4), { timeout: 5000, interval: 5 });
    await sender.stop();
    expect(env.stores.outbox.counts('telegram')).toMatchObject({ sent: 4, pending: 0 });
  });
});
