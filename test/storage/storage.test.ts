import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { expect, it, vi } from 'vitest';
import type { CategorySlug } from '../../src/domain/drawSchema.js';
import type { SqlExecutor } from '../../src/storage/sqlDatabase.js';
import type { Storage } from '../../src/storage/storage.js';
import { POOL } from '../../src/storage/subscriptionRows.js';
import { useStores } from '../alerts/helpers.js';
import { makeDraw } from '../fixtures/draws.js';
import { scriptChild } from './scriptChild.js';
import { describeEachEngine, type TestStorage } from './testEngines.js';

/** A round recorded with a pending delivery for every chat subscribed to its category, as the outbox does. */
function announce(storage: Storage, round: string, category: CategorySlug, at: number): Promise<number> {
  return storage.transaction(async ({ rounds, deliveries }) => {
    await rounds.record(round, makeDraw({ round, date: '2026-08-07', category }), category, at);
    return deliveries.enqueueRound(round, category, at);
  });
}

/** Every row of the tables a user's data lives in, as short sorted strings. */
async function everything(sql: SqlExecutor) {
  const subscriptions = await sql.all<{ platform: string; chat: string; category: string; owner: string | null }>(
    'SELECT platform, chat_id AS chat, category, owner_id AS owner FROM subscriptions',
  );
  const deliveries = await sql.all<{ platform: string; chat: string; round: string; status: string }>(
    'SELECT platform, chat_id AS chat, round, status FROM deliveries',
  );
  const profiles = await sql.all<{ platform: string; user: string }>('SELECT platform, user_id AS user FROM profiles');
  return {
    subscriptions: subscriptions.map((r) => `${r.platform} ${r.chat} ${r.category} ${r.owner ?? '-'}`).sort(),
    deliveries: deliveries.map((r) => `${r.platform} ${r.chat} ${r.round} ${r.status}`).sort(),
    profiles: profiles.map((r) => `${r.platform} ${r.user}`).sort(),
  };
}

