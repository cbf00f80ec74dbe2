import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Api } from 'grammy';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { DeliveryOutcome } from '../../src/alerts/alertSender.js';
import { createAlerts } from '../../src/alerts/createAlerts.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { silentLogger } from '../../src/lib/log.js';
import { RateLimiter } from '../../src/lib/rateLimiter.js';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.js';
import { telegramTransport } from '../../src/telegram/telegramTransport.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';
import { type FakeTelegram, startFakeTelegram } from './fakeTelegramServer.js';

/** Requests the bot process keeps awaiting an answer at once (its sender's maxInFlight). */
const MAX_IN_FLIGHT = 20;
const CHATS = 300;
const ANSWERED = 100;
/** Who the killed run claims rows as. */
const DEAD_RUN = 'killed-run';
const waiting = { timeout: 15_000, interval: 10 };

/** The rows someone holds (claimed, their request on the wire), by chat, with who holds them. */
async function claimed(db: SqlDatabase): Promise<Array<{ chatId: string; claimedBy: string }>> {
  const rows = await db.all<{ chatId: string; claimedBy: string }>(
    `SELECT chat_id AS "chatId", claimed_by AS "claimedBy" FROM deliveries WHERE claimed_by IS NOT NULL`,
  );
  return rows.sort((a, b) => (a.chatId < b.chatId ? -1 : a.chatId > b.chatId ? 1 : 0));
}

describeEachEngine('a bot killed mid-broadcast', (engine) => {
  let store: TestStorage;
  let server: FakeTelegram | undefined;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await store.dispose();
  });

  it('resumes on restart: every chat gets its alert, only the requests on the wire are sent twice', async () => {
    const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });
    await store.storage.transaction(async ({ subscriptions }) => {
      for (let i = 0; i < CHATS; i++) await subscriptions.subscribe('telegram', String(5000 + i), 'all');
    });
    expect(await new Outbox(store.storage).enqueue([draw])).toBe(CHATS);

    // After ANSWERED messages the server goes quiet: requests arrive but are never answered, as
    // when the process dies while they are on the wire.
    let phase: 'answering' | 'holding' | 'restarted' = 'answering';
    const fake = await startFakeTelegram({
      hold: () => {
        if (phase === 'answering' && fake.received.length > ANSWERED) phase = 'holding';
        return phase === 'holding';
      },
    });
    server = fake;

    const child = fork(
      fileURLToPath(new URL('./broadcastChild.ts', import.meta.url)),
      [store.location, fake.apiRoot, fake.token, String(MAX_IN_FLIGHT), DEAD_RUN],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const died = exited.then(() => {
      throw new Error(`the bot process exited before it was killed: ${stderr}`);
    });
    // Killed once the broadcast is stuck mid-way: the answered messages are recorded as sent in the
    // store, and every request the bot may have in flight has reached the server, unanswered (the
    // bot sends no more until one is answered, so nothing else is on its way).
    const outbox = new Outbox(store.storage);
    try {
      await Promise.race([
        died,
        vi.waitFor(async () => {
          expect(fake.received.filter((m) => m.answer === 'held')).toHaveLength(MAX_IN_FLIGHT);
          expect((await outbox.counts('telegram')).sent).toBe(ANSWERED);
        }, waiting),
      ]);
    } finally {
      child.kill('SIGKILL');
      died.catch(() => undefined);
      await exited;
    }

    const inDoubt = fake.received.filter((m) => m.answer === 'held').map((m) => m.chatId);
    expect(fake.received.filter((m) => m.answer === 'ok')).toHaveLength(ANSWERED);
    expect(new Set(inDoubt).size).toBe(MAX_IN_FLIGHT);
    // The store knows which requests were on the wire: exactly the rows the dead run still holds.
    const heldAtKill = await claimed(store.db);
    expect(heldAtKill.map((row) => row.chatId)).toEqual([...inDoubt].sort());
    expect(new Set(heldAtKill.map((row) => row.claimedBy))).toEqual(new Set([DEAD_RUN]));

    // The restart (a new process: a new connection), as main.ts starts: catch-up, then the sender.
    phase = 'restarted';
    const restarted = await store.reopen();
    const outcomes: DeliveryOutcome[] = [];
    const alerts = createAlerts({
      storage: restarted.storage,
      log: silentLogger,
      draws: () => [draw],
      claimant: 'restarted-run',
      onDelivery: (_platform, outcome) => outcomes.push(outcome),
    });
    expect(await alerts.outbox.pendingCount('telegram')).toBe(CHATS - ANSWERED);
    // The dead run's claims hold its rows until the restart releases them: nothing would send them.
    expect(await alerts.outbox.due('telegram', Date.now(), CHATS)).toHaveLength(CHATS - ANSWERED - MAX_IN_FLIGHT);
    await alerts.catchUp();
    expect(await claimed(restarted.db)).toEqual([]);
    expect(await alerts.outbox.due('telegram', Date.now(), CHATS)).toHaveLength(CHATS - ANSWERED);
    alerts.startSender(
      telegramTransport(new Api(fake.token, { apiRoot: fake.apiRoot }), (reply) => reply.title),
      {
        limiter: new RateLimiter({ perSecond: 1000 }),
      },
    );
    try {
      await vi.waitFor(async () => {
        expect(await alerts.outbox.counts('telegram')).toEqual({ pending: 0, sent: CHATS, gone: 0, failed: 0 });
      }, waiting);
    } finally {
      await alerts.close();
    }
    expect(outcomes).toEqual(Array(CHATS - ANSWERED).fill('sent'));
    expect(await claimed(restarted.db)).toEqual([]);

    const requests = new Map<string, number>();
    const delivered = new Map<string, number>();
    for (const m of fake.received) {
      requests.set(m.chatId, (requests.get(m.chatId) ?? 0) + 1);
      if (m.answer === 'ok') delivered.set(m.chatId, (delivered.get(m.chatId) ?? 0) + 1);
    }
    expect(delivered.size).toBe(CHATS); // never zero...
    expect([...delivered.values()].every((n) => n === 1)).toBe(true); // ...and, answered, never two
    const sentTwice = [...requests].filter(([, n]) => n > 1).map(([chatId]) => chatId);
    expect([...requests.values()].every((n) => n <= 2)).toBe(true);
    expect(sentTwice.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    // Only what was on the wire at the kill — the rows claimed then — went again.
    expect(sentTwice.sort()).toEqual(heldAtKill.map((row) => row.chatId));
    expect(fake.received).toHaveLength(CHATS + MAX_IN_FLIGHT);
  }, 30_000); // a few seconds; starting the bot process with the TypeScript loader is slow on a busy machine
});
