import Database from 'better-sqlite3';
import { expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender, type AlertSenderOptions, type DeliveryOutcome } from '../../src/alerts/alertSender.js';
import { createLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { sleep as abortableSleep } from '../../src/lib/sleep.js';
import type { DeliveryStore } from '../../src/storage/deliveryStore.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, type TestEngine } from '../storage/testEngines.js';
import { fakeTransport, useStores } from './helpers.js';

const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });

/** What each engine throws when it cannot write: a full disk (SQLite), out of space (PostgreSQL's SQLSTATE 53100). */
function refusal(engine: TestEngine, busy = false): Error {
  if (engine.name === 'sqlite')
    return busy
      ? new Database.SqliteError('database is locked', 'SQLITE_BUSY')
      : new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
  return Object.assign(new Error(busy ? 'canceling statement due to lock timeout' : 'could not extend file: No space left on device'), {
    code: busy ? '55P03' : '53100',
  });
}

describeEachEngine('AlertSender when the store refuses to record a delivery', (engine) => {
  const env = useStores(engine);

  /** The real delivery store, whose markSent rejects (as the engine would) for the next `failures` calls once told to. */
  function failingOnDemand(deliveries: DeliveryStore) {
    const real = deliveries.markSent.bind(deliveries);
    const control = { failures: 0, calls: 0 };
    vi.spyOn(deliveries, 'markSent').mockImplementation(async (...args) => {
      control.calls++;
      if (control.failures > 0) {
        control.failures--;
        throw refusal(engine);
      }
      await real(...args);
    });
    return control;
  }

  function captureLog() {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
    return { log, lines, errors: () => lines.filter((l) => l.level >= 50).map((l) => l.msg) };
  }

  function senderWith(options: Partial<AlertSenderOptions> = {}) {
    const fake = fakeTransport();
    const logged = captureLog();
    const outcomes: DeliveryOutcome[] = [];
    const sender = new AlertSender({
      outbox: env.stores.outbox,
      transport: fake.transport,
      reply: async (round) => {
        const found = await env.stores.outbox.draw(round);
        return found && alertReply(found, undefined);
      },
      limiter: new RateLimiter(telegramLimits(), env.clock.now),
      log: logged.log,
      now: env.clock.now,
      // By whole milliseconds, as a timer waits: the store keeps times as integers.
      sleep: (ms) => env.clock.sleep(Math.ceil(ms)),
      onDelivery: (_, outcome) => outcomes.push(outcome),
      ...options,
    });
    return { sender, ...fake, ...logged, outcomes };
  }

  /** Real waits, kept short, that move the fake clock by what was asked (whole milliseconds). */
  const briefSleep = async (ms: number, signal: AbortSignal) => {
    await abortableSleep(Math.min(ms, 5), signal);
    env.clock.t += Math.ceil(ms);
  };

  it('never sends a row again whose answer it could not record, and records it (counted once) once the store takes it', async () => {
    const chats = ['1', '2', '3'];
    for (const chat of chats) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    await env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.storage.deliveries);
    store.failures = 5;
    const { sender, sends, sentTo, errors, outcomes } = senderWith();

    // Each drainOnce first tries again to record what is in doubt, once its back-off is over.
    for (let i = 0; i < 20 && (await env.stores.outbox.pendingCount('telegram')) > 0; i++) {
      await sender.drainOnce();
      if (i === 0) {
        expect(sender.inDoubtCount).toBeGreaterThan(0);
        expect((await env.stores.outbox.counts('telegram')).sent).toBe(0); // the store refused every answer so far
        // Every request made so far is held in doubt, none counted.
        expect(sends).toHaveLength(sender.inDoubtCount);
        expect(outcomes).toEqual([]);
      }
      env.clock.t += 60_000;
    }

    expect(store.failures).toBe(0);
    expect(sends).toHaveLength(3);
    for (const chat of chats) expect(sentTo(chat)).toBe(1);
    expect(await env.stores.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 3 });
    expect(sender.inDoubtCount).toBe(0);
    // Each answer counted once, when it was written.
    expect(outcomes).toEqual(['sent', 'sent', 'sent']);
    // Logged once, not per retry.
    expect(errors()).toEqual([
      'could not record an alert delivery; it is not sent again, and sending pauses until the database records it',
    ]);
  });

  it('keeps sending nothing while the store refuses, however often it is asked; the next start sends what is left once', async () => {
    for (const chat of ['1', '2']) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    await env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.storage.deliveries);
    store.failures = 1_000;
    // One request at a time: the second chat's is not on its way yet when the first answer is refused.
    const { sender, sends, errors } = senderWith({ recordRetryBaseMs: 10, recordRetryMaxMs: 10, claimant: 'run-1', maxInFlight: 1 });
    for (let i = 0; i < 50; i++) {
      await sender.drainOnce();
      env.clock.t += 1_000;
    }
    // One request, never made again, and none to the other chat: sending paused.
    expect(sends).toHaveLength(1);
    const [first] = sends.map((s) => s.chatId);
    expect(store.calls).toBe(50); // the first answer, then one try per drainOnce
    expect(errors()).toHaveLength(1);

    // Stopped while still refused: the row stays pending (sent again at the next start), and says so.
    await sender.stop();
    expect((await env.stores.outbox.counts('telegram')).pending).toBe(2);
    expect(errors().at(-1)).toMatch(/1 alert answer\(s\) could not be recorded; .* sent again at the next start/);

    // The row in doubt is still held by the stopped run: another sender takes only the other one
    // until the next start releases it; then it goes once more.
    store.failures = 0;
    const next = senderWith({ claimant: 'run-2' });
    expect(await next.sender.drainOnce()).toMatchObject({ sent: 1 });
    expect(next.sends.map((s) => s.chatId)).toEqual(['1', '2'].filter((chat) => chat !== first));
    expect(await env.stores.storage.deliveries.releaseClaims('run-2')).toBe(1);
    expect(await next.sender.drainOnce()).toMatchObject({ sent: 1 });
    expect(next.sentTo(first!)).toBe(1);
    expect(next.sends).toHaveLength(2);
    expect(await env.stores.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 2 });
  });

  it('while running: retries with back-off until the row ends sent, each chat getting its alert once', async () => {
    const chats = Array.from({ length: 40 }, (_, i) => String(100 + i));
    for (const chat of chats) await env.stores.subscriptions.subscribe('telegram', chat, 'all');
    await env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.storage.deliveries);
    store.failures = 4;
    const { sender, sends, sentTo, outcomes } = senderWith({ sleep: briefSleep, recordRetryBaseMs: 50, idleMs: 1_000 });
    sender.start();
    await vi.waitFor(async () => expect(await env.stores.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 40 }), {
      timeout: 10_000,
      interval: 10,
    });
    await sender.stop();
    expect(sends).toHaveLength(40);
    for (const chat of chats) expect(sentTo(chat)).toBe(1);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(40);
  });

  it('a store error in its loop is logged and retried, never an unhandled rejection', async () => {
    const outbox = env.stores.outbox;
    const real = outbox.nextDueAt.bind(outbox);
    // The first call (drainOnce: anything due?) works; the second (how long to idle) rejects.
    vi.spyOn(outbox, 'nextDueAt')
      .mockImplementationOnce(real)
      .mockImplementationOnce(async () => {
        throw refusal(engine, true);
      })
      .mockImplementation(real);
    const { sender, errors } = senderWith({ sleep: briefSleep });
    sender.start();
    await vi.waitFor(() => expect(errors()).toContain('alert sender failed; retrying in a while'), { timeout: 5_000, interval: 10 });
    await expect(sender.stop()).resolves.toBeUndefined();
  });
});
