import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Outbox } from '../../src/alerts/outbox.js';
import { openPostgres } from '../../src/storage/postgres/openPostgres.js';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.js';
import { createStorage, type Storage } from '../../src/storage/storage.js';
import { makeDraw } from '../fixtures/draws.js';
import { describePostgres, freshDatabaseUrl } from '../storage/postgresTestDatabase.js';
import { type ApiCall, FakeBotApi, textMessage } from '../telegram/fakeBotApi.js';
import { feedServer } from './appFixtures.js';
import { type InstanceProcess, startInstance } from './instanceProcess.js';

/**
 * Two bot processes on one PostgreSQL and the fake Bot API, as an operator runs them: the leader is
 * killed (or paused) mid-broadcast, and every subscriber still gets the round — exactly once, but
 * for the requests on the wire at that moment.
 */

const SUBSCRIBERS = 300;
const FIRST_CHAT = 5000;
const LEASE_TTL_S = 3;
/** The sender's cap on requests awaiting an answer: the most a kill can leave in doubt. */
const MAX_IN_FLIGHT = 30;

const tookTheLead = (entry: { msg: string }) => entry.msg.startsWith('took the lead');
const isAlert = (call: ApiCall) => call.method === 'sendMessage' && Number(call.payload.chat_id) >= FIRST_CHAT;