describeEachEngine('Storage', (engine) => {
  const env = useStores(engine);

  it('forget deletes the profile, the private chat and the chats the user owns, with every delivery naming them, and nothing else', async () => {
    const { storage, db } = env.store;
    const { subscriptions, profiles, deliveries } = storage;
    const now = env.clock.now();
    // User u1 on Telegram: a profile, their private chat p1 (/forget is sent there), and p2, another
    // chat whose subscription names them (pool alerts only).
    await profiles.set('telegram', 'u1', { crs: 480, categories: ['healthcare'], timeZone: 'Asia/Kolkata' });
    await subscriptions.subscribe('telegram', 'p1', ['healthcare', 'cec'], undefined, 'u1');
    await subscriptions.subscribePool('telegram', 'p1', undefined, 'u1');
    await subscriptions.subscribePool('telegram', 'p2', undefined, 'u1');
    // Others: u2's private chat, a group, and the same ids on Discord.
    await profiles.set('telegram', 'u2', { crs: 500, categories: [] });
    await subscriptions.subscribe('telegram', 'p3', 'all', undefined, 'u2');
    await subscriptions.subscribe('telegram', '-1001', 'all');
    await profiles.set('discord', 'u1', { crs: 470, categories: [] });
    await subscriptions.subscribe('discord', 'p1', 'all', undefined, 'u1');

    await announce(storage, '435', 'healthcare', now);
    await announce(storage, '436', 'cec', now);
    await storage.transaction(async ({ rounds, deliveries }) => {
      await rounds.record('pool:2026-08-01', makeDraw({ round: '436', date: '2026-08-08' }), POOL, now);
      await deliveries.enqueuePool('pool:2026-08-01', now);
    });
    // p1: #435 sent, #436 on the wire, the pool alert pending; p2's pool alert sent.
    const due = await deliveries.due('telegram', now, 100);
    const row = (chat: string, round: string) => due.find((d) => d.chatId === chat && d.round === round)!;
    for (const [chat, round] of [
      ['p1', '435'],
      ['p1', '436'],
      ['p2', 'pool:2026-08-01'],
      ['p3', '435'],
    ] as const) {
      expect(await deliveries.claim(row(chat, round).id, chat, 'run', now)).toBe(true);
    }
    await deliveries.markSent(row('p1', '435').id, 'run', now, '71');
    await deliveries.markSent(row('p2', 'pool:2026-08-01').id, 'run', now, '72');
    await deliveries.markSent(row('p3', '435').id, 'run', now, '73');
    // An old chat of u1's that they left earlier: only sent rows name it, no subscription.
    await db.run(
      `INSERT INTO deliveries (platform, chat_id, round, status, next_attempt_at, created_at, sent_at)
       VALUES ('telegram', 'p0', '435', 'sent', ?, ?, ?)`,
      [now, now, now],
    );
    const before = await everything(db);

    expect(await storage.forget('telegram', 'u1', ['p1', 'p0'])).toEqual({ profile: true, chats: 2 });
    const gone = (r: string) => /^telegram p[012] /.test(r);
    expect(await everything(db)).toEqual({
      subscriptions: before.subscriptions.filter((r) => !gone(r)),
      deliveries: before.deliveries.filter((r) => !gone(r)),
      profiles: ['discord u1', 'telegram u2'],
    });
    // What stays is what it was: nobody else's rows touched.
    expect((await everything(db)).deliveries).toEqual([
      'discord p1 435 pending',
      'discord p1 436 pending',
      'telegram -1001 435 pending',
      'telegram -1001 436 pending',
      'telegram p3 435 sent',
      'telegram p3 436 pending',
    ]);
    expect(before.deliveries.filter(gone)).toHaveLength(5);
    expect(await subscriptions.ownedBy('telegram', 'u1')).toEqual([]);
    expect(await subscriptions.ownedBy('discord', 'u1')).toEqual(['p1']);

    // Again: nothing left to forget.
    expect(await storage.forget('telegram', 'u1', ['p1'])).toEqual({ profile: false, chats: 0 });
  });

  it('forget of a user with nothing stored deletes nothing', async () => {
    const { storage, db } = env.store;
    await storage.profiles.set('telegram', 'u2', { crs: 500, categories: [] });
    await storage.subscriptions.subscribe('telegram', 'p3', 'all', undefined, 'u2');
    await announce(storage, '435', 'healthcare', env.clock.now());
    const before = await everything(db);
    expect(await storage.forget('telegram', 'u1', ['p1'])).toEqual({ profile: false, chats: 0 });
    expect(await everything(db)).toEqual(before);
  });

  it('a failing statement inside a transaction rolls back everything before it', async () => {
    const { storage, db } = env.store;
    await storage.subscriptions.subscribe('telegram', 'kept', 'all');
    const before = await everything(db);
    const failed = storage.transaction(async ({ subscriptions, profiles, state }) => {
      await subscriptions.subscribe('telegram', 'p1', 'all', undefined, 'u1');
      await subscriptions.removeChat('telegram', 'kept');
      await profiles.set('telegram', 'u1', { crs: 480, categories: [] });
      await state.set('newest_round', '{"round":"999","date":"2026-12-31"}');
      await profiles.set('telegram', 'u2', { crs: 5000, categories: [] }); // breaks the CHECK
    });
    await expect(failed).rejects.toThrow(/check constraint/i);
    expect(await everything(db)).toEqual(before);
    expect(await storage.state.get('newest_round')).toBeUndefined();
    // The store works on after it.
    await storage.transaction(({ profiles }) => profiles.set('telegram', 'u1', { crs: 480, categories: [] }));
    expect((await storage.profiles.get('telegram', 'u1'))?.crs).toBe(480);
  });

  it('a transaction whose work throws rolls back, and its result is the work’s when it does not', async () => {
    const { storage } = env.store;
    await expect(
      storage.transaction(async ({ state }) => {
        await state.set('a', '1');
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await storage.state.get('a')).toBeUndefined();
    expect(await storage.transaction(async ({ state }) => (await state.setOnce('a', '2')) + (await state.setOnce('a', '3')))).toBe('22');
    expect(await storage.state.get('a')).toBe('2');
  });

  it('secret() is made once: 64 hex characters, the same on every call and after a reopen', async () => {
    const first = await env.store.storage.secret();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await env.store.storage.secret()).toBe(first);
    const again = await env.store.reopen(env.clock.now);
    expect(await again.storage.secret()).toBe(first);
  });

  it('two instances asking for the secret at once, on an empty store, get the same one', async () => {
    // Both first calls are held at the store's write lock until both are waiting there, then race.
    const secrets = engine.name === 'postgres' ? await racePostgres(env.store) : await raceSqlite(env.store.location);
    expect(secrets).toHaveLength(2);
    expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets[1]).toBe(secrets[0]);
    expect(await env.store.storage.secret()).toBe(secrets[0]);
  });
});

