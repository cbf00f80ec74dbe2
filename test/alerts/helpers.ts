import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AlertTransport, DeliveryResult } from '../../src/alerts/alertTransport.js';
import { type AlertsDatabase, openDatabase } from '../../src/alerts/openDatabase.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { SubscriptionStore } from '../../src/alerts/subscriptionStore.js';
import type { CommandDeps } from '../../src/commands/runCommand.js';
import type { Reply } from '../../src/core/reply.js';
import { testDeps } from '../fixtures/deps.js';

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
  db: AlertsDatabase;
  subscriptions: SubscriptionStore;
  outbox: Outbox;
}

export function openStores(dbPath: string, now: () => number = Date.now): Stores {
  const db = openDatabase(dbPath);
  const subscriptions = new SubscriptionStore(db, now);
  return { db, subscriptions, outbox: new Outbox(db, subscriptions, now) };
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

/** A fresh database, stores and fake clock for each test of the calling file, removed after it. */
export function useStores(): { temp: ReturnType<typeof tempDir>; clock: ReturnType<typeof fakeClock>; stores: Stores } {
  const env = {} as ReturnType<typeof useStores>;
  beforeEach(() => {
    env.temp = tempDir();
    env.clock = fakeClock();
    env.stores = openStores(env.temp.dbPath, env.clock.now);
  });
  afterEach(() => {
    env.stores.db.close();
    env.temp.remove();
  });
  return env;
}

/** Command deps whose /subscribe writes to a fresh database, shared by the calling file's tests. */
export function useSubscriptionDeps(): { deps: CommandDeps; store: SubscriptionStore } {
  const env = {} as ReturnType<typeof useSubscriptionDeps>;
  const temp = tempDir();
  let db: AlertsDatabase;
  beforeAll(async () => {
    db = openDatabase(temp.dbPath);
    env.store = new SubscriptionStore(db);
    env.deps = { ...(await testDeps()), subscriptions: env.store };
  });
  afterAll(() => {
    db.close();
    temp.remove();
  });
  return env;
}