describePostgres('several instances on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let db: SqlDatabase;
  let storage: Storage;
  let telegram: FakeBotApi;
  let feed: Awaited<ReturnType<typeof feedServer>>;
  const instances: InstanceProcess[] = [];

  beforeEach(async () => {
    database = await freshDatabaseUrl();
    db = await openPostgres(database.url, { max: 2 });
    storage = createStorage(db);
    telegram = await FakeBotApi.start();
    feed = await feedServer();
    await storage.transaction(async ({ subscriptions }) => {
      for (let i = 0; i < SUBSCRIBERS; i++) await subscriptions.subscribe('telegram', String(FIRST_CHAT + i), 'all');
    });
    // A round announced: every subscriber is owed its alert (as the leader's poll would have done it).
    const created = await new Outbox(storage).enqueue([makeDraw({ round: '435', date: '2026-08-20', category: 'healthcare', crs: 462 })]);
    expect(created).toBe(SUBSCRIBERS);
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.dispose()));
    await telegram.close();
    await feed.close();
    await db.close();
    await database.drop();
  });

  const start = async (name: string) => {
    const instance = await startInstance(name, {
      apiRoot: telegram.apiRoot,
      DATABASE_URL: database.url,
      FEED_URL: feed.url,
      LEASE_TTL: `${LEASE_TTL_S}s`,
    });
    instances.push(instance);
    await instance.waitForLog((entry) => entry.msg === 'Telegram bot started');
    return instance;
  };
  /** Alerts received so far, by chat. */
  const alertsByChat = () => {
    const counts = new Map<number, number>();
    for (const call of telegram.calls.filter(isAlert))
      counts.set(Number(call.payload.chat_id), (counts.get(Number(call.payload.chat_id)) ?? 0) + 1);
    return counts;
  };
  const everyChatServed = () => telegram.waitFor(() => alertsByChat().size === SUBSCRIBERS, 60_000);

  it('SIGKILL the leader mid-broadcast: the other leads within 15 s, finishes it, each chat once but for the requests on the wire; a restart resends nothing', async () => {
    const a = await start('a');
    await a.waitForLog(tookTheLead);
    const b = await start('b');
    await b.waitForLog((entry) => entry.msg.startsWith('following'));
    expect((await b.health()).role).toMatchObject({ role: 'follower', epoch: 1 });

    await telegram.waitFor((calls) => calls.filter(isAlert).length >= 100, 30_000);
    const killedAt = performance.now();
    a.signal('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    const sentByA = telegram.calls.filter(isAlert).length;
    expect(sentByA).toBeLessThan(SUBSCRIBERS);

    await b.waitForLog(tookTheLead, 20_000);
    await everyChatServed();
    const firstByB = telegram.calls.filter(isAlert)[sentByA]!;
    const failoverMs = firstByB.at - killedAt;
    expect(failoverMs).toBeLessThan(15_000);
    expect(b.logs().find(tookTheLead)?.msg).toBe('took the lead: the previous leader stopped renewing');

    const counts = alertsByChat();
    expect(counts.size).toBe(SUBSCRIBERS);
    const twice = [...counts.values()].filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).toBe(true);
    const metrics = await b.metrics();
    const takenOver = Number(/^eebot_claims_taken_over_total (\d+)$/m.exec(metrics)?.[1]);
    expect(twice.length).toBeLessThanOrEqual(takenOver);
    expect(takenOver).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(metrics).toMatch(/^eebot_leader 1$/m);
    expect(metrics).toMatch(/^eebot_failovers_total 1$/m);
    expect((await b.health()).role).toMatchObject({ role: 'leader', epoch: 2, instances: expect.any(Number) });
    expect(await storage.deliveries.pendingCount('telegram')).toBe(0);

    // A restarted instance follows, then leads once B stops, and sends nothing again.
    const again = await start('a-again');
    await again.waitForLog((entry) => entry.msg.startsWith('following'));
    expect((await again.health()).role).toMatchObject({ role: 'follower', epoch: 2 });
    const sentBefore = telegram.calls.filter(isAlert).length;
    b.signal('SIGTERM');
    expect(await b.exited).toBe(0);
    await again.waitForLog(tookTheLead, 10_000);
    await again.waitForLog((entry) => entry.msg.startsWith('leading'));
    // It polls Telegram now: a question is answered, by it alone.
    const asked = telegram.push(textMessage({ id: 77 }, '/latest'));
    await telegram.waitFor(() => telegram.sentTo(77).length === 1, 10_000);
    expect(asked).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(telegram.calls.filter(isAlert).length).toBe(sentBefore);
    expect(telegram.sentTo(77)).toHaveLength(1);
    console.info(`failover (SIGKILL → first alert from the new leader): ${Math.round(failoverMs)} ms; resent: ${twice.length}`);
  }, 90_000);

  it('SIGSTOP the leader past its lease: another leads and finishes; SIGCONT, the paused one sends nothing more and follows', async () => {
    const a = await start('a');
    await a.waitForLog(tookTheLead);
    const b = await start('b');
    await telegram.waitFor((calls) => calls.filter(isAlert).length >= 100, 30_000);
    a.signal('SIGSTOP');
    await b.waitForLog(tookTheLead, 20_000);
    await everyChatServed();
    // B has sent everything owed; A still believes, in its frozen state, that it leads.
    await vi.waitFor(async () => expect(await storage.deliveries.pendingCount('telegram')).toBe(0), { timeout: 10_000 });
    const sentBeforeWake = telegram.calls.filter(isAlert).length;
    const wokeAt = performance.now();
    a.signal('SIGCONT');
    await a.waitForLog((entry) => entry.msg.startsWith('lost the lead'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterWake = telegram.calls.filter((call) => isAlert(call) && call.at > wokeAt);
    expect(afterWake).toEqual([]);
    expect(telegram.calls.filter(isAlert)).toHaveLength(sentBeforeWake);
    // Its getUpdates, ended by the new leader's (409), is no reason to exit: it follows.
    expect((await a.health()).role).toMatchObject({ role: 'follower', epoch: 2 });
    const twice = [...alertsByChat().values()].filter((n) => n > 1);
    expect(twice.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    // Commands are answered again, by the new leader's polling.
    telegram.push(textMessage({ id: 78 }, '/latest'));
    await telegram.waitFor(() => telegram.sentTo(78).length === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(telegram.sentTo(78)).toHaveLength(1);
  }, 90_000);
});
