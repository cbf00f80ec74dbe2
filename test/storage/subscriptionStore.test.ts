import { expect, it } from 'vitest';
import { CATEGORY_SLUGS, type CategorySlug } from '../../src/domain/drawSchema.js';
import type { SqlExecutor } from '../../src/storage/sqlDatabase.js';
import type { Storage } from '../../src/storage/storage.js';
import { POOL } from '../../src/storage/subscriptionRows.js';
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

/** A pool distribution recorded with a pending delivery for every chat with pool alerts. */
function announcePool(storage: Storage, key: string, at: number): Promise<number> {
  return storage.transaction(async ({ rounds, deliveries }) => {
    await rounds.record(key, makeDraw({ round: '440', date: '2026-08-01' }), POOL, at);
    return deliveries.enqueuePool(key, at);
  });
}

interface Row {
  chat: string;
  round: string;
  status: string;
  claimedBy: string | null;
}

/** Every delivery row, as `chat round status claimant`, sorted: what a cancellation left. */
async function deliveryRows(sql: SqlExecutor): Promise<string[]> {
  const rows = await sql.all<Row>('SELECT chat_id AS chat, round, status, claimed_by AS "claimedBy" FROM deliveries');
  return rows.map((r) => `${r.chat} ${r.round} ${r.status} ${r.claimedBy ?? '-'}`).sort();
}

/** The chat's one delivery of the round, taken by `claimant`. */
async function claimRow(storage: Storage, chatId: string, round: string, claimant: string, now: number): Promise<number> {
  const row = (await storage.deliveries.due('telegram', now, 1000)).find((d) => d.chatId === chatId && d.round === round);
  expect(row, `a due row for ${chatId} ${round}`).toBeDefined();
  expect(await storage.deliveries.claim(row!.id, chatId, claimant, now)).toBe(true);
  return row!.id;
}

