import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { LEADER_LEASE, Leadership, type LeadershipOptions } from '../../src/app/leadership.js';
import { silentLogger } from '../../src/lib/log.js';
import { NotLeaderError } from '../../src/storage/leaseStore.js';
import type { Storage } from '../../src/storage/storage.js';
import { describeEachEngine, type TestStorage } from '../storage/testEngines.js';

const TTL = 600;
const waiting = { timeout: 5_000, interval: 10 };

/** An instance's leadership with a clock that can jump (a pause) and renewals that can fail (a lost connection). */
function instance(storage: Storage, holder: string, extra: Partial<LeadershipOptions> = {}) {
  const events: string[] = [];
  let skew = 0;
  let broken = false;
  const leases = new Proxy(storage.leases, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (broken ? Promise.reject(new Error('connection lost')) : value.apply(target, args));
    },
  });
  const leadership = new Leadership({
    leases,
    holder,
    ttlMs: TTL,
    renewEveryMs: 100,
    log: silentLogger,
    monotonic: () => performance.now() + skew,
    onLead: async (epoch) => {
      events.push(`lead ${epoch}`);
    },
    onFollow: async (reason) => {
      events.push(`follow: ${reason}`);
    },
    ...extra,
  });
  return {
    leadership,
    events,
    pause: (ms: number) => {
      skew += ms;
    },
    breakConnection: (state: boolean) => {
      broken = state;
    },
  };
}

describeEachEngine('Leadership', (engine) => {
  let store: TestStorage;
  let second: Storage;
  const running: Leadership[] = [];
  beforeEach(async () => {
    store = await engine.open();
    second = (await store.reopen()).storage;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((leadership) => leadership.stop()));
    await store.dispose();
  });
  const start = async (...instances: Array<ReturnType<typeof instance>>) => {
    for (const { leadership } of instances) {
      running.push(leadership);
      await leadership.start();
    }
  };

  it('one instance leads, the other follows; stopped, the leader hands over at once', async () => {
    const a = instance(store.storage, 'a');
    const b = instance(second, 'b');
    await start(a, b);
    expect(a.leadership.isLeader).toBe(true);
    expect(b.leadership.isLeader).toBe(false);
    expect(a.events).toEqual(['lead 1']);
    expect(b.leadership.status()).toMatchObject({ role: 'follower', epoch: 1 });
    await vi.waitFor(() => expect(b.leadership.status().instances).toBe(2), waiting);
    const handedOver = performance.now();
    await a.leadership.stop();
    expect(a.events).toEqual(['lead 1', 'follow: stopping']);
    await vi.waitFor(() => expect(b.leadership.isLeader).toBe(true), waiting);
    expect(performance.now() - handedOver).toBeLessThan(TTL); // released, not waited out
    expect(b.events).toEqual(['lead 2']);
  });

  it('a leader paused past its lease leads no more when it wakes, before any timer runs; its fence refuses', async () => {
    const a = instance(store.storage, 'a');
    const b = instance(second, 'b');
    await start(a, b);
    expect(a.leadership.isLeader).toBe(true);
    a.pause(TTL); // as if SIGSTOPped this long: no renewal was confirmed within the TTL less its margin
    expect(a.leadership.isLeader).toBe(false);
    await expect(store.storage.transaction(a.leadership.fence)).rejects.toBeInstanceOf(NotLeaderError);
    await vi.waitFor(() => expect(a.events).toContain('follow: no renewal of the lease was confirmed in time'), waiting);
  });

  it('a leader whose connection is lost stops within the TTL; another leads at the next epoch; the first follows when it is back', async () => {
    const onFailover = vi.fn();
    const a = instance(store.storage, 'a');
    const b = instance(second, 'b', { onFailover });
    await start(a, b);
    const lost = performance.now();
    a.breakConnection(true);
    await vi.waitFor(() => expect(a.leadership.isLeader).toBe(false), waiting);
    expect(performance.now() - lost).toBeLessThanOrEqual(TTL + 50);
    await vi.waitFor(() => expect(b.leadership.isLeader).toBe(true), waiting);
    expect(b.events).toEqual(['lead 2']);
    expect(onFailover).toHaveBeenCalledTimes(1);
    a.breakConnection(false);
    await vi.waitFor(() => expect(a.leadership.status()).toMatchObject({ role: 'follower', epoch: 2 }), waiting);
    expect(a.events).toEqual(['lead 1', 'follow: no renewal of the lease was confirmed in time']);
  });

  it('exclusive (SQLite, one process by its DATA_DIR lock): leads at once over a lease a killed run left', async () => {
    expect(await store.storage.leases.acquire(LEADER_LEASE, 'killed run', 60_000)).toBe(1);
    const a = instance(store.storage, 'a', { exclusive: true });
    await start(a);
    expect(a.leadership.isLeader).toBe(true);
    expect(a.events).toEqual(['lead 2']);
  });

  it('a lead whose work fails to start is given up for another to take', async () => {
    const a = instance(store.storage, 'a', {
      onLead: () => Promise.reject(new Error('catch-up failed')),
    });
    await start(a);
    expect(a.leadership.isLeader).toBe(false);
  });
});
