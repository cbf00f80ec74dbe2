import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AlertTransport, DeliveryResult } from '../../src/alerts/alertTransport.js';
import { Outbox } from '../../src/alerts/outbox.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import type { Reply } from '../../src/core/reply.js';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.js';
import { openSqlite } from '../../src/storage/sqlite/openSqlite.js';
import { createStorage, type Storage } from '../../src/storage/storage.js';
import type { SubscriptionStore } from '../../src/storage/subscriptionStore.js';
import { testDeps } from '../fixtures/deps.js';
import { sqliteEngine, type TestEngine, type TestStorage } from '../storage/testEngines.js';

/** A fresh directory under the OS temp folder, and a way to remove it. */
export function tempDir(): { dir: string; dbPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ee-alerts-'));
  return { dir, dbPath: join(dir, 'alerts.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock tests move by hand; `sleep` moves it instead of waiting. */
export function fakeClock(start = Date.UTC(2026, 7, 7, 12)) {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += Math.max(0, ms);
    },
  };
  return clock;
}

export interface Stores {
  db: SqlDatabase;
  storage: Storage;
  subscriptions: SubscriptionStore;
  outbox: Outbox;
}

function storesOf(db: SqlDatabase, storage: Storage, now: () => number): Stores {
  return { db, storage, subscriptions: storage.subscriptions, outbox: new Outbox(storage, now) };
}

/** The stores over a SQLite file (`:memory:` works); the caller closes `db`. */
export function openStores(dbPath: string, now: () => number = Date.now): Stores {
  const db = openSqlite(dbPath);
  return storesOf(db, createStorage(db, now), now);
}

/** A transport that records every send and answers from a script (default: sent). */
export function fakeTransport(script: (chatId: string, attempt: number) => DeliveryResult = () => ({ status: 'sent' })) {
  const sends: Array<{ chatId: string; title: string }> = [];
  const attempts = new Map<string, number>();
  const transport: AlertTransport = {
    platform: 'telegram',
    async send(chatId: string, reply: Reply) {
      const attempt = (attempts.get(chatId) ?? 0) + 1;
      attempts.set(chatId, attempt);
      sends.push({ chatId, title: reply.title });
      return script(chatId, attempt);
    },
  };
  return { transport, sends, sentTo: (chatId: string) => sends.filter((s) => s.chatId === chatId).length };
}

/**
 * A fresh store (on `engine`, SQLite by default), its stores and a fake clock for each test of the
 * calling file, thrown away after it.
 */
export function useStores(engine: TestEngine = sqliteEngine): {
  clock: ReturnType<typeof fakeClock>;
  stores: Stores;
  store: TestStorage;
} {
  const env = {} as ReturnType<typeof useStores>;
  beforeEach(async () => {
    env.clock = fakeClock();
    env.store = await engine.open(env.clock.now);
    env.stores = storesOf(env.store.db, env.store.storage, env.clock.now);
  });
  afterEach(async () => {
    await env.store.dispose();
  });
  return env;
}

/** Command deps whose /subscribe writes to a fresh store (on `engine`), shared by the calling file's tests. */
export function useSubscriptionDeps(engine: TestEngine = sqliteEngine): { deps: CommandDeps; store: SubscriptionStore; storage: Storage } {
  const env = {} as ReturnType<typeof useSubscriptionDeps>;
  let opened: TestStorage;
  beforeAll(async () => {
    opened = await engine.open();
    env.storage = opened.storage;
    env.store = opened.storage.subscriptions;
    env.deps = { ...(await testDeps()), subscriptions: env.store, profiles: opened.storage.profiles, forget: opened.storage.forget };
  });
  afterAll(async () => {
    await opened.dispose();
  });
  return env;
}
