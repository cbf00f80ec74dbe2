import { expect, it } from 'vitest';
import type { CategorySlug } from '../../src/domain/drawSchema.js';
import type { SqlExecutor } from '../../src/storage/sqlDatabase.js';
import type { Storage } from '../../src/storage/storage.js';
import { useStores } from '../alerts/helpers.js';
import { makeDraw } from '../fixtures/draws.js';
import { describeEachEngine } from './testEngines.js';

/** A round recorded with a pending delivery for every chat subscribed to its category, as the outbox does. */
function announce(storage: Storage, round: string, category: CategorySlug, at: number): Promise<number> {
  return storage.transaction(async ({ rounds, deliveries }) => {
    await rounds.record(round, makeDraw({ round, date: '2026-08-07', category }), category, at);
    return deliveries.enqueueRound(round, category, at);
  });
}

/** `count` chats ('1', '2', …) getting every draw, written in a few statements. */
async function subscribeChats(sql: SqlExecutor, count: number): Promise<void> {
  for (let start = 1; start <= count; start += 100) {
    const chats = Array.from({ length: Math.min(100, count - start + 1) }, (_, i) => String(start + i));
    await sql.run(
      `INSERT INTO subscriptions (platform, chat_id, category, created_at) VALUES ${chats.map(() => "('telegram', ?, '*', 0)").join(', ')}`,
      chats,
    );
  }
}

interface Row {
  id: number;
  chat: string;
  round: string;
  status: string;
  claimedBy: string | null;
}

async function rows(sql: SqlExecutor): Promise<Row[]> {
  const all = await sql.all<Row>('SELECT id, chat_id AS chat, round, status, claimed_by AS "claimedBy" FROM deliveries ORDER BY id');
  return all;
}

/** Every delivery row as `platform chat round status claimant`, sorted. */
async function described(sql: SqlExecutor): Promise<string[]> {
  const all = await sql.all<Row & { platform: string }>(
    'SELECT platform, chat_id AS chat, round, status, claimed_by AS "claimedBy" FROM deliveries',
  );
  return all.map((r) => `${r.platform} ${r.chat} ${r.round} ${r.status} ${r.claimedBy ?? '-'}`).sort();
}

/** The row of the chat and round (due or not), by id. */
async function idOf(sql: SqlExecutor, chatId: string, round: string, platform = 'telegram'): Promise<number> {
  const row = await sql.get<{ id: number }>('SELECT id FROM deliveries WHERE platform = ? AND chat_id = ? AND round = ?', [
    platform,
    chatId,
    round,
  ]);
  expect(row, `a row for ${platform} ${chatId} ${round}`).toBeDefined();
  return row!.id;
}

const byNumber = (a: number, b: number) => a - b;

