import { beforeEach, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender, type AlertSenderOptions } from '../../src/alerts/alertSender.js';
import type { AlertTransport, DeliveryResult } from '../../src/alerts/alertTransport.js';
import { createAlerts } from '../../src/alerts/createAlerts.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { PacedDispatcher } from '../../src/alerts/pacedDispatcher.js';
import type { Reply } from '../../src/core/reply.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from '../storage/testEngines.js';
import { fakeTransport, useStores } from './helpers.js';

const healthcare = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });
const cec = makeDraw({ round: '436', date: '2026-08-07', crs: 520 });

describeEachEngine('AlertSender', (engine) => {
  const env = useStores(engine);
  /** Requests the senders' budgets counted as made, and those the transport received, in this test. */
  const wire = { taken: 0, sent: 0 };
  beforeEach(() => {
    wire.taken = 0;
    wire.sent = 0;
  });
  /**
   * The fake clock's sleep: by whole milliseconds, as a timer waits (the store keeps integer times),
   * once every request the budget counted has reached the transport. The store's latency is no time
   * on this clock: a request goes at the instant its slot was taken, whatever the engine.
   */
  const sleep = async (ms: number) => {
    while (wire.sent < wire.taken) await new Promise((resolve) => setImmediate(resolve));
    await env.clock.sleep(Math.ceil(ms));
  };

  /** The alert for a round as the store holds it. */
  const replyFrom =
    (outbox: Outbox) =>
    async (round: string): Promise<Reply | undefined> => {
      const draw = await outbox.draw(round);
      return draw && alertReply(draw, undefined);
    };

  function senderWith(script: Parameters<typeof fakeTransport>[0], options: Partial<AlertSenderOptions> = {}) {
    const fake = fakeTransport(script);
    const times: Array<{ chatId: string; at: number; key: string | undefined }> = [];
    const transport: AlertTransport = {
      ...fake.transport,
      send: (chatId, reply, threadId, key) => {
        wire.sent++;
        times.push({ chatId, at: env.clock.t, key });
        return fake.transport.send(chatId, reply, threadId, key);
      },
    };
    const limiter = new RateLimiter(telegramLimits(), env.clock.now);
    const take = limiter.take.bind(limiter);
    limiter.take = (chatId) => {
      wire.taken++;
      take(chatId);
    };
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport,
      reply: replyFrom(env.stores.outbox),
      limiter,
      log: silentLogger,
      now: env.clock.now,
      sleep,
      ...options,
    });
    return { sender, ...fake, times };
  }

  /** drainOnce, then jump to whatever is due next, until nothing is pending. */
  async function drainAll(sender: AlertSender) {
    for (let i = 0; i < 100 && (await env.stores.outbox.pendingCount('telegram')) > 0; i++) {
      await sender.drainOnce();
      const next = await env.stores.outbox.nextDueAt('telegram');
      if (next !== undefined) env.clock.t = Math.max(env.clock.t, next);
    }
  }

  async function subscribe(chats: string[], categories: 'all' | Array<'healthcare' | 'cec'> = 'all') {
    for (const chat of chats) await env.stores.subscriptions.subscribe('telegram', chat, categories);
  }

  /** Each chat's delivery row id (one round enqueued). */
  async function rowIds(): Promise<Map<string, number>> {
    const rows = await env.stores.db.all<{ id: number; chatId: string }>('SELECT id, chat_id AS "chatId" FROM deliveries');
    return new Map(rows.map((row) => [row.chatId, Number(row.id)]));
  }

  it('sends each chat its alerts once, paced at the global limit, and never again', async () => {
    const chats = Array.from({ length: 60 }, (_, i) => String(i + 1));
    await subscribe(chats);
    await env.stores.outbox.enqueue([healthcare]);
    const { sender, sends, times } = senderWith(undefined);
    const start = env.clock.t;
    expect(await sender.drainOnce()).toMatchObject({ sent: 60, failed: 0 });
    expect(sends.map((s) => s.chatId).sort()).toEqual([...chats].sort());
    expect(sends[0]!.title).toBe('New draw #435: Healthcare and social services');
    // 60 messages at 30/s less 3% headroom: evenly spaced, the last one just over two seconds in (to the ms).
    expect(times.at(-1)!.at - start).toBeGreaterThanOrEqual((59 * 1000) / (30 * 0.97));
    expect(times.at(-1)!.at - start).toBeLessThan((59 * 1000) / (30 * 0.97) + 1);
    for (let i = 30; i < times.length; i++) expect(times[i]!.at - times[i - 30]!.at).toBeGreaterThanOrEqual(1000 / 0.97 - 1e-3);

    expect(await sender.drainOnce()).toMatchObject({ sent: 0 });
    await env.stores.outbox.enqueue([healthcare]);
    expect(await sender.drainOnce()).toMatchObject({ sent: 0 });
    expect(sends).toHaveLength(60);
  });

  it('sends a chat only the categories it asked for, in order, spaced by its per-chat limit', async () => {
    await subscribe(['-500'], 'all');
    await subscribe(['2'], ['cec']);
    await env.stores.outbox.enqueue([healthcare, cec]);
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
    await subscribe(chats);
    await env.stores.outbox.enqueue([healthcare]);
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
    expect(await env.stores.outbox.counts('telegram')).toMatchObject({ sent: 10, pending: 0 });
  });

  it('a chat-scoped 429 holds back only that chat', async () => {
    await subscribe(['-1', '2', '3']);
    await env.stores.outbox.enqueue([healthcare]);
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
    await subscribe(['1', '2']);
    await env.stores.outbox.enqueue([healthcare, cec]);
    const { sender, sentTo } = senderWith((chatId) =>
      chatId === '2' ? { status: 'gone', reason: 'Forbidden: bot was blocked by the user' } : { status: 'sent' },
    );
    await drainAll(sender);
    expect(sentTo('2')).toBe(1);
    expect(sentTo('1')).toBe(2);
    expect(await env.stores.subscriptions.list('telegram', '2')).toEqual([]);
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 2, gone: 2, failed: 0 });
  });

  it('a paused chat keeps its subscription, gets nothing enqueued for the next round, and /subscribe resumes it', async () => {
    await subscribe(['1', '2'], ['healthcare']);
    await env.stores.outbox.enqueue([healthcare]);
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
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 1 });
    expect(await env.stores.db.get<{ error: string }>('SELECT last_error AS error FROM deliveries WHERE chat_id = ?', ['2'])).toEqual({
      error: '403 50013: Missing Permissions',
    });
    expect(await env.stores.subscriptions.list('telegram', '2')).toEqual(['healthcare']);
    expect(await env.stores.subscriptions.paused('telegram', '2')).toEqual({
      reason: 'I lost permission to post in this channel',
      fix: 'Give me Send Messages',
      at: pausedAt,
    });
    expect(await env.stores.subscriptions.paused('telegram', '1')).toBeUndefined();

    // The next round: only the chat that is not paused gets a delivery.
    const next = makeDraw({ round: '437', date: '2026-08-08', category: 'healthcare', crs: 470 });
    expect(await env.stores.outbox.enqueue([next])).toBe(1);
    await drainAll(sender);
    expect(sentTo('1')).toBe(2);
    expect(sentTo('2')).toBe(1);

    // Someone fixes the permissions and sends /subscribe there again: the pause is cleared.
    allowed = true;
    await env.stores.subscriptions.subscribe('telegram', '2', ['healthcare']);
    expect(await env.stores.subscriptions.paused('telegram', '2')).toBeUndefined();
    const third = makeDraw({ round: '438', date: '2026-08-09', category: 'healthcare', crs: 468 });
    expect(await env.stores.outbox.enqueue([third])).toBe(2);
    await drainAll(sender);
    expect(sentTo('2')).toBe(2);
  });

  it('a group upgraded to a supergroup: the subscription moves and the new id gets the alert once', async () => {
    await subscribe(['-42'], ['healthcare']);
    await subscribe(['5']);
    await env.stores.outbox.enqueue([healthcare]);
    const { sender, sentTo } = senderWith(
      (chatId): DeliveryResult => (chatId === '-42' ? { status: 'migrated', toChatId: '-1009042' } : { status: 'sent' }),
    );
    const report = await sender.drainOnce();
    expect(report).toMatchObject({ migrated: 1, sent: 2 });
    expect(sentTo('-42')).toBe(1);
    expect(sentTo('-1009042')).toBe(1);
    expect(await env.stores.subscriptions.list('telegram', '-42')).toEqual([]);
    expect(await env.stores.subscriptions.list('telegram', '-1009042')).toEqual(['healthcare']);
    await env.stores.outbox.enqueue([healthcare]);
    expect((await sender.drainOnce()).sent).toBe(0);
  });

  it('retries a transient failure with back-off, under the same key, and gives up after the last attempt', async () => {
    await subscribe(['1', '2']);
    await env.stores.outbox.enqueue([healthcare]);
    const { sender, times } = senderWith(
      (chatId, attempt) => {
        if (chatId === '1') return attempt < 3 ? { status: 'failed', error: 'HTTP 502' } : { status: 'sent' };
        return { status: 'failed', error: 'HTTP 500' };
      },
      { maxAttempts: 4, retryBaseMs: 1000, keyPrefix: 'install-7f3a:' },
    );
    const start = env.clock.t;
    await drainAll(sender);
    expect(times.filter((t) => t.chatId === '1').map((t) => Math.round((t.at - start) / 100) * 100)).toEqual([0, 1000, 3000]);
    expect(times.filter((t) => t.chatId === '2')).toHaveLength(4);
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 1, gone: 0, failed: 1 });
    // Every try of a row carries its key, keyPrefix + row id: the same on each resend, another row's differs.
    const ids = await rowIds();
    expect(times.filter((t) => t.chatId === '1').map((t) => t.key)).toEqual(Array(3).fill(`install-7f3a:${ids.get('1')}`));
    expect(times.filter((t) => t.chatId === '2').map((t) => t.key)).toEqual(Array(4).fill(`install-7f3a:${ids.get('2')}`));
    expect(ids.get('1')).not.toBe(ids.get('2'));
  });

  it('does not retry what the platform refused outright, nor a round it cannot describe', async () => {
    await subscribe(['1']);
    await env.stores.outbox.enqueue([healthcare]);
    const { sender, sends } = senderWith(() => ({ status: 'failed', error: "400 Bad Request: can't parse entities", permanent: true }));
    await drainAll(sender);
    expect(sends).toHaveLength(1);
    expect((await env.stores.outbox.counts('telegram')).failed).toBe(1);

    await env.stores.outbox.enqueue([cec]);
    const unknown = senderWith(undefined, { reply: async () => undefined });
    expect(await unknown.sender.drainOnce()).toMatchObject({ failed: 1, sent: 0 });
    expect(unknown.sends).toHaveLength(0);
  });

  it('never sends a row another claimant holds: one held before the drain, nor one taken between the batch read and its claim', async () => {
    await subscribe(['1', '2', '3']);
    await env.stores.outbox.enqueue([healthcare]);
    const ids = await rowIds();
    // Chat 1's row is on the wire from another instance already.
    expect(await env.stores.storage.deliveries.claim(ids.get('1')!, '1', 'other-instance', env.clock.t)).toBe(true);
    // Chat 2's row is taken by the other instance while this sender prepares it (after its batch was
    // read, just before its own claim).
    let taken = false;
    const claim = env.stores.outbox.claim.bind(env.stores.outbox);
    vi.spyOn(env.stores.outbox, 'claim').mockImplementation(async (delivery, claimant, now) => {
      if (delivery.chatId === '2' && !taken) {
        taken = await env.stores.storage.deliveries.claim(ids.get('2')!, '2', 'other-instance', env.clock.t);
      }
      return claim(delivery, claimant, now);
    });
    const { sender, sentTo, sends } = senderWith(undefined, { claimant: 'this-instance' });
    expect(await sender.drainOnce()).toMatchObject({ sent: 1, failed: 0 });
    expect(taken).toBe(true);
    expect(sends.map((s) => s.chatId)).toEqual(['3']);

    // However long it goes on: the held rows are not due for it.
    env.clock.t += 3_600_000;
    expect(await sender.drainOnce()).toMatchObject({ sent: 0 });
    expect(sentTo('1')).toBe(0);
    expect(sentTo('2')).toBe(0);
    expect(await env.stores.outbox.nextDueAt('telegram')).toBeUndefined();
    // Its settling cannot touch a row it does not hold: the holder's answer decides.
    await env.stores.outbox.markSent(ids.get('1')!, 'this-instance', env.clock.t);
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 2, sent: 1, gone: 0, failed: 0 });
    await env.stores.outbox.markSent(ids.get('1')!, 'other-instance', env.clock.t);
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 1, sent: 2, gone: 0, failed: 0 });
  });

  it('hands back a row it claimed when its alert cannot be read (the store failing), and sends it once later', async () => {
    await subscribe(['1']);
    await env.stores.outbox.enqueue([healthcare]);
    let failing = true;
    const { sender, sentTo } = senderWith(undefined, {
      reply: async (round) => {
        if (failing) {
          failing = false;
          throw new Error('the store is down');
        }
        return replyFrom(env.stores.outbox)(round);
      },
    });
    await expect(sender.drainOnce()).rejects.toThrow('the store is down');
    expect(sentTo('1')).toBe(0);
    // Not left claimed for the rest of the run: due again at once.
    expect(await env.stores.outbox.nextDueAt('telegram')).toBe(env.clock.t);
    expect(await sender.drainOnce()).toMatchObject({ sent: 1, failed: 0 });
    expect(sentTo('1')).toBe(1);
  });

  it('two senders on one store (a second instance, its own connection): every row goes out once, by one of them', async () => {
    const chats = Array.from({ length: 40 }, (_, i) => String(i + 1));
    await subscribe(chats);
    await env.stores.outbox.enqueue([healthcare, cec]);
    const second = await env.store.reopen(env.clock.now);
    const secondOutbox = new Outbox(second.storage, env.clock.now);
    const a = senderWith(undefined, { claimant: 'instance-a' });
    const b = senderWith(undefined, { claimant: 'instance-b', outbox: secondOutbox, reply: replyFrom(secondOutbox) });
    for (let i = 0; i < 20 && (await env.stores.outbox.pendingCount('telegram')) > 0; i++) {
      await Promise.all([a.sender.drainOnce(), b.sender.drainOnce()]);
      const next = await env.stores.outbox.nextDueAt('telegram');
      if (next !== undefined) env.clock.t = Math.max(env.clock.t, next);
    }
    const sends = [...a.sends, ...b.sends];
    expect(sends).toHaveLength(80);
    for (const chat of chats)
      expect(
        sends
          .filter((s) => s.chatId === chat)
          .map((s) => s.title)
          .sort(),
        chat,
      ).toHaveLength(2);
    expect(new Set(sends.map((s) => `${s.chatId}/${s.title}`)).size).toBe(80);
    expect(await env.stores.outbox.counts('telegram')).toEqual({ pending: 0, sent: 80, gone: 0, failed: 0 });
  });

  it('after a crash, catchUp releases the rows the dead run had on the wire: each goes out once more, under the same key', async () => {
    await subscribe(['1', '2', '3']);
    await env.stores.outbox.enqueue([healthcare]);
    const keyPrefix = 'install-7f3a:';
    // The first run: its three requests never come back (the process is killed with them on the wire).
    const onWire: Array<{ chatId: string; key: string | undefined }> = [];
    const dead = new AlertSender({
      outbox: env.stores.outbox,
      transport: {
        platform: 'telegram',
        send: (chatId, _reply, _threadId, key) => {
          onWire.push({ chatId, key });
          return new Promise<DeliveryResult>(() => undefined);
        },
      },
      reply: replyFrom(env.stores.outbox),
      limiter: new RateLimiter({}, env.clock.now),
      claimant: 'run-1',
      keyPrefix,
      log: silentLogger,
      now: env.clock.now,
      sleep,
    });
    void dead.drainOnce();
    await vi.waitFor(() => expect(onWire).toHaveLength(3), { timeout: 5000, interval: 5 });

    // The next start, on a connection of its own: the rows are still held by the dead run, due to nobody.
    const restarted = await env.store.reopen(env.clock.now);
    expect(await restarted.storage.deliveries.due('telegram', env.clock.t, 10)).toEqual([]);
    const alerts = createAlerts({
      storage: restarted.storage,
      claimant: 'run-2',
      keyPrefix,
      log: silentLogger,
      draws: () => [healthcare],
      now: env.clock.now,
    });
    await alerts.catchUp();
    const resent: Array<{ chatId: string; key: string | undefined }> = [];
    alerts.startSender(
      {
        platform: 'telegram',
        async send(chatId, _reply, _threadId, key) {
          resent.push({ chatId, key });
          return { status: 'sent' };
        },
      },
      { idleMs: 10_000 },
    );
    await vi.waitFor(async () => expect(await alerts.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 3 }), {
      timeout: 5000,
      interval: 5,
    });
    await alerts.close();

    const ids = await rowIds();
    const byChat = (sent: typeof onWire) => [...sent].sort((x, y) => x.chatId.localeCompare(y.chatId));
    expect(byChat(resent)).toEqual(['1', '2', '3'].map((chatId) => ({ chatId, key: `${keyPrefix}${ids.get(chatId)}` })));
    expect(byChat(resent)).toEqual(byChat(onWire));
  });

  it("shares a dispatcher with the editor: within the shared cap, never to a chat with an edit on the wire, never another limiter's", async () => {
    const chats = ['1', '2', '3', '4', '5'];
    await subscribe(chats);
    await env.stores.outbox.enqueue([healthcare]);
    const limiter = new RateLimiter({}, env.clock.now);
    const dispatcher = new PacedDispatcher({ limiter, maxInFlight: 3, sleep });
    // The editor's lane: two edits on the wire, one of them to chat 3.
    const editor = dispatcher.lane(2);
    const stopping = new AbortController();
    let answerEdits!: () => void;
    const edits = new Promise<void>((resolve) => (answerEdits = resolve));
    let editsAnswered = false;
    for (const chat of ['3', '99']) {
      expect(await editor.paced(chat, stopping.signal)).toBe(true);
      editor.start(chat, () => edits);
    }
    const sent: Array<{ chatId: string; afterEdits: boolean }> = [];
    let onWire = 0;
    let peak = 0;
    const transport: AlertTransport = {
      platform: 'telegram',
      async send(chatId) {
        peak = Math.max(peak, ++onWire);
        sent.push({ chatId, afterEdits: editsAnswered });
        await new Promise((resolve) => setImmediate(resolve));
        onWire--;
        // Every other chat has its alert: the edits' answers come back.
        if (sent.length === 4) {
          editsAnswered = true;
          answerEdits();
        }
        return { status: 'sent' };
      },
    };
    const options = {
      outbox: env.stores.outbox,
      transport,
      reply: replyFrom(env.stores.outbox),
      log: silentLogger,
      now: env.clock.now,
      sleep,
    };
    const sender = new AlertSender({ ...options, limiter, dispatcher });
    expect(await sender.drainOnce()).toMatchObject({ sent: 5 });
    // One slot of the three was the sender's while the two edits held theirs; chat 3 waited for its edit.
    expect(peak).toBe(1);
    expect(sent.slice(0, 4).map((s) => s.chatId)).not.toContain('3');
    expect(sent[4]).toEqual({ chatId: '3', afterEdits: true });
    expect(() => new AlertSender({ ...options, limiter: new RateLimiter({}, env.clock.now), dispatcher })).toThrow(/limiter/);
  });

  it('start() resumes what a previous run left pending and picks up new rounds when woken; stop() waits', async () => {
    await subscribe(['1', '2']);
    await env.stores.outbox.enqueue([healthcare]);
    const fake = fakeTransport();
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fake.transport,
      reply: async (round) => alertReply((await env.stores.outbox.draw(round))!, undefined),
      limiter: new RateLimiter({ perSecond: 1000 }),
      log: silentLogger,
      idleMs: 50,
    });
    sender.start();
    await vi.waitFor(() => expect(fake.sends).toHaveLength(2), { timeout: 5000, interval: 5 });
    await env.stores.outbox.enqueue([cec]);
    sender.wake();
    await vi.waitFor(() => expect(fake.sends).toHaveLength(4), { timeout: 5000, interval: 5 });
    await sender.stop();
    expect(await env.stores.outbox.counts('telegram')).toMatchObject({ sent: 4, pending: 0 });
  });
});
