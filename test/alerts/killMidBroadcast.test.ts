import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Api } from 'grammy';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { alertReply } from '../../src/alerts/alertReply.js';
import { AlertSender } from '../../src/alerts/alertSender.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import { telegramTransport } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { startFakeTelegram } from './fakeTelegramServer.js';
import { openStores, tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.remove());

/** Requests the bot process keeps awaiting an answer at once (its sender's maxInFlight). */
const MAX_IN_FLIGHT = 20;
const waiting = { timeout: 15_000, interval: 10 };

describe('a bot killed mid-broadcast', () => {
  it('resumes on restart: every chat gets its alert, only the requests on the wire are sent twice', async () => {
    const CHATS = 300;
    const ANSWERED = 100;
    const seed = openStores(temp.dbPath);
    for (let i = 0; i < CHATS; i++) seed.subscriptions.subscribe('telegram', String(5000 + i), 'all');
    seed.outbox.enqueue([makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 })]);
    seed.db.close();

    // After ANSWERED messages the server goes quiet: requests arrive but are never answered, as
    // when the process dies while they are on the wire.
    let phase: 'answering' | 'holding' | 'restarted' = 'answering';
    const server = await startFakeTelegram({
      hold: () => {
        if (phase === 'answering' && server.received.length > ANSWERED) phase = 'holding';
        return phase === 'holding';
      },
    });
    try {
      const child = fork(
        fileURLToPath(new URL('./broadcastChild.ts', import.meta.url)),
        [temp.dbPath, server.apiRoot, server.token, String(MAX_IN_FLIGHT)],
        { execArgv: ['--import', 'tsx'], stdio: 'ignore' },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Killed once the broadcast is stuck mid-way: the answered messages are recorded as sent in
      // the database, and every request the bot may have in flight has reached the server, unanswered
      // (the bot sends no more until one is answered, so nothing else is on its way).
      const watch = openStores(temp.dbPath);
      try {
        await vi.waitFor(() => {
          expect(server.received.filter((m) => m.answer === 'held')).toHaveLength(MAX_IN_FLIGHT);
          expect(watch.outbox.counts('telegram').sent).toBe(ANSWERED);
        }, waiting);
      } finally {
        watch.db.close();
      }
      child.kill('SIGKILL');
      await exited;

      const inDoubt = new Set(server.received.filter((m) => m.answer === 'held').map((m) => m.chatId));
      expect(server.received.filter((m) => m.answer === 'ok')).toHaveLength(ANSWERED);
      expect(inDoubt.size).toBeGreaterThan(0);
      expect(inDoubt.size).toBeLessThanOrEqual(MAX_IN_FLIGHT);

      phase = 'restarted';
      const restarted = openStores(temp.dbPath);
      expect(restarted.outbox.pendingCount('telegram')).toBe(CHATS - ANSWERED);
      const sender = new AlertSender({
        outbox: restarted.outbox,
        transport: telegramTransport(new Api(server.token, { apiRoot: server.apiRoot }), (reply) => reply.title),
        reply: (round) => alertReply(restarted.outbox.draw(round)!, undefined),
        limiter: new RateLimiter({ perSecond: 1000 }),
        log: silentLogger,
      });
      expect(await sender.drainOnce()).toMatchObject({ sent: CHATS - ANSWERED, failed: 0 });
      restarted.db.close();

      const requests = new Map<string, number>();
      const delivered = new Map<string, number>();
      for (const m of server.received) {
        requests.set(m.chatId, (requests.get(m.chatId) ?? 0) + 1);
        if (m.answer === 'ok') delivered.set(m.chatId, (delivered.get(m.chatId) ?? 0) + 1);
      }
      expect(delivered.size).toBe(CHATS); // never zero...
      expect([...delivered.values()].every((n) => n === 1)).toBe(true); // ...and, answered, never two
      const sentTwice = [...requests].filter(([, n]) => n > 1).map(([chatId]) => chatId);
      expect(sentTwice.sort()).toEqual([...inDoubt].sort()); // only what was in flight went again
    } finally {
      await server.close();
    }
  });
});
