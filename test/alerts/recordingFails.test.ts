import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender, type AlertSenderOptions } from '../../src/alerts/alertSender.js';
import type { Outbox } from '../../src/alerts/outbox.js';
import { createLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { sleep as abortableSleep } from '../../src/lib/sleep.js';
import { telegramLimits } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { fakeTransport, useStores } from './helpers.js';

const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });

const env = useStores();

/** The real SQLite outbox, whose markSent throws SQLITE_FULL for the next `n` calls once told to. */
function failingOnDemand(outbox: Outbox) {
  const real = outbox.markSent.bind(outbox);
  const control = { failures: 0, calls: 0 };
  vi.spyOn(outbox, 'markSent').mockImplementation((id, at) => {
    control.calls++;
    if (control.failures > 0) {
      control.failures--;
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    }
    real(id, at);
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
  const sender = new AlertSender({
    outbox: env.stores.outbox,
    transport: fake.transport,
    reply: (round) => {
      const found = env.stores.outbox.draw(round);
      return found && alertReply(found, undefined);
    },
    limiter: new RateLimiter(telegramLimits(), env.clock.now),
    log: logged.log,
    now: env.clock.now,
    sleep: env.clock.sleep,
    ...options,
  });
  return { sender, ...fake, ...logged };
}

describe('AlertSender when the database refuses to record a delivery', () => {
  it('never sends a row again whose answer it could not record, and records it once the database works', async () => {
    const chats = ['1', '2', '3'];
    for (const chat of chats) env.stores.subscriptions.subscribe('telegram', chat, 'all');
    env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.outbox);
    store.failures = 5;
    const { sender, sends, sentTo, errors } = senderWith();

    // Each drainOnce first tries again to record what is in doubt, once its back-off is over.
    for (let i = 0; i < 20 && env.stores.outbox.pendingCount('telegram') > 0; i++) {
      await sender.drainOnce();
      if (i === 0) {
        expect(sender.inDoubtCount).toBeGreaterThan(0);
        expect(env.stores.outbox.counts('telegram').sent).toBe(0); // the database refused every answer so far
      }
      env.clock.t += 60_000;
    }

    expect(store.failures).toBe(0);
    expect(sends).toHaveLength(3);
    for (const chat of chats) expect(sentTo(chat)).toBe(1);
    expect(env.stores.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 3 });
    expect(sender.inDoubtCount).toBe(0);
    // Logged once, not per retry.
    expect(errors()).toEqual([
      'could not record an alert delivery; it is not sent again, and sending pauses until the database records it',
    ]);
  });

  it('keeps sending nothing while the database refuses, however often it is asked', async () => {
    env.stores.subscriptions.subscribe('telegram', '1', 'all');
    env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.outbox);
    store.failures = 1_000;
    const { sender, sentTo, errors } = senderWith({ recordRetryBaseMs: 10, recordRetryMaxMs: 10 });
    for (let i = 0; i < 50; i++) {
      await sender.drainOnce();
      env.clock.t += 1_000;
    }
    expect(sentTo('1')).toBe(1);
    expect(store.calls).toBe(50); // the first answer, then one try per drainOnce
    expect(errors()).toHaveLength(1);

    // Stopped while still refused: the row stays pending (sent again at the next start), and says so.
    await sender.stop();
    expect(env.stores.outbox.counts('telegram').pending).toBe(1);
    expect(errors().at(-1)).toMatch(/1 alert answer\(s\) could not be recorded; .* sent again at the next start/);
  });

  it('while running: retries with back-off until the row ends sent, each chat getting its alert once', async () => {
    const chats = Array.from({ length: 40 }, (_, i) => String(100 + i));
    for (const chat of chats) env.stores.subscriptions.subscribe('telegram', chat, 'all');
    env.stores.outbox.enqueue([draw]);
    const store = failingOnDemand(env.stores.outbox);
    store.failures = 4;
    // Real waits, kept short, that move the fake clock by what was asked.
    const sleep = async (ms: number, signal: AbortSignal) => {
      await abortableSleep(Math.min(ms, 5), signal);
      env.clock.t += ms;
    };
    const { sender, sends, sentTo } = senderWith({ sleep, recordRetryBaseMs: 50, idleMs: 1_000 });
    sender.start();
    await vi.waitFor(() => expect(env.stores.outbox.counts('telegram')).toMatchObject({ pending: 0, sent: 40 }), {
      timeout: 10_000,
      interval: 10,
    });
    await sender.stop();
    expect(sends).toHaveLength(40);
    for (const chat of chats) expect(sentTo(chat)).toBe(1);
  });

  it('a database error in its loop is logged and retried, never an unhandled rejection', async () => {
    const outbox = env.stores.outbox;
    const real = outbox.nextDueAt.bind(outbox);
    // The first call (drainOnce: anything due?) works; the second (how long to idle) throws.
    vi.spyOn(outbox, 'nextDueAt')
      .mockImplementationOnce(real)
      .mockImplementationOnce(() => {
        throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
      })
      .mockImplementation(real);
    const sleep = async (ms: number, signal: AbortSignal) => {
      await abortableSleep(Math.min(ms, 5), signal);
      env.clock.t += ms;
    };
    const { sender, errors } = senderWith({ sleep });
    sender.start();
    await vi.waitFor(() => expect(errors()).toContain('alert sender failed; retrying in a while'), { timeout: 5_000, interval: 10 });
    await expect(sender.stop()).resolves.toBeUndefined();
  });
});