describeEachEngine('DeliveryStore', (engine) => {
  const env = useStores(engine);

  it('two instances racing through due + claim on two connections claim every row exactly once', async () => {
    const { storage, db } = env.store;
    const now = env.clock.now();
    await subscribeChats(db, 500);
    expect(await announce(storage, '435', 'healthcare', now)).toBe(500);
    const ids = (await rows(db)).map((r) => r.id);
    const second = await env.store.reopen(env.clock.now);

    /** A sender's loop: the due rows, each claimed before its request; `backwards` so that the two meet mid-batch. */
    async function claimer(on: Storage, claimant: string, backwards: boolean) {
      const won: number[] = [];
      for (;;) {
        const due = await on.deliveries.due('telegram', now, 25);
        if (due.length === 0) return won;
        if (backwards) due.reverse();
        for (const row of due) if (await on.deliveries.claim(row.id, row.chatId, claimant, now)) won.push(row.id);
      }
    }
    const [a, b] = await Promise.all([claimer(storage, 'instance-a', false), claimer(second.storage, 'instance-b', true)]);

    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect([...a, ...b].sort(byNumber)).toEqual(ids);
    // What the store holds agrees with what each claimer was told.
    const stored = await rows(db);
    expect(stored.filter((r) => r.claimedBy === 'instance-a').map((r) => r.id)).toEqual([...a].sort(byNumber));
    expect(stored.filter((r) => r.claimedBy === 'instance-b').map((r) => r.id)).toEqual([...b].sort(byNumber));
    expect(await storage.deliveries.due('telegram', now, 1000)).toEqual([]);
  });

  it('the same row claimed on two connections at once: exactly one claim wins, every time', async () => {
    const { storage, db } = env.store;
    const now = env.clock.now();
    await subscribeChats(db, 300);
    await announce(storage, '435', 'healthcare', now);
    const due = await storage.deliveries.due('telegram', now, 1000);
    expect(due).toHaveLength(300);
    const second = await env.store.reopen(env.clock.now);
    const outcomes = await Promise.all(
      due.map((row) =>
        Promise.all([
          storage.deliveries.claim(row.id, row.chatId, 'instance-a', now),
          second.storage.deliveries.claim(row.id, row.chatId, 'instance-b', now),
        ]),
      ),
    );
    expect(outcomes.filter(([a, b]) => a === b)).toEqual([]);
    const winners = outcomes.map(([a]) => (a ? 'instance-a' : 'instance-b'));
    expect((await rows(db)).map((r) => r.claimedBy)).toEqual(winners);
  });

  it('releaseClaims(except) releases the claims of every other claimant, and only theirs', async () => {
    const { storage, db } = env.store;
    const { deliveries } = storage;
    const now = env.clock.now();
    await subscribeChats(db, 5);
    await announce(storage, '435', 'healthcare', now);
    const [r1, r2, r3, r4, r5] = await deliveries.due('telegram', now, 10);
    expect(await deliveries.claim(r1!.id, r1!.chatId, 'alive', now)).toBe(true);
    expect(await deliveries.claim(r2!.id, r2!.chatId, 'alive', now)).toBe(true);
    expect(await deliveries.claim(r3!.id, r3!.chatId, 'dead-1', now)).toBe(true);
    expect(await deliveries.claim(r4!.id, r4!.chatId, 'dead-2', now)).toBe(true);
    await deliveries.markSent(r2!.id, 'alive', now, '71');

    expect(await deliveries.releaseClaims('alive')).toBe(2);
    expect((await rows(db)).map((r) => [r.status, r.claimedBy])).toEqual([
      ['pending', 'alive'],
      ['sent', null],
      ['pending', null],
      ['pending', null],
      ['pending', null],
    ]);
    // Released rows are due again, as they were: attempts untouched.
    expect((await deliveries.due('telegram', now, 10)).map((d) => [d.id, d.attempts])).toEqual([
      [r3!.id, 0],
      [r4!.id, 0],
      [r5!.id, 0],
    ]);
    // The dead run's settlement arrives late: it no longer holds the row, so nothing changes.
    await deliveries.markSent(r3!.id, 'dead-1', now, '72');
    expect(await deliveries.pendingCount('telegram')).toBe(4);
    expect(await deliveries.releaseClaims('alive')).toBe(0);
    // No claimant alive: every claim goes.
    expect(await deliveries.claim(r5!.id, r5!.chatId, 'dead-3', now)).toBe(true);
    expect(await deliveries.releaseClaims()).toBe(2);
    expect((await rows(db)).filter((r) => r.claimedBy !== null)).toEqual([]);
  });

  it('prune deletes settled rows enqueued before the cutoff, a batch at a time; pending rows stay, whatever their age', async () => {
    const { storage, db } = env.store;
    const { deliveries } = storage;
    const t0 = env.clock.now();
    const t1 = t0 + 30 * 86_400_000;
    await subscribeChats(db, 5);
    await announce(storage, '430', 'healthcare', t0);
    const sent = await idOf(db, '1', '430');
    expect(await deliveries.claim(sent, '1', 'run', t0)).toBe(true);
    await deliveries.markSent(sent, 'run', t0);
    const failed = await idOf(db, '2', '430');
    expect(await deliveries.claim(failed, '2', 'run', t0)).toBe(true);
    await deliveries.markFailed(failed, 'run', '400 Bad Request');
    await deliveries.dropChat('telegram', '3');
    const onTheWire = await idOf(db, '5', '430');
    expect(await deliveries.claim(onTheWire, '5', 'run', t0)).toBe(true);
    await announce(storage, '431', 'healthcare', t1);
    const sentLater = await idOf(db, '1', '431');
    expect(await deliveries.claim(sentLater, '1', 'run', t1)).toBe(true);
    await deliveries.markSent(sentLater, 'run', t1);

    expect(await deliveries.prune(t0, 100)).toBe(0); // nothing enqueued before t0
    expect(await deliveries.prune(t1, 2)).toBe(2); // at most a batch
    expect(await deliveries.prune(t1, 2)).toBe(1);
    expect(await deliveries.prune(t1, 2)).toBe(0);
    expect(await described(db)).toEqual([
      'telegram 1 431 sent -',
      'telegram 2 431 pending -',
      'telegram 3 431 pending -',
      'telegram 4 430 pending -', // a month old, never sent: still owed
      'telegram 4 431 pending -',
      'telegram 5 430 pending run', // a month old, on the wire
      'telegram 5 431 pending -',
    ]);
    expect(await deliveries.prune(t1 + 1, 100)).toBe(1);
    expect(await deliveries.prune(t1 + 365 * 86_400_000, 100)).toBe(0);
    expect(await deliveries.pendingCount('telegram')).toBe(6);
    expect(await deliveries.counts('telegram')).toEqual({ pending: 6, sent: 0, gone: 0, failed: 0 });
  });

  it('forgetChat deletes every row naming the chat, whatever its state, and nothing else', async () => {
    const { storage, db } = env.store;
    const { deliveries } = storage;
    const now = env.clock.now();
    await storage.subscriptions.subscribe('telegram', '1', 'all');
    await storage.subscriptions.subscribe('telegram', '2', 'all');
    await storage.subscriptions.subscribe('discord', '1', 'all');
    await announce(storage, '430', 'healthcare', now);
    await announce(storage, '431', 'cec', now);
    await announce(storage, '432', 'stem', now);
    await announce(storage, '433', 'pnp', now);
    const sent = await idOf(db, '1', '430');
    expect(await deliveries.claim(sent, '1', 'run', now)).toBe(true);
    await deliveries.markSent(sent, 'run', now, '71');
    const failed = await idOf(db, '1', '431');
    expect(await deliveries.claim(failed, '1', 'run', now)).toBe(true);
    await deliveries.markFailed(failed, 'run', '400 Bad Request');
    expect(await deliveries.claim(await idOf(db, '1', '432'), '1', 'run', now)).toBe(true);

    expect(await deliveries.forgetChat('telegram', '1')).toBe(4);
    expect(await described(db)).toEqual([
      'discord 1 430 pending -',
      'discord 1 431 pending -',
      'discord 1 432 pending -',
      'discord 1 433 pending -',
      'telegram 2 430 pending -',
      'telegram 2 431 pending -',
      'telegram 2 432 pending -',
      'telegram 2 433 pending -',
    ]);
    expect(await deliveries.forgetChat('telegram', '1')).toBe(0);
    // Only the queue: the subscription is the subscription store's.
    expect(await storage.subscriptions.list('telegram', '1')).toBe('all');
  });

  it('markEdited never lowers the revision a message shows', async () => {
    const { storage, db } = env.store;
    const { deliveries, rounds } = storage;
    const now = env.clock.now();
    const draw = makeDraw({ round: '435', date: '2026-08-07', category: 'healthcare', crs: 462 });
    await storage.subscriptions.subscribe('telegram', '1', 'all');
    await announce(storage, '435', 'healthcare', now);
    const id = await idOf(db, '1', '435');
    expect(await deliveries.claim(id, '1', 'run', now)).toBe(true);
    await deliveries.markSent(id, 'run', now, '71');
    const revision = async () => (await db.get<{ revision: number }>('SELECT revision FROM deliveries WHERE id = ?', [id]))?.revision;
    expect(await revision()).toBe(0);

    await rounds.correct('435', { ...draw, crs: 461 });
    await rounds.correct('435', { ...draw, crs: 460 });
    expect(await deliveries.owedEdits('telegram', 10)).toEqual([{ id, chatId: '1', round: '435', messageId: '71', revision: 2 }]);
    await deliveries.markEdited(id, 2);
    expect(await revision()).toBe(2);
    expect(await deliveries.owedEdits('telegram', 10)).toEqual([]);
    // A slower editor finishing an older edit afterwards changes nothing.
    await deliveries.markEdited(id, 1);
    expect(await revision()).toBe(2);
    expect(await deliveries.owedEdits('telegram', 10)).toEqual([]);

    await rounds.correct('435', { ...draw, crs: 459 });
    await deliveries.markEdited(id, 2); // the same revision again: still owed the third
    expect(await revision()).toBe(2);
    expect((await deliveries.owedEdits('telegram', 10)).map((o) => o.revision)).toEqual([3]);
    await deliveries.markEdited(id, 3);
    expect(await revision()).toBe(3);
    expect(await deliveries.owedEdits('telegram', 10)).toEqual([]);
  });
});