describeEachEngine('SubscriptionStore', (engine) => {
  const env = useStores(engine);
  const subs = () => env.store.storage.subscriptions;

  it('subscribes to categories, lists them sorted, and keeps chats and platforms apart', async () => {
    expect(await subs().list('telegram', '1')).toEqual([]);
    expect(await subs().subscribe('telegram', '1', ['stem', 'healthcare'])).toEqual(['healthcare', 'stem']);
    expect(await subs().subscribe('telegram', '1', ['healthcare', 'cec'])).toEqual(['cec', 'healthcare', 'stem']);
    expect(await subs().list('telegram', '2')).toEqual([]);
    expect(await subs().list('discord', '1')).toEqual([]);
    expect(await subs().count('telegram')).toBe(1);
    expect(await subs().count('discord')).toBe(0);
  });

  it('"all" replaces the categories, and further categories leave it as it is', async () => {
    await subs().subscribe('telegram', '1', ['stem']);
    expect(await subs().subscribe('telegram', '1', 'all')).toBe('all');
    expect(await subs().subscribe('telegram', '1', ['cec'])).toBe('all');
    expect(await subs().list('telegram', '1')).toBe('all');
    const rows = await env.store.db.all('SELECT category FROM subscriptions WHERE chat_id = ?', ['1']);
    expect(rows).toEqual([{ category: '*' }]);
  });

  it('unsubscribes categories, or everything', async () => {
    await subs().subscribe('telegram', '1', ['stem', 'cec']);
    expect(await subs().unsubscribe('telegram', '1', ['stem', 'pnp'])).toEqual(['cec']);
    expect(await subs().unsubscribe('telegram', '1', 'all')).toEqual([]);
    await subs().subscribe('telegram', '1', 'all');
    expect(await subs().unsubscribe('telegram', '1', 'all')).toEqual([]);
    expect(await subs().count('telegram')).toBe(0);
  });

  it('removing one category from "all" leaves every other category', async () => {
    await subs().subscribe('discord', '9', 'all');
    const left = await subs().unsubscribe('discord', '9', ['pnp']);
    expect(left).toEqual(CATEGORY_SLUGS.filter((s) => s !== 'pnp').sort());
  });

  it('moves a chat, merging with what the new id has', async () => {
    await subs().subscribe('telegram', '-1', ['stem', 'cec']);
    await subs().subscribe('telegram', '-100', ['cec', 'pnp']);
    await subs().moveChat('telegram', '-1', '-100');
    expect(await subs().list('telegram', '-1')).toEqual([]);
    expect(await subs().list('telegram', '-100')).toEqual(['cec', 'pnp', 'stem']);

    await subs().subscribe('telegram', '-2', 'all');
    await subs().moveChat('telegram', '-2', '-100');
    expect(await subs().list('telegram', '-100')).toBe('all');

    await subs().subscribe('telegram', '-3', ['trades']);
    await subs().subscribe('telegram', '-300', 'all');
    await subs().moveChat('telegram', '-3', '-300');
    expect(await subs().list('telegram', '-300')).toBe('all');
    expect(await subs().count('telegram')).toBe(2);
  });

  it('removes a chat, and says whether it had any alert', async () => {
    await subs().subscribe('telegram', '1', ['stem']);
    await subs().subscribe('telegram', '2', 'all');
    expect(await subs().removeChat('telegram', '1')).toBe(true);
    expect(await subs().removeChat('telegram', '1')).toBe(false);
    expect(await subs().list('telegram', '1')).toEqual([]);
    expect(await subs().list('telegram', '2')).toBe('all');
  });

  it('remembers whose private chat a subscription is, through narrowing "every draw"; a shared chat has no owner', async () => {
    await subs().subscribe('discord', 'dm-1', 'all', undefined, 'user-7');
    await subs().subscribe('telegram', '-1001', 'all');
    expect(await subs().owner('discord', 'dm-1')).toBe('user-7');
    expect(await subs().owner('telegram', '-1001')).toBeUndefined();
    await subs().unsubscribe('discord', 'dm-1', ['pnp']);
    expect(await subs().owner('discord', 'dm-1')).toBe('user-7');
    await subs().unsubscribe('discord', 'dm-1', 'all');
    expect(await subs().owner('discord', 'dm-1')).toBeUndefined();
  });

  it('lists the private chats a user owns, on their platform only, as long as they are subscribed', async () => {
    await subs().subscribe('discord', 'dm-1', 'all', undefined, 'user-7');
    await subs().subscribePool('discord', 'dm-2', undefined, 'user-7'); // pool alerts only: owned too
    await subs().subscribe('discord', 'dm-3', ['cec'], undefined, 'user-8');
    await subs().subscribe('telegram', 'dm-4', ['cec'], undefined, 'user-7'); // the same id on another platform
    await subs().subscribe('discord', 'guild-1', 'all'); // a shared channel: nobody's
    expect((await subs().ownedBy('discord', 'user-7')).sort()).toEqual(['dm-1', 'dm-2']);
    expect(await subs().ownedBy('discord', 'user-8')).toEqual(['dm-3']);
    expect(await subs().ownedBy('telegram', 'user-7')).toEqual(['dm-4']);
    expect(await subs().ownedBy('discord', 'user-9')).toEqual([]);
    // Several rows per chat (categories, pool): each chat once.
    await subs().subscribe('discord', 'dm-5', ['cec', 'stem', 'pnp'], undefined, 'user-9');
    await subs().subscribePool('discord', 'dm-5', undefined, 'user-9');
    expect(await subs().ownedBy('discord', 'user-9')).toEqual(['dm-5']);
    await subs().unsubscribe('discord', 'dm-1', 'all');
    expect(await subs().ownedBy('discord', 'user-7')).toEqual(['dm-2']);
  });

  it('keeps the topic and pause of a chat through narrowing "every draw"; asking again clears the pause', async () => {
    await subs().subscribe('telegram', '-1001', 'all', '42');
    expect(await subs().thread('telegram', '-1001')).toBe('42');
    expect(await subs().paused('telegram', '-1001')).toBeUndefined();
    await subs().pause('telegram', '-1001', { reason: 'no rights', fix: 'make the bot an admin', at: 1000 });
    await subs().unsubscribe('telegram', '-1001', ['pnp']);
    expect(await subs().thread('telegram', '-1001')).toBe('42');
    expect(await subs().paused('telegram', '-1001')).toEqual({ reason: 'no rights', fix: 'make the bot an admin', at: 1000 });
    await subs().subscribe('telegram', '-1001', ['pnp']);
    expect(await subs().paused('telegram', '-1001')).toBeUndefined();
    expect(await subs().thread('telegram', '-1001')).toBeUndefined(); // asked from the chat itself this time
    await subs().pause('telegram', '-1', { reason: 'nothing to pause', at: 1 }); // no subscription: left as it is
    expect(await subs().paused('telegram', '-1')).toBeUndefined();
    expect(await subs().count('telegram')).toBe(1);
  });

  it('keeps a pool row apart from draw alerts: every draw and narrowing keep it, list() ignores it, unsubscribe all ends it', async () => {
    await subs().subscribePool('telegram', '5');
    expect(await subs().hasPool('telegram', '5')).toBe(true);
    expect(await subs().list('telegram', '5')).toEqual([]);
    await subs().subscribe('telegram', '5', 'all');
    await subs().unsubscribe('telegram', '5', ['pnp']);
    expect(await subs().hasPool('telegram', '5')).toBe(true);
    expect(await subs().list('telegram', '5')).not.toContain('pnp');
    await subs().moveChat('telegram', '5', '6');
    expect(await subs().hasPool('telegram', '6')).toBe(true);
    expect(await subs().unsubscribePool('telegram', '6')).toBe(true);
    expect(await subs().unsubscribePool('telegram', '6')).toBe(false);
    await subs().subscribePool('telegram', '6');
    await subs().unsubscribe('telegram', '6', 'all');
    expect(await subs().hasPool('telegram', '6')).toBe(false);
  });

  it('unsubscribing cancels the pending alerts no longer wanted, keeps the wanted ones, and never touches one on the wire', async () => {
    const { storage, db } = env.store;
    const now = env.clock.now();
    await subs().subscribe('telegram', '1', ['healthcare', 'cec', 'stem']);
    await subs().subscribePool('telegram', '1');
    await subs().subscribe('telegram', '2', ['healthcare']);
    await subs().subscribe('telegram', '3', 'all');
    await announce(storage, '430', 'healthcare', now);
    await announce(storage, '431', 'healthcare', now);
    await announce(storage, '432', 'healthcare', now);
    await announce(storage, '433', 'cec', now);
    await announce(storage, '434', 'stem', now);
    await announcePool(storage, 'pool:2026-08-01', now);
    // Chat 1: #430 sent already, #431 on the wire (claimed), #432 pending; #434 parked for later.
    const sent = await claimRow(storage, '1', '430', 'run-a', now);
    await storage.deliveries.markSent(sent, 'run-a', now, '71');
    const onTheWire = await claimRow(storage, '1', '431', 'run-a', now);
    const parked = (await storage.deliveries.due('telegram', now, 1000)).find((d) => d.chatId === '1' && d.round === '434')!;
    await storage.deliveries.retryLater(parked.id, undefined, now + 60_000);

    expect(await subs().unsubscribe('telegram', '1', ['healthcare'])).toEqual(['cec', 'stem']);
    expect(await deliveryRows(db)).toEqual([
      '1 430 sent -', // sent: a record, never cancelled
      '1 431 pending run-a', // on the wire: cancelling it could not stop it
      '1 433 pending -', // cec: still wanted
      '1 434 pending -', // stem: still wanted
      '1 pool:2026-08-01 pending -', // pool: still wanted
      '2 430 pending -',
      '2 431 pending -',
      '2 432 pending -', // another chat's: untouched
      '3 430 pending -',
      '3 431 pending -',
      '3 432 pending -',
      '3 433 pending -',
      '3 434 pending -',
    ]);
    // The claimed row settles as usual.
    await storage.deliveries.markSent(onTheWire, 'run-a', now, '72');

    // Narrowing "every draw": what was taken out is cancelled, the rest stays.
    expect(await subs().unsubscribe('telegram', '3', ['healthcare', 'stem'])).not.toContain('healthcare');
    // Everything: the draws and the pool, but not what is settled.
    expect(await subs().unsubscribe('telegram', '1', 'all')).toEqual([]);
    expect(await deliveryRows(db)).toEqual([
      '1 430 sent -',
      '1 431 sent -',
      '2 430 pending -',
      '2 431 pending -',
      '2 432 pending -',
      '3 433 pending -',
    ]);
    // Removing a category the chat never had cancels nothing of what it has.
    expect(await subs().unsubscribe('telegram', '2', ['pnp'])).toEqual(['healthcare']);
    expect((await deliveryRows(db)).filter((r) => r.startsWith('2 '))).toHaveLength(3);
  });

  it('unsubscribing pool alerts cancels the pending pool alerts, not the draws nor a claimed one', async () => {
    const { storage, db } = env.store;
    const now = env.clock.now();
    for (const chat of ['5', '6', '7']) {
      await subs().subscribe('telegram', chat, 'all');
      await subs().subscribePool('telegram', chat);
    }
    await announce(storage, '435', 'healthcare', now);
    expect(await announcePool(storage, 'pool:2026-08-01', now)).toBe(3);
    await claimRow(storage, '6', 'pool:2026-08-01', 'run-a', now);

    expect(await subs().unsubscribePool('telegram', '5')).toBe(true);
    expect(await subs().unsubscribePool('telegram', '6')).toBe(true);
    expect(await deliveryRows(db)).toEqual([
      '5 435 pending -',
      '6 435 pending -',
      '6 pool:2026-08-01 pending run-a',
      '7 435 pending -',
      '7 pool:2026-08-01 pending -',
    ]);
    // "Every draw" is not pool alerts: a chat with '*' alone does not keep a pool alert.
    expect(await subs().unsubscribePool('telegram', '7')).toBe(true);
    expect(await subs().list('telegram', '7')).toBe('all');
    expect((await deliveryRows(db)).filter((r) => r.startsWith('7 '))).toEqual(['7 435 pending -']);
  });
});