/**
 * Two more pools ask for the secret while a third connection holds alert_state locked; they are let
 * go once the server shows both waiting on that lock.
 */
async function racePostgres(store: TestStorage): Promise<string[]> {
  const a = await store.reopen();
  const b = await store.reopen();
  let racing: Promise<string[]> | undefined;
  await store.db.transaction(async (tx) => {
    await tx.run('LOCK TABLE alert_state IN EXCLUSIVE MODE');
    racing = Promise.all([a.storage.secret(), b.storage.secret()]);
    racing.catch(() => {}); // awaited below; not unhandled should the wait fail first
    // Polled outside the holder's transaction, which would see one snapshot of pg_stat_activity.
    await vi.waitFor(
      async () => {
        const waiting = await store.db.get<{ n: number }>(
          "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(waiting?.n).toBe(2);
      },
      { timeout: 5000, interval: 20 },
    );
  });
  return racing!;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = `
import { createInterface } from 'node:readline';
const { openSqlite } = await import(process.env.EE_OPEN_SQLITE);
const { createStorage } = await import(process.env.EE_STORAGE);
const db = openSqlite(process.env.EE_DB);
const storage = createStorage(db);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\\n');
await lines.next();
process.stdout.write('calling\\n');
process.stdout.write('secret ' + (await storage.secret()) + '\\n');
await db.close();
process.exit(0);
`;

/** A bot process on the SQLite file: says `ready` once open, asks for the secret when told, then says it. */
function sqliteChild(path: string) {
  return scriptChild(CHILD, {
    EE_DB: path,
    EE_OPEN_SQLITE: pathToFileURL(join(ROOT, 'src/storage/sqlite/openSqlite.ts')).href,
    EE_STORAGE: pathToFileURL(join(ROOT, 'src/storage/storage.ts')).href,
  });
}

/**
 * Two bot processes ask for the secret while this one holds the file's write lock (SQLite allows one
 * writer); they are let go once both have said they are calling, so that both wait on the lock.
 * Processes, not a second connection here: this one's would wait on the lock synchronously, with
 * the event loop (and so the holder) stopped.
 */
async function raceSqlite(path: string): Promise<string[]> {
  const children = [sqliteChild(path), sqliteChild(path)];
  try {
    await Promise.all(children.map((c) => c.line('ready')));
    const holder = new Database(path);
    try {
      holder.prepare('BEGIN IMMEDIATE').run();
      for (const c of children) c.child.stdin.write('go\n');
      await Promise.all(children.map((c) => c.line('calling')));
      holder.prepare('COMMIT').run();
    } finally {
      holder.close();
    }
    const secrets = await Promise.all(children.map(async (c) => (await c.line('secret ')).slice('secret '.length)));
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0]);
    return secrets;
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill();
  }
}
